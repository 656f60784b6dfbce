"""Home pages per role, the action-plan dashboard, the briefing pack and the plan exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import islice
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
)
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms.validators import ValidationError

from coordination.agencies.models import Agency
from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.cache import cached
from coordination.core.documents import attachment
from coordination.core.i18n import current_language
from coordination.core.navigation import NavItem
from coordination.core.sections import page_sections
from coordination.core.templating import percent
from coordination.core.time import today_brussels, utcnow
from coordination.core.versions import CALENDAR, PLAN
from coordination.dashboard import changes as changes_module
from coordination.dashboard import export, figures, queries, tables
from coordination.dashboard.departments import my_departments
from coordination.dashboard.forms import ChangesForm, DashboardFilterForm
from coordination.measures import queries as measure_queries
from coordination.measures.models import ActionPlan, PlanStatus, Theme
from coordination.translation.content import untranslated_count
from coordination.users.models import Role

bp = Blueprint("dashboard", __name__)

NAV_ITEMS = [NavItem("dashboard.plan", _l("Dashboard"), Action.DASHBOARD_VIEW, order=25)]


@bp.app_template_filter("percent")
def format_share(value: float | None) -> str:
    """A share as a percentage in the reader's language (62,5 % in French)."""
    if value is None:
        return "—"
    return percent(value, digits=1)


#: The typographic minus sign (screen readers say "minus"; a hyphen they may skip).
MINUS = "\u2212"


@bp.app_template_filter("signed_percent")
def format_signed_share(value: float) -> str:
    """A gap to a target, signed with the typographic minus: +140 %, \u2212 35 %."""
    text = percent(abs(value), digits=1)
    if round(value * 1000) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


@bp.app_template_filter("css_string")
def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string for a ``<style>`` element: quotes and backslashes
    escaped, and ``<`` too, so that nothing can close the element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup('"' + " ".join(escaped.split()) + '"')  # noqa: S704 - escaped above


@bp.get("/")
@login_required
def home():
    """What matters first to each role."""
    today = today_brussels()
    context: dict = {"today": today}
    if current_user.is_secretariat:
        context["counts"] = queries.admin_counts()
        context["untranslated"] = untranslated_count(today)
    if current_user.agency_id is not None:
        context["agency_forums"] = queries.forums_of_agency_on(current_user.agency_id, today)
    if can(current_user, Action.DASHBOARD_VIEW):
        plan = measure_queries.current_plan()
        if plan is not None:
            context["glance"] = queries.plan_glance(plan, today, utcnow())
            context.update(_recent_changes(queries.DashboardFilters(plan_id=plan.id), {}))
            context["departments"] = my_departments(current_user, plan.id, today)
    context["agency_first"] = current_user.role is Role.AGENCY_REP
    context["sections"] = page_sections("home", current_user)
    return render_template("dashboard/home.html", **context)


# --- filters -------------------------------------------------------------------------------


def _default_plan(plans: list[ActionPlan]) -> ActionPlan | None:
    """The open plan (the latest if several), else the latest: as ``current_plan``."""
    return next((plan for plan in plans if plan.status is PlanStatus.OPEN), None) or next(
        iter(plans), None
    )


@dataclass(frozen=True)
class Selection:
    """What the URL asks for: the form (with its errors), the plan, theme and lead agency."""

    form: DashboardFilterForm
    plan: ActionPlan | None = None
    theme: Theme | None = None
    lead: Agency | None = None

    @property
    def valid(self) -> bool:
        return not self.form.errors

    @property
    def filters(self) -> queries.DashboardFilters:
        if self.plan is None:
            raise LookupError("no action plan selected")
        return queries.DashboardFilters(
            plan_id=self.plan.id,
            theme_id=self.theme.id if self.theme else None,
            lead_agency_id=self.lead.id if self.lead else None,
        )

    def args(self, **overrides: str) -> dict[str, str]:
        """The selection as URL parameters (the plan always explicit: the link stays true)."""
        values = {
            "plan": str(self.plan.id) if self.plan else "",
            "theme": str(self.theme.id) if self.theme else "",
            "lead": str(self.lead.id) if self.lead else "",
            **overrides,
        }
        return {name: value for name, value in values.items() if value}


def _selection() -> Selection:
    """The filters of the URL, validated against what exists (an invalid form keeps its
    errors; the caller answers 400)."""
    form = DashboardFilterForm(request.args)
    form.set_choices(measure_queries.filter_choices())
    if not form.validate():
        return Selection(form)
    return Selection(
        form,
        plan=form.chosen_plan() or _default_plan(form.plans()),
        theme=form.chosen_theme(),
        lead=form.chosen_lead(),
    )


# --- the dashboard -------------------------------------------------------------------------


@bp.get("/dashboard/")
@login_required
def plan():
    """The action plan at a glance, filtered by plan, theme and lead agency (in the URL).

    :raise 400: a filter has a value that does not exist (the page shows which).
    """
    authorize(Action.DASHBOARD_VIEW)
    selection = _selection()
    if not selection.valid:
        return render_template("dashboard/plan.html", selection=selection, board=None), 400
    if selection.plan is None:
        return render_template("dashboard/plan.html", selection=selection, board=None)
    today = today_brussels()
    board = _board_page(selection, selection.plan, today)
    recent = _recent_changes(selection.filters, selection.args())
    departments = my_departments(current_user, selection.plan.id, today)
    return render_template(
        "dashboard/plan.html",
        selection=selection,
        board=board,
        departments=departments,
        **recent,
    )


@dataclass(frozen=True)
class BoardPage:
    """What the dashboard page shows of the plan: the key figures, and the rest rendered."""

    today: date
    figures: queries.PlanFigures
    #: Every section under the key figures (``dashboard/_board.html``), as HTML.
    body: Markup


def _board_page(selection: Selection, plan: ActionPlan, today: date) -> BoardPage:
    """The dashboard's figures, charts and tables, computed and rendered once per state of the
    plan and the meetings, day, filters and language (the charts are drawn with translated
    names): every reader of the dashboard sees the same, and rendering its tables was most of
    a request's time once the figures were kept (bench/RESULTS.md, profile of /dashboard/)."""

    def compute() -> BoardPage:
        board = queries.plan_dashboard(plan, selection.filters, today, utcnow())
        body = render_template(
            "dashboard/_board.html",
            selection=selection,
            board=board,
            charts=_charts(board),
            highlight_limit=queries.HIGHLIGHT_LIMIT,
        )
        return BoardPage(today=today, figures=board.figures, body=Markup(body))  # noqa: S704 - our template's output, escaped by Jinja

    parts = (selection.filters, today, current_language())
    return cached("dashboard", parts, compute, scopes=(PLAN, CALENDAR))


def _charts(board: queries.PlanDashboard) -> dict[str, Markup | None]:
    return {
        "status": figures.status_chart(board.figures),
        "themes": figures.theme_chart(board.themes),
        "late": figures.late_chart(board.late_by_agency) if board.late_by_agency else None,
        "indicators": (
            figures.indicator_chart(board.indicator_years) if board.indicator_years else None
        ),
        "adoption": (
            figures.adoption_chart(board.adoptions)
            if board.adoptions and board.adoptions.meetings
            else None
        ),
    }


def _recent_changes(filters: queries.DashboardFilters, args: dict[str, str]) -> dict:
    """The counts of what changed since the last platform meeting (none before the first),
    for the summary that opens the dashboard and the home page."""
    period = changes_module.since_last_platform_meeting(utcnow())
    if period is None:
        return {}
    # The counts change with a write, or with a day (a deadline passing): kept until then.
    counts = cached(
        "recent-changes",
        (filters, today_brussels(), period.start),
        lambda: changes_module.changes_between(period, filters, with_lists=False).counts,
        scopes=(PLAN, CALENDAR),
    )
    return {
        "recent": changes_module.Changes(period, counts=counts),
        "change_args": args,
        "change_labels": changes_module.CHANGE_LABELS,
        "change_kinds": changes_module.Change,
    }


# --- what changed --------------------------------------------------------------------------


@bp.get("/dashboard/changes")
@login_required
def changes():
    """What changed in the plan (theme, lead agency) since a platform meeting or a date, until
    another platform meeting or now: each figure with its list.

    :raise 400: a filter or a period that does not exist (the page shows which).
    """
    authorize(Action.DASHBOARD_VIEW)
    selection = _selection()
    now = utcnow()
    form = ChangesForm(request.args)
    form.set_meetings(changes_module.platform_meetings_before(now))
    period, problem = None, None
    if form.validate() and selection.valid:
        try:
            period = form.period(now)
        except ValidationError as error:
            problem = str(error)
    found = (
        changes_module.changes_between(period, selection.filters)
        if period is not None and selection.plan is not None
        else None
    )
    status = 400 if problem or form.errors or not selection.valid else 200
    return render_template(
        "dashboard/changes.html",
        selection=selection,
        form=form,
        problem=problem,
        changes=found,
        labels=changes_module.CHANGE_LABELS,
    ), status


# --- the briefing pack ---------------------------------------------------------------------


def _rendered_briefing(template: str, **context: Any) -> str:
    """``template`` filled with the briefing pack of the next platform meeting: the page and
    the PDF show the same figures and chart."""
    pack = queries.briefing_pack(measure_queries.current_plan(), today_brussels(), utcnow())
    chart = figures.status_chart(pack.figures, chart_id="briefing-status") if pack.figures else None
    recent = (
        _recent_changes(queries.DashboardFilters(plan_id=pack.plan.id), {}) if pack.plan else {}
    )
    return render_template(
        template,
        pack=pack,
        status_chart=chart,
        marking=current_app.config["BRIEFING_MARKING"],
        **recent,
        **context,
    )


def _briefing_key() -> tuple:
    """What a briefing pack depends on besides the plan and the meetings: it names places by
    the reader's rights (one pack per reader), and it prepares the next platform meeting: once
    that one starts, the pack is another."""
    next_meeting = queries.next_platform_meeting(utcnow())
    return (
        current_user.id,
        today_brussels(),
        current_language(),
        current_app.config["BRIEFING_MARKING"],
        next_meeting.id if next_meeting else None,
    )


@bp.get("/dashboard/briefing")
@login_required
def briefing():
    """The briefing pack of the next platform meeting, in the reader's language; its content
    kept, like the PDF's, while the plan, the meetings and the reader's rights stay as they
    are (the page around it carries the reader's session: never kept)."""
    authorize(Action.BRIEFING_VIEW)

    def content() -> Markup:
        html = _rendered_briefing("dashboard/_briefing_content.html", for_pdf=False)
        return Markup(html)  # noqa: S704 - our template's output, escaped by Jinja

    kept = cached("briefing-page", _briefing_key(), content, scopes=(PLAN, CALENDAR))
    return render_template("dashboard/briefing.html", content=kept)


@bp.get("/dashboard/briefing.pdf")
@login_required
def briefing_pdf():
    """The same briefing pack as a PDF (rendered offline, in the reader's language), kept
    while the plan, the meetings and the reader's rights stay as they are."""
    authorize(Action.BRIEFING_VIEW)
    pdf = cached("briefing-pdf", _briefing_key(), _briefing_pdf_bytes, scopes=(PLAN, CALENDAR))
    filename = f"briefing-{today_brussels().isoformat()}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _briefing_pdf_bytes() -> bytes:
    # WeasyPrint is heavy to import; only this route needs it.
    from coordination.dashboard.pdf import html_to_pdf

    html = _rendered_briefing("dashboard/briefing_pdf.html")
    return html_to_pdf(
        html,
        base_url=request.url_root,
        static_url_path=current_app.static_url_path or "/static",
        static_folder=current_app.static_folder or "",
    )


# --- exports -------------------------------------------------------------------------------


#: Pieces (CSV lines, JSON measures) sent at a time.
STREAM_BATCH = 200


def _streamed(generate: Callable[[], Iterator[str]]) -> Iterator[str]:
    """Run ``generate`` while the response is sent, in the reader's language.

    Each batch is produced inside its own application context, left before the batch is
    handed over: unlike ``stream_with_context``, no context stays pushed between two chunks,
    so a response that is never read to the end (a client gone) leaves nothing behind.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    locale = str(get_locale())

    def run() -> Iterator[str]:
        pieces = generate()
        while True:
            with app.app_context(), force_locale(locale):
                batch = list(islice(pieces, STREAM_BATCH))
            if not batch:
                return
            yield "".join(batch)

    return run()


def _export(kind: str) -> Response | tuple[str, int]:
    authorize(Action.PLAN_EXPORT)
    selection = _selection()
    if not selection.valid or selection.plan is None:
        status = 400 if not selection.valid else 404
        return render_template("dashboard/plan.html", selection=selection, board=None), status
    plan, today = selection.plan, today_brussels()
    name = f"action-plan-{plan.code}-{today.isoformat()}"
    body: Callable[[], Iterator[str]]
    if kind == "csv":
        body = partial(export.csv_document, plan.id, selection.filters, today)
        mimetype, filename = "text/csv", f"{name}.csv"
    else:
        body = partial(
            export.json_document,
            plan.id,
            selection.filters,
            theme_position=selection.theme.position if selection.theme else None,
            lead_code=selection.lead.code if selection.lead else None,
            today=today,
            now=utcnow(),
        )
        mimetype, filename = "application/json", f"{name}.json"
    return Response(
        _streamed(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/dashboard/export.csv")
@login_required
def export_csv():
    """The whole plan (statuses, history, indicator targets and results) as CSV."""
    return _export("csv")


@bp.get("/dashboard/export.json")
@login_required
def export_json():
    """The whole plan as JSON (structure documented in ``coordination.dashboard.export``)."""
    return _export("json")


def _evaluation_export(extension: str, mimetype: str, write: Callable[[list], bytes]):
    """One table per kind of record (``coordination.dashboard.tables``) as one file."""
    authorize(Action.PLAN_EXPORT)
    selection = _selection()
    if not selection.valid or selection.plan is None:
        status = 400 if not selection.valid else 404
        return render_template("dashboard/plan.html", selection=selection, board=None), status
    today = today_brussels()
    data = write(tables.evaluation_tables(selection.filters, today))
    return attachment(
        data,
        filename=f"action-plan-{selection.plan.code}-{today.isoformat()}.{extension}",
        mimetype=mimetype,
    )


@bp.get("/dashboard/export.xlsx")
@login_required
def export_xlsx():
    """The workbook for evaluation: a sheet per kind of record, typed cells."""
    return _evaluation_export(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        tables.xlsx,
    )


@bp.get("/dashboard/export.zip")
@login_required
def export_csv_zip():
    """A CSV file per kind of record, in a zip, as the reader's spreadsheet opens them."""
    dialect = tables.CsvDialect.for_language(current_language())
    return _evaluation_export(
        "zip", "application/zip", lambda found: tables.csv_zip(found, dialect)
    )
