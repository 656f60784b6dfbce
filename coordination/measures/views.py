"""The action plan: measures list and page, status changes, agendas, decisions of a platform
meeting, indicators, progress reports, plans and the CSV export.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from coordination.agencies.models import Agency
from coordination.agencies.services import list_agencies
from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.errors import ConflictError, DomainError, ValidationError
from coordination.core.navigation import NavItem
from coordination.core.templating import localised
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.measures import queries, services
from coordination.measures.export import to_csv
from coordination.measures.forms import (
    AgendaForm,
    CarryOverForm,
    ClosePlanForm,
    DecisionsForm,
    IndicatorForm,
    MeasureFilterForm,
    MeasureForm,
    PlanForm,
    ReportForm,
    ReviewForm,
    StatusForm,
    ThemeForm,
)
from coordination.measures.labels import (
    DIRECTION_LABELS,
    PLAN_STATUS_LABELS,
    REPORT_STATUS_LABELS,
    VERDICT_LABELS,
)
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    Measure,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.measures.workflow import (
    REPORTABLE_STATUSES,
    STATUS_LABELS,
    MeasureStatus,
    status_label,
    transition_measure,
)
from coordination.meetings.models import AgendaItemKind, Meeting

bp = Blueprint("measures", __name__)

NAV_ITEMS = [NavItem("measures.index", _l("Action plan"), Action.MEASURES_VIEW, order=30)]

PAGE_SIZE = 50

# --- template helpers ----------------------------------------------------------------------


LABEL_GLOBALS = {
    "measure_status_labels": STATUS_LABELS,
    "indicator_direction_labels": DIRECTION_LABELS,
    "report_status_labels": REPORT_STATUS_LABELS,
    "plan_status_labels": PLAN_STATUS_LABELS,
    "verdict_labels": VERDICT_LABELS,
}

# Globals rather than a context processor: imported macros see globals, not the context.
bp.record_once(lambda state: state.app.jinja_env.globals.update(LABEL_GLOBALS))
bp.add_app_template_global(status_label, "measure_status_label")


@bp.app_template_filter("measure_amount")
def format_amount(value: Decimal | None) -> str:
    """An indicator value in the reader's language (240; 9,5 in Dutch and French)."""
    if value is None:
        return ""
    return format_decimal(value)


@bp.app_template_global()
def measures_meeting_url(meeting: Meeting) -> str | None:
    """The meeting's page, for a reader who may see it; otherwise None (no link, no title)."""
    if not can(current_user, Action.MEETINGS_VIEW, meeting):
        return None
    return url_for("meetings.show", meeting_id=meeting.id)


@dataclass(frozen=True)
class MeetingSection:
    items: list[tuple]
    proposals: int
    decisions_url: str | None


@bp.app_template_global()
def measures_for_meeting(meeting: Meeting) -> MeetingSection:
    """What ``measures/_meeting_section.html`` shows on a meeting page (one statement)."""
    if not can(current_user, Action.MEASURES_VIEW):
        return MeetingSection(items=[], proposals=0, decisions_url=None)
    items = queries.measures_on_meeting(meeting.id)
    proposals = sum(
        1
        for item, measure in items
        if measure.status is MeasureStatus.PROPOSED and item.kind is AgendaItemKind.DECISION
    )
    decisions_url = None
    if meeting.forum.political and can(current_user, Action.MEASURES_DECIDE, meeting):
        decisions_url = url_for("measures.meeting_decisions", meeting_id=meeting.id)
    return MeetingSection(items=items, proposals=proposals, decisions_url=decisions_url)


@bp.app_template_global()
def measures_home() -> queries.HomeSection:
    """What ``measures/_home_section.html`` shows on the home page."""
    return queries.home_section(current_user, today_brussels())


def meeting_label(meeting: Meeting) -> str:
    return f"{format_date(meeting.local_date)} — {localised(meeting.forum)} — {meeting.title}"


# --- list and export -----------------------------------------------------------------------


def _filter_form(choices: queries.FilterChoices) -> MeasureFilterForm:
    form = MeasureFilterForm(request.args)
    anything = SelectChoice("", _l("Any"))
    form.plan.choices = [anything] + [
        SelectChoice(str(plan.id), f"{plan.code} — {localised(plan, 'title')}")
        for plan in choices.plans
    ]
    form.theme.choices = [anything] + [
        SelectChoice(
            str(theme.id), f"{theme.position}. {localised(theme)}", optgroup=theme.plan.code
        )
        for theme in choices.themes
    ]
    form.status.choices = [anything] + [
        SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
    ]
    form.lead.choices = [anything] + [
        SelectChoice(str(agency.id), f"{agency.code} — {localised(agency)}")
        for agency in choices.agencies
    ]
    return form


def _filters(form: MeasureFilterForm) -> queries.MeasureFilters:
    def number(value: str | None) -> int | None:
        return int(value) if value else None

    return queries.MeasureFilters(
        plan_id=number(form.plan.data),
        theme_id=number(form.theme.data),
        status=MeasureStatus(form.status.data) if form.status.data else None,
        lead_agency_id=number(form.lead.data),
        late=bool(form.late.data),
        q=form.q.data or "",
    )


def _filter_args() -> dict[str, str]:
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/measures/")
@login_required
def index():
    """The measures, filtered by plan, theme, status, lead agency, lateness or text."""
    authorize(Action.MEASURES_VIEW)
    choices = queries.filter_choices()
    form = _filter_form(choices)
    valid = form.validate()
    filters = _filters(form) if valid else queries.MeasureFilters()
    today = today_brussels()
    page = db.paginate(queries.measures_query(filters, today), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "measures/index.html",
        form=form,
        page=page,
        filters=_filter_args() if valid else {},
    ), 200 if valid else 400


@bp.get("/measures/export.csv")
@login_required
def export():
    """The filtered list as CSV for a spreadsheet (formula injection neutralised)."""
    authorize(Action.PLAN_EXPORT)
    form = _filter_form(queries.filter_choices())
    if not form.validate():
        abort(400)
    today = today_brussels()
    measures = db.session.scalars(queries.measures_query(_filters(form), today))
    header = [
        _("Plan"), _("Code"), _("Title"), _("Theme"), _("Status"), _("Late"),
        _("Lead agency"), _("Partner agencies"), _("Deadline"),
    ]  # fmt: skip
    rows = (
        [
            measure.plan.code,
            measure.code,
            measure.title,
            localised(measure.theme),
            status_label(measure.status),
            _("Late") if measure.late_on(today) else "",
            measure.lead_agency.code,
            ", ".join(agency.code for agency in measure.partners),
            measure.deadline.isoformat() if measure.deadline else "",
        ]
        for measure in measures
    )
    return Response(
        to_csv(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="measures-{today.isoformat()}.csv"'},
    )


# --- a measure -----------------------------------------------------------------------------


def _load_measure_or_404(measure_id: int) -> Measure:
    measure = queries.load_measure(measure_id)
    if measure is None:
        abort(404)
    return measure


@bp.get("/measures/<id:measure_id>")
@login_required
def detail(measure_id: int):
    measure = _load_measure_or_404(measure_id)
    authorize(Action.MEASURES_VIEW, measure)
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


def _theme_choices(plans: list[ActionPlan]) -> list[SelectChoice]:
    return [
        SelectChoice(str(theme.id), f"{theme.position}. {localised(theme)}", optgroup=plan.code)
        for plan in plans
        for theme in plan.themes
    ]


def _set_agency_choices(form: MeasureForm, agencies: list[Agency]) -> None:
    form.lead_agency.choices = [SelectChoice("", _l("Choose the lead agency"))] + [
        SelectChoice(str(agency.id), f"{agency.code} — {localised(agency)}") for agency in agencies
    ]
    form.partners.choices = [
        SelectChoice(str(agency.id), f"{agency.code} — {localised(agency)}") for agency in agencies
    ]


def _agencies_by_id(ids: list[str] | None) -> list[Agency]:
    wanted = [int(value) for value in ids or [] if value.isdigit()]
    if not wanted:
        return []
    return list(db.session.scalars(select(Agency).where(Agency.id.in_(wanted))))


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
    form.theme.choices = [SelectChoice("", _l("Choose a theme")), *_theme_choices(plans)]
    _set_agency_choices(form, list_agencies(active_only=True))
    if form.validate_on_submit():
        try:
            measure = services.create_measure(
                theme=db.get_or_404(Theme, int(form.theme.data)),
                code=form.code.data,
                title=form.title.data,
                description=form.description.data or "",
                lead_agency=db.get_or_404(Agency, int(form.lead_agency.data)),
                partners=_agencies_by_id(form.partners.data),
                deadline=form.deadline.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Measure %(code)s has been proposed.", code=measure.code), "success")
            return redirect(url_for("measures.detail", measure_id=measure.id))
    status = 400 if form.is_submitted() else 200
    return render_template("measures/form.html", form=form, measure=None, plans=plans), status


def _fill_measure_form(form: MeasureForm, measure: Measure) -> None:
    form.theme.data = str(measure.theme_id)
    form.code.data = measure.code
    form.title.data = measure.title
    form.description.data = measure.description
    form.lead_agency.data = str(measure.lead_agency_id)
    form.partners.data = [str(agency.id) for agency in measure.partners]
    form.deadline.data = measure.deadline
    form.version.data = measure.version


@bp.route("/measures/<id:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = db.get_or_404(Measure, measure_id)
    authorize(Action.MEASURES_MANAGE, measure)
    form = MeasureForm()
    form.theme.choices = _theme_choices([measure.plan])
    _set_agency_choices(form, list_agencies())
    if not form.is_submitted():
        _fill_measure_form(form, measure)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_measure(
                measure,
                expected_version=form.version.data or 0,
                theme=db.get_or_404(Theme, int(form.theme.data)),
                code=form.code.data,
                title=form.title.data,
                description=form.description.data or "",
                lead_agency=db.get_or_404(Agency, int(form.lead_agency.data)),
                partners=_agencies_by_id(form.partners.data),
                deadline=form.deadline.data,
                actor=current_user,
            )
            db.session.commit()
        except ConflictError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            form = MeasureForm(formdata=None)
            form.theme.choices = _theme_choices([measure.plan])
            _set_agency_choices(form, list_agencies())
            _fill_measure_form(form, measure)
            status = 409
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error.message))
            status = 400
        else:
            flash(_("Measure %(code)s has been saved.", code=measure.code), "success")
            return redirect(url_for("measures.detail", measure_id=measure.id))
    elif form.is_submitted():
        status = 400
    return render_template("measures/form.html", form=form, measure=measure, plans=[]), status


@bp.route("/measures/<id:measure_id>/status", methods=["GET", "POST"])
@login_required
def change_status(measure_id: int):
    """Move a measure along its life cycle (the secretariat; adoption needs a platform meeting)."""
    measure = db.get_or_404(Measure, measure_id)
    authorize(Action.MEASURES_DECIDE, measure)
    meetings = services.deciding_meetings()
    form = StatusForm()
    form.set_choices(measure, meetings, meeting_label)
    status = 200
    if form.validate_on_submit():
        meeting = db.get_or_404(Meeting, int(form.meeting.data)) if form.meeting.data else None
        try:
            transition_measure(
                measure,
                MeasureStatus(form.status.data),
                actor=current_user,
                note=form.note.data or "",
                meeting=meeting,
            )
        except DomainError as error:
            db.session.rollback()
            form.status.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            flash(
                _(
                    "Measure %(code)s is now “%(status)s”.",
                    code=measure.code,
                    status=status_label(measure.status),
                ),
                "success",
            )
            return redirect(url_for("measures.detail", measure_id=measure.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "measures/status.html",
        form=form,
        measure=measure,
    ), status


@bp.route("/measures/<id:measure_id>/agenda", methods=["GET", "POST"])
@login_required
def put_on_agenda(measure_id: int):
    """Put a measure on the agenda of an upcoming bureau or platform meeting."""
    measure = db.get_or_404(Measure, measure_id)
    authorize(Action.MEASURES_MANAGE, measure)
    form = AgendaForm()
    meetings = services.upcoming_meetings()
    form.meeting.choices = [SelectChoice("", _l("Choose a meeting"))] + [
        SelectChoice(str(meeting.id), meeting_label(meeting)) for meeting in meetings
    ]
    status = 200
    if form.validate_on_submit():
        meeting = db.get_or_404(Meeting, int(form.meeting.data))
        authorize(Action.AGENDA_EDIT, meeting)
        try:
            services.put_measure_on_agenda(measure, meeting, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.meeting.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            flash(
                _(
                    "Measure %(code)s is on the agenda of the meeting of %(date)s.",
                    code=measure.code,
                    date=format_date(meeting.local_date),
                ),
                "success",
            )
            return redirect(url_for("measures.detail", measure_id=measure.id))
    elif form.is_submitted():
        status = 400
    return render_template("measures/agenda.html", form=form, measure=measure), status


# --- indicators ----------------------------------------------------------------------------


def _indicator_years(measure: Measure, indicator: Indicator | None = None) -> list[int]:
    years = set(measure.plan.years)
    if indicator is not None:
        years |= {target.year for target in indicator.targets}
    return sorted(years)


@bp.route("/measures/<id:measure_id>/indicators/new", methods=["GET", "POST"])
@login_required
def new_indicator(measure_id: int):
    measure = db.get_or_404(Measure, measure_id)
    authorize(Action.MEASURES_MANAGE, measure)
    form = IndicatorForm.for_years(_indicator_years(measure))
    if not form.is_submitted():
        form.direction.data = IndicatorDirection.MORE_IS_BETTER.value
    if form.validate_on_submit():
        try:
            services.add_indicator(
                measure,
                name=form.name.data,
                unit=form.unit.data,
                direction=IndicatorDirection(form.direction.data),
                baseline_value=form.baseline_value.data,
                baseline_year=form.baseline_year.data,
                targets=form.targets(),
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.baseline_value.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The indicator has been added."), "success")
            return redirect(url_for("measures.detail", measure_id=measure.id, _anchor="indicators"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "measures/indicator_form.html", form=form, measure=measure, indicator=None
    ), status


@bp.route("/measures/indicators/<id:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    measure = indicator.measure
    authorize(Action.MEASURES_MANAGE, measure)
    form = IndicatorForm.for_years(_indicator_years(measure, indicator))
    if not form.is_submitted():
        form.process(obj=indicator)
        form.direction.data = indicator.direction.value
        form.fill_targets(indicator)
    if form.validate_on_submit():
        try:
            services.update_indicator(
                indicator,
                name=form.name.data,
                unit=form.unit.data,
                direction=IndicatorDirection(form.direction.data),
                baseline_value=form.baseline_value.data,
                baseline_year=form.baseline_year.data,
                targets=form.targets(),
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.baseline_value.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The indicator has been saved."), "success")
            return redirect(url_for("measures.detail", measure_id=measure.id, _anchor="indicators"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "measures/indicator_form.html", form=form, measure=measure, indicator=indicator
    ), status


# --- progress reports ----------------------------------------------------------------------


@bp.route("/measures/<id:measure_id>/reports/new", methods=["GET", "POST"])
@login_required
def new_report(measure_id: int):
    """A progress report with indicator values, by the lead agency (or the secretariat)."""
    measure = _load_measure_or_404(measure_id)
    authorize(Action.MEASURES_REPORT, measure)
    today = today_brussels()
    years = range(measure.plan.start_year, today.year + 1)
    form = ReportForm.for_indicators(measure.indicators, years)
    if not form.is_submitted():
        form.year.data = min(today.year, measure.plan.end_year)
    status = 200
    if form.validate_on_submit():
        try:
            services.submit_progress_report(
                measure,
                author=current_user,
                year=form.year.data,
                text=form.text.data,
                values=form.values(),
                today=today,
            )
        except DomainError as error:
            db.session.rollback()
            form.text.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            flash(_("Your report has been sent to the secretariat."), "success")
            return redirect(url_for("measures.detail", measure_id=measure.id, _anchor="reports"))
    elif form.is_submitted():
        status = 400
    return render_template("measures/report_form.html", form=form, measure=measure), status


@bp.get("/measures/reports")
@login_required
def reports():
    """Progress reports awaiting the secretariat's review."""
    authorize(Action.MEASURES_REVIEW_REPORT)
    return render_template("measures/reports.html", reports=queries.reports_awaiting_review())


@bp.route("/measures/reports/<id:report_id>/review", methods=["GET", "POST"])
@login_required
def review_report(report_id: int):
    report = db.get_or_404(ProgressReport, report_id)
    authorize(Action.MEASURES_REVIEW_REPORT, report)
    form = ReviewForm()
    status = 200
    if report.status is ReportStatus.SUBMITTED and form.validate_on_submit():
        try:
            if form.decision.data == "accept":
                services.accept_progress_report(
                    report, reviewer=current_user, comment=form.comment.data or ""
                )
            else:
                services.return_progress_report(
                    report, reviewer=current_user, comment=form.comment.data or ""
                )
        except DomainError as error:
            db.session.rollback()
            form.decision.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            if report.status is ReportStatus.ACCEPTED:
                flash(_("The report has been accepted."), "success")
            else:
                flash(_("The report has been sent back to the lead agency."), "success")
            return redirect(
                url_for("measures.detail", measure_id=report.measure_id, _anchor="reports")
            )
    elif form.is_submitted():
        status = 400
    return render_template("measures/review.html", form=form, report=report), status


# --- decisions of a platform meeting -------------------------------------------------------


@bp.route("/meetings/<id:meeting_id>/decisions", methods=["GET", "POST"])
@login_required
def meeting_decisions(meeting_id: int):
    """The platform meeting's decisions on every proposal of its agenda, in one step.

    :raise 404: the meeting does not exist, the user may not see it, or it is not a platform
        meeting (only the platform adopts measures).
    """
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    if not meeting.forum.political:
        abort(404)
    authorize(Action.MEASURES_DECIDE, meeting)
    proposals = services.proposals_on_agenda(meeting)
    form = DecisionsForm.for_proposals(proposals)
    status = 200
    if form.validate_on_submit():
        try:
            if not form.lists_the_same_proposals():
                raise ValidationError(
                    _l(
                        "The proposals on this agenda changed since the page was loaded. "
                        "Nothing was recorded: check the list and record the decisions again."
                    )
                )
            transitions = services.record_meeting_decisions(
                meeting, form.decisions(), actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            proposals = services.proposals_on_agenda(meeting)
            form = DecisionsForm.for_proposals(proposals)
            form.list_current_proposals()
            status = 400
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d decision recorded.", "%(num)d decisions recorded.", len(transitions)
                ),
                "success",
            )
            return redirect(url_for("measures.meeting_decisions", meeting_id=meeting.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "measures/decisions.html",
        form=form,
        meeting=meeting,
        proposals=proposals,
        items=queries.measures_on_meeting(meeting.id),
        today=today_brussels(),
    ), status


# --- plans ---------------------------------------------------------------------------------


@bp.get("/measures/plans")
@login_required
def plans():
    authorize(Action.MEASURES_VIEW)
    return render_template("measures/plans.html", plans=queries.plans_overview())


def _open_plan_form() -> PlanForm:
    form = PlanForm()
    form.copy_themes_from.choices = [SelectChoice("", _l("No themes: I will add them"))] + [
        SelectChoice(str(plan.id), f"{plan.code} — {localised(plan, 'title')}")
        for plan, _count in queries.plans_overview()
    ]
    return form


@bp.route("/measures/plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    """Open the next action plan (e.g. 2026-2030), optionally with the themes of the last one."""
    authorize(Action.MEASURES_MANAGE)
    form = _open_plan_form()
    if form.validate_on_submit():
        source = (
            db.get_or_404(ActionPlan, int(form.copy_themes_from.data))
            if form.copy_themes_from.data
            else None
        )
        try:
            plan = services.open_plan(
                code=form.code.data,
                title_nl=form.title_nl.data,
                title_fr=form.title_fr.data,
                title_en=form.title_en.data,
                start_year=form.start_year.data,
                end_year=form.end_year.data,
                copy_themes_from=source,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The action plan %(plan)s is open.", plan=plan.code), "success")
            return redirect(url_for("measures.plan", plan_id=plan.id))
    status = 400 if form.is_submitted() else 200
    return render_template("measures/plan_form.html", form=form), status


@bp.route("/measures/plans/<id:plan_id>", methods=["GET", "POST"])
@login_required
def plan(plan_id: int):
    """A plan's themes; the secretariat adds themes to an open plan."""
    plan = queries.load_plan(plan_id)
    if plan is None:
        abort(404)
    authorize(Action.MEASURES_VIEW, plan)
    form = ThemeForm()
    status = 200
    if form.is_submitted():
        authorize(Action.MEASURES_MANAGE, plan)
        if form.validate():
            try:
                services.add_theme(
                    plan,
                    name_nl=form.name_nl.data,
                    name_fr=form.name_fr.data,
                    name_en=form.name_en.data,
                    actor=current_user,
                )
            except DomainError as error:
                db.session.rollback()
                form.name_en.errors.append(str(error.message))
                status = 400
            else:
                db.session.commit()
                flash(_("The theme has been added."), "success")
                return redirect(url_for("measures.plan", plan_id=plan.id))
        else:
            status = 400
    return render_template(
        "measures/plan.html",
        plan=plan,
        form=form,
        close_form=ClosePlanForm(formdata=None),
        counts=queries.theme_counts(plan),
    ), status


@bp.post("/measures/plans/<id:plan_id>/close")
@login_required
def close_plan(plan_id: int):
    plan = db.get_or_404(ActionPlan, plan_id)
    authorize(Action.MEASURES_MANAGE, plan)
    form = ClosePlanForm()
    if not form.validate_on_submit():
        flash(_("Tick the confirmation to close the plan."), "error")
        return redirect(url_for("measures.plan", plan_id=plan.id))
    try:
        services.close_plan(plan, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The action plan %(plan)s is closed.", plan=plan.code), "success")
    return redirect(url_for("measures.plan", plan_id=plan.id))


@bp.route("/measures/plans/<id:plan_id>/carry-over", methods=["GET", "POST"])
@login_required
def carry_over(plan_id: int):
    """Carry unfinished measures of earlier plans over into this one, keeping their history."""
    plan = db.get_or_404(ActionPlan, plan_id)
    authorize(Action.MEASURES_MANAGE, plan)
    candidates = services.carry_over_candidates(plan)
    form = CarryOverForm()
    form.measures.choices = [
        SelectChoice(
            str(measure.id),
            f"{measure.plan.code} {measure.code} — {measure.title} "
            f"({status_label(measure.status)}, {measure.lead_agency.code})"
            + (f" — {_('Late')}" if measure.is_late else ""),
        )
        for measure in candidates
    ]
    status = 200
    if form.validate_on_submit():
        chosen = {int(value) for value in form.measures.data or []}
        try:
            created = services.carry_over_measures(
                plan,
                [measure for measure in candidates if measure.id in chosen],
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.measures.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d measure carried over.", "%(num)d measures carried over.", len(created)
                ),
                "success",
            )
            return redirect(url_for("measures.index", plan=plan.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "measures/carry_over.html", form=form, plan=plan, candidates=candidates
    ), status
