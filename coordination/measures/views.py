"""The action plan: measures list and page, status changes, agendas, indicators, progress
reports and the CSV export (the plans' pages are in ``plan_views``).
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.agencies.models import Agency
from coordination.agencies.services import list_agencies
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action, can
from coordination.core.actions import form_page, submit_form
from coordination.core.pagination import paginate_cached
from coordination.core.templating import brussels_date
from coordination.core.time import today_brussels
from coordination.core.versions import PLAN
from coordination.db import db
from coordination.measures import queries, services
from coordination.measures.blueprint import NAV_ITEMS as NAV_ITEMS  # the app's menu reads it here
from coordination.measures.blueprint import bp, measure_or_404, measure_page
from coordination.measures.export import measures_csv
from coordination.measures.forms import (
    AgendaForm,
    IndicatorForm,
    MeasureFilterForm,
    MeasureForm,
    ReportForm,
    ReviewForm,
    StatusForm,
)
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    Measure,
    MeasureStatus,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.measures.workflow import REPORTABLE_STATUSES, status_label, transition_measure
from coordination.meetings.models import Meeting

PAGE_SIZE = 50

# --- list and export -----------------------------------------------------------------------


def _filter_args() -> dict[str, str]:
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/measures/")
@login_required
def index():
    """The measures, filtered by plan, theme, status, lead agency, lateness or text."""
    authorize(Action.MEASURES_VIEW)
    form = MeasureFilterForm.with_choices(request.args, queries.filter_choices())
    valid = form.validate()
    filters = form.filters() if valid else queries.MeasureFilters()
    today = today_brussels()
    # Every reader sees the same list: its pages and total are kept while the plan stays as it is.
    page = paginate_cached(
        queries.measures_query(filters, today),
        per_page=PAGE_SIZE,
        entity=Measure,
        kind="measures",
        parts=(filters, today),
        scopes=(PLAN,),
    )
    return render_template(
        "measures/index.html",
        form=form,
        page=page,
        filters=_filter_args() if valid else {},
    ), 200 if valid else 400


@bp.get("/measures/lead-agencies")
@login_required
def lead_agencies():
    """Suggestions for a lead-agency field: the agencies leading a measure whose names
    contain the text typed (JSON for static/js/suggest.js; agencies' names are public)."""
    authorize(Action.MEASURES_VIEW)
    text = request.args.get("q", "")
    named = queries.lead_agencies_named(text) if len(text) <= queries.LEAD_TEXT_LIMIT else []
    return jsonify(suggestions=[agency.choice_label() for agency in named])


@bp.get("/measures/export.csv")
@login_required
def export():
    """The filtered list as CSV for a spreadsheet (formula injection neutralised)."""
    authorize(Action.PLAN_EXPORT)
    form = MeasureFilterForm.with_choices(request.args, queries.filter_choices())
    if not form.validate():
        abort(400)
    today = today_brussels()
    measures = db.session.scalars(queries.measures_query(form.filters(), today))
    return Response(
        measures_csv(measures, today),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="measures-{today.isoformat()}.csv"'},
    )


# --- a measure -----------------------------------------------------------------------------


@bp.get("/measures/<id:measure_id>")
@login_required
def detail(measure_id: int):
    measure = measure_or_404(measure_id, page=True)
    return render_template(
        "measures/detail.html",
        measure=measure,
        timeline=queries.timeline(measure),
        earlier=queries.earlier_history(measure),
        results={
            indicator.id: queries.indicator_results(indicator) for indicator in measure.indicators
        },
        can_report=can(current_user, Action.MEASURES_REPORT, measure)
        and MeasureStatus(measure.status) in REPORTABLE_STATUSES,
    )


def _agencies_by_id(ids: list[str] | None) -> list[Agency]:
    wanted = [int(value) for value in ids or [] if value.isdigit()]
    if not wanted:
        return []
    return list(db.session.scalars(select(Agency).where(Agency.id.in_(wanted))))


def _measure_content(form: MeasureForm) -> services.MeasureContent:
    return services.MeasureContent(
        theme=db.get_or_404(Theme, int(form.theme.data)),
        code=form.code.data,
        title=form.title.data,
        description=form.description.data,
        lead_agency=db.get_or_404(Agency, int(form.lead_agency.data)),
        partners=_agencies_by_id(form.partners.data),
        deadline=form.deadline.data,
    )


@bp.route("/measures/new", methods=["GET", "POST"])
@login_required
def new():
    """A new proposal in an open plan."""
    authorize(Action.MEASURES_MANAGE)
    plans = [
        plan
        for plan in db.session.scalars(select(ActionPlan).order_by(ActionPlan.start_year.desc()))
        if plan.is_open
    ]
    form = MeasureForm()
    form.set_choices(plans, list_agencies(active_only=True), choose_theme=True)
    return form_page(
        form,
        lambda: services.create_measure(_measure_content(form), actor=current_user),
        error_field=form.code,
        success=lambda measure: _("Measure %(code)s has been proposed.", code=measure.code),
        then=lambda measure: measure_page(measure),
        template="measures/form.html",
        context={"measure": None, "plans": plans},
    )


@bp.route("/measures/<id:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = measure_or_404(measure_id, Action.MEASURES_MANAGE)
    form = MeasureForm()
    form.set_choices([measure.plan], list_agencies())
    if not form.is_submitted():
        form.fill(measure)
    submission = submit_form(
        form,
        lambda: services.update_measure(
            measure,
            _measure_content(form),
            expected_version=form.version.data or 0,
            actor=current_user,
        ),
        error_field=form.code,
        success=_("Measure %(code)s has been saved.", code=measure.code),
        then=measure_page(measure),
    )
    if submission.done:
        return submission.response
    if submission.conflicted:  # show their version, to make the changes again
        form = MeasureForm(formdata=None)
        form.set_choices([measure.plan], list_agencies())
        form.fill(measure)
    return render_template(
        "measures/form.html", form=form, measure=measure, plans=[]
    ), submission.status


@bp.route("/measures/<id:measure_id>/status", methods=["GET", "POST"])
@login_required
def change_status(measure_id: int):
    """Move a measure along its life cycle (the secretariat; adoption needs a platform meeting)."""
    measure = measure_or_404(measure_id, Action.MEASURES_DECIDE)
    meetings = services.deciding_meetings(measure)
    form = StatusForm()
    form.set_choices(measure, meetings)

    def transition() -> None:
        meeting = db.get_or_404(Meeting, int(form.meeting.data)) if form.meeting.data else None
        transition_measure(
            measure,
            MeasureStatus(form.status.data),
            actor=current_user,
            note=form.note.data or "",
            meeting=meeting,
        )

    return form_page(
        form,
        transition,
        error_field=form.status,
        success=lambda _result: _(
            "Measure %(code)s is now “%(status)s”.",
            code=measure.code,
            status=status_label(measure.status),
        ),
        then=measure_page(measure),
        template="measures/status.html",
        context={
            "measure": measure,
            "platform_meetings": [meeting for meeting in meetings if meeting.forum.political],
        },
    )


@bp.route("/measures/<id:measure_id>/agenda", methods=["GET", "POST"])
@login_required
def put_on_agenda(measure_id: int):
    """Put a measure on the agenda of an upcoming bureau or platform meeting."""
    measure = measure_or_404(measure_id, Action.MEASURES_MANAGE)
    form = AgendaForm()
    form.set_choices(services.upcoming_meetings())

    def put_on_agenda() -> Meeting:
        meeting = db.get_or_404(Meeting, int(form.meeting.data))
        authorize(Action.AGENDA_EDIT, meeting)
        services.put_measure_on_agenda(measure, meeting, actor=current_user)
        return meeting

    return form_page(
        form,
        put_on_agenda,
        error_field=form.meeting,
        success=lambda meeting: _(
            "Measure %(code)s is on the agenda of the meeting of %(date)s.",
            code=measure.code,
            date=brussels_date(meeting.local_date),
        ),
        then=measure_page(measure),
        template="measures/agenda.html",
        context={"measure": measure},
    )


# --- indicators ----------------------------------------------------------------------------


def _indicator_page(measure: Measure, indicator: Indicator | None):
    """Add an indicator to the measure, or edit ``indicator``: one form, one page."""
    years = set(measure.plan.years)
    if indicator is not None:
        years |= {target.year for target in indicator.targets}
    form = IndicatorForm.for_years(sorted(years))
    if not form.is_submitted():
        if indicator is None:
            form.direction.data = IndicatorDirection.MORE_IS_BETTER.value
        else:
            form.process(obj=indicator)
            form.direction.data = indicator.direction.value
            form.fill_targets(indicator)

    def save() -> Indicator:
        definition = services.IndicatorDefinition(
            name=form.name.data,
            unit=form.unit.data,
            direction=IndicatorDirection(form.direction.data),
            baseline_value=form.baseline_value.data,
            baseline_year=form.baseline_year.data,
            targets=form.targets(),
        )
        if indicator is None:
            return services.add_indicator(measure, definition, actor=current_user)
        return services.update_indicator(indicator, definition, actor=current_user)

    return form_page(
        form,
        save,
        error_field=form.baseline_value,
        success=_("The indicator has been added.")
        if indicator is None
        else _("The indicator has been saved."),
        then=measure_page(measure, "indicators"),
        template="measures/indicator_form.html",
        context={"measure": measure, "indicator": indicator},
    )


@bp.route("/measures/<id:measure_id>/indicators/new", methods=["GET", "POST"])
@login_required
def new_indicator(measure_id: int):
    return _indicator_page(measure_or_404(measure_id, Action.MEASURES_MANAGE), None)


@bp.route("/measures/indicators/<id:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    authorize(Action.MEASURES_MANAGE, indicator.measure)
    return _indicator_page(indicator.measure, indicator)


# --- progress reports ----------------------------------------------------------------------


@bp.route("/measures/<id:measure_id>/reports/new", methods=["GET", "POST"])
@login_required
def new_report(measure_id: int):
    """A progress report with indicator values, by the lead agency (or the secretariat)."""
    measure = measure_or_404(measure_id, Action.MEASURES_REPORT, page=True)
    today = today_brussels()
    years = range(measure.plan.start_year, today.year + 1)
    form = ReportForm.for_indicators(measure.indicators, years)
    if not form.is_submitted():
        form.year.data = min(today.year, measure.plan.end_year)
    return form_page(
        form,
        lambda: services.submit_progress_report(
            measure,
            author=current_user,
            year=form.year.data,
            text=form.text.data,
            values=form.values(),
            today=today,
        ),
        error_field=form.text,
        success=_("Your report has been sent to the secretariat."),
        then=measure_page(measure, "reports"),
        template="measures/report_form.html",
        context={"measure": measure},
    )


@bp.get("/measures/reports")
@login_required
def reports():
    """Progress reports awaiting the secretariat's review."""
    authorize(Action.MEASURES_REVIEW_REPORT)
    return render_template("measures/reports.html", reports=queries.reports_awaiting_review())


@bp.route("/measures/reports/<id:report_id>/review", methods=["GET", "POST"])
@login_required
def review_report(report_id: int):
    report = load_authorized(ProgressReport, report_id, Action.MEASURES_REVIEW_REPORT)
    form = ReviewForm()

    def review() -> None:
        review = (
            services.accept_progress_report
            if form.decision.data == "accept"
            else services.return_progress_report
        )
        review(report, reviewer=current_user, comment=form.comment.data or "")

    return form_page(
        form,
        review,
        validate=lambda: report.status is ReportStatus.SUBMITTED and form.validate(),
        error_field=form.decision,
        success=lambda _result: (
            _("The report has been accepted.")
            if report.status is ReportStatus.ACCEPTED
            else _("The report has been sent back to the lead agency.")
        ),
        then=url_for("measures.detail", measure_id=report.measure_id, _anchor="reports"),
        template="measures/review.html",
        context={"report": report},
    )
