"""Operations on the action plan: measures, agendas, decisions, indicators, reports, plans.

Services take explicit arguments, flush, record an audit event for every write and raise
``DomainError`` subclasses; the request boundary commits once. Status changes go through
:func:`coordination.measures.workflow.transition_measure` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from coordination.agencies.models import Agency
from coordination.audit.services import changes_of, record_event
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.templating import brussels_date
from coordination.core.texts import CONTENT_LANGUAGES, Texts, checked_texts
from coordination.core.time import today_brussels
from coordination.core.urls import absolute_url
from coordination.db import db, utcnow
from coordination.measures.models import (
    OPEN_STATUSES,
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.measures.workflow import (
    REPORTABLE_STATUSES,
    STATUS_LABELS,
    agenda_item_for,
)
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.meetings.services import insert_agenda_item
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import Role, User

CONFLICT_MESSAGE = _l(
    "Someone else changed this measure while you were editing it. Nothing was saved: "
    "the form now shows their version; apply your changes again."
)


# --- measures ------------------------------------------------------------------------------


def _code_taken(plan: ActionPlan, code: str, *, except_id: int | None = None) -> bool:
    query = select(Measure.id).where(Measure.plan_id == plan.id, Measure.code == code)
    if except_id is not None:
        query = query.where(Measure.id != except_id)
    return db.session.scalar(query) is not None


def _check_measure_fields(
    plan: ActionPlan,
    theme: Theme,
    code: str,
    lead_agency: Agency,
    *,
    except_id: int | None = None,
) -> None:
    if theme.plan_id != plan.id:
        raise ValidationError(_l("The theme belongs to another action plan."))
    if _code_taken(plan, code, except_id=except_id):
        raise ValidationError(_l("Measure %(code)s already exists in this action plan.", code=code))
    if not lead_agency.active:
        raise ValidationError(_l("The lead agency is no longer active."))


@dataclass(frozen=True)
class MeasureContent:
    """What the secretariat writes about a measure (its status moves through the workflow)."""

    theme: Theme
    code: str
    #: In Dutch and French (one at least), English optional; a plain string is the same text
    #: in every language (scripts, demo data).
    title: Texts | str
    #: Markdown per language; none is required.
    description: Texts | str
    lead_agency: Agency
    #: The lead agency is left out if it is among them.
    partners: Iterable[Agency]
    deadline: date | None


def create_measure(content: MeasureContent, *, actor: User | None) -> Measure:
    """Add a proposal to the theme's plan; its creation opens the measure's timeline.

    :raise NotAllowed: the plan is closed.
    :raise ValidationError: the code is taken in the plan, or the lead agency is inactive.
    """
    plan = content.theme.plan
    if not plan.is_open:
        raise NotAllowed(_l("The action plan %(plan)s is closed.", plan=plan.code))
    code = content.code.strip()
    _check_measure_fields(plan, content.theme, code, content.lead_agency)
    measure = Measure(plan=plan, status=MeasureStatus.PROPOSED, **_content_fields(content))
    db.session.add(measure)
    db.session.add(
        MeasureTransition(
            measure=measure, from_status=None, to_status=MeasureStatus.PROPOSED, by=actor
        )
    )
    db.session.flush()
    record_event(
        "measure.create",
        actor=actor,
        obj=measure,
        changes={"plan": plan.code, "code": code, "lead_agency": content.lead_agency.code},
    )
    return measure


def _content_fields(content: MeasureContent) -> dict[str, Any]:
    """The measure's columns and partners as the content sets them (texts trimmed)."""
    lead = content.lead_agency
    return {
        "theme": content.theme,
        "code": content.code.strip(),
        "title": checked_texts(content.title, max_length=255, label=_l("Title")),
        "description": checked_texts(content.description, required=False, label=_l("Description")),
        "lead_agency": lead,
        "partners": [agency for agency in content.partners if agency.id != lead.id],
        "deadline": content.deadline,
    }


def update_measure(
    measure: Measure, content: MeasureContent, *, expected_version: int, actor: User | None
) -> Measure:
    """Change a measure's content (not its status: see ``transition_measure``).

    :raise ConflictError: the measure changed since the editor loaded it (``expected_version``);
        nothing is overwritten.
    :raise ValidationError: the code is taken, the theme belongs to another plan, or the lead
        agency is inactive.
    """
    if expected_version != measure.version:
        raise ConflictError(CONFLICT_MESSAGE)
    code, lead, theme = content.code.strip(), content.lead_agency, content.theme
    if lead.id != measure.lead_agency_id or theme.id != measure.theme_id or code != measure.code:
        _check_measure_fields(measure.plan, theme, code, lead, except_id=measure.id)
    old_partners = sorted(agency.code for agency in measure.partners)
    for name, value in _content_fields(content).items():
        setattr(measure, name, value)
    changes = changes_of(measure)
    new_partners = sorted(agency.code for agency in measure.partners)
    if new_partners != old_partners:
        changes["partners"] = [old_partners, new_partners]
    # Touching the row even when only partners changed bumps the version: editors who loaded
    # the old partner list get a conflict instead of silently undoing this change.
    measure.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(CONFLICT_MESSAGE) from error
    if changes:
        record_event("measure.update", actor=actor, obj=measure, changes=changes)
    return measure


# --- agendas and decisions -----------------------------------------------------------------


def upcoming_meetings(today: date | None = None, *, limit: int = 40) -> list[Meeting]:
    """Meetings a measure can still be put on the agenda of (both forums), soonest first."""
    today = today or today_brussels()
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.local_date >= today,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.agenda_final.is_(False),
            )
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )


def deciding_meetings(
    measure: Measure, today: date | None = None, *, limit: int = 20
) -> list[Meeting]:
    """The meetings that may have decided on ``measure``: they had it on their agenda and took
    place (or take place today), latest first. Only a platform meeting adopts or rejects."""
    today = today or today_brussels()
    return list(
        db.session.scalars(
            select(Meeting)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .where(
                AgendaItem.measure_id == measure.id,
                Meeting.local_date <= today,
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )


def put_measure_on_agenda(
    measure: Measure,
    meeting: Meeting,
    *,
    actor: User | None,
    today: date | None = None,
) -> AgendaItem:
    """Append an item about the measure to a meeting's agenda.

    A proposal becomes a decision item (prepared in the bureau, decided by the platform);
    a measure already adopted becomes a discussion item (follow-up of its implementation).

    :raise NotAllowed: the measure is closed; the meeting is cancelled, past or its agenda is
        final; the measure is already on that agenda.
    """
    today = today or today_brussels()
    if not measure.is_open:
        raise NotAllowed(
            _l(
                "Measure %(code)s is “%(status)s”: it no longer goes on an agenda.",
                code=measure.code,
                status=STATUS_LABELS[MeasureStatus(measure.status)],
            )
        )
    if meeting.status is MeetingStatus.CANCELLED:
        raise NotAllowed(_l("This meeting is cancelled."))
    if meeting.local_date < today:
        raise NotAllowed(_l("This meeting has already taken place."))
    if meeting.agenda_final:
        raise NotAllowed(_l("The agenda of this meeting is final."))
    if agenda_item_for(measure, meeting) is not None:
        raise NotAllowed(
            _l(
                "Measure %(code)s is already on the agenda of the meeting of %(date)s.",
                code=measure.code,
                date=brussels_date(meeting.local_date),
            )
        )
    is_proposal = measure.status is MeasureStatus.PROPOSED
    item = AgendaItem(
        title=agenda_title(measure),
        kind=AgendaItemKind.DECISION if is_proposal else AgendaItemKind.DISCUSSION,
        presenting_agency_id=measure.lead_agency_id,
        measure_id=measure.id,
        created_at=utcnow(),
    )
    insert_agenda_item(meeting, item)
    record_event(
        "measure.put_on_agenda",
        actor=actor,
        obj=measure,
        changes={"meeting_id": meeting.id, "agenda_item_id": item.id, "kind": item.kind.value},
    )
    return item


def agenda_title(measure: Measure) -> Texts:
    """The title of the agenda item that puts ``measure`` before a meeting, in each language
    its title is written in: "NAP-2021-2025 3.4 — <the measure's title>"."""
    prefix = f"{measure.plan.code} {measure.code} — "
    return Texts(
        **{
            language: f"{prefix}{title}"[:255]
            for language in CONTENT_LANGUAGES
            if (title := measure.title.get(language))
        }
    )


# --- indicators ----------------------------------------------------------------------------


def _check_baseline(baseline_value: Decimal | None, baseline_year: int | None) -> None:
    if (baseline_value is None) != (baseline_year is None):
        raise ValidationError(_l("Give both the baseline value and its year, or neither."))


def _set_targets(indicator: Indicator, targets: Mapping[int, Decimal | None]) -> None:
    existing = {target.year: target for target in indicator.targets}
    for year, value in targets.items():
        current = existing.get(year)
        if value is None:
            if current is not None:
                indicator.targets.remove(current)
        elif current is None:
            indicator.targets.append(IndicatorTarget(year=year, target=value))
        else:
            current.target = value


@dataclass(frozen=True)
class IndicatorDefinition:
    """What defines an indicator: the same for a new one and for a change."""

    #: In Dutch and French (one at least), English optional.
    name: Texts | str
    unit: str
    direction: IndicatorDirection
    baseline_value: Decimal | None
    baseline_year: int | None
    #: Year -> target; None removes the year's target.
    targets: Mapping[int, Decimal | None]

    def apply_to(self, indicator: Indicator) -> None:
        """:raise ValidationError: a baseline value without its year or the reverse."""
        _check_baseline(self.baseline_value, self.baseline_year)
        indicator.name = checked_texts(self.name, max_length=255, label=_l("Indicator"))
        indicator.unit = self.unit.strip()
        indicator.direction = self.direction
        indicator.baseline_value = self.baseline_value
        indicator.baseline_year = self.baseline_year


def add_indicator(
    measure: Measure, definition: IndicatorDefinition, *, actor: User | None
) -> Indicator:
    """Give a measure a quantified indicator with yearly targets.

    :raise ValidationError: a baseline value without its year or the reverse.
    """
    position = max((indicator.position for indicator in measure.indicators), default=0) + 1
    indicator = Indicator(position=position)
    definition.apply_to(indicator)  # checked before it joins the measure (and the session)
    indicator.measure = measure
    db.session.add(indicator)
    _set_targets(indicator, definition.targets)
    db.session.flush()
    record_event(
        "measure.indicator_create",
        actor=actor,
        obj=indicator,
        changes={"measure_id": measure.id, "name": indicator.name},
    )
    return indicator


def update_indicator(
    indicator: Indicator, definition: IndicatorDefinition, *, actor: User | None
) -> Indicator:
    """Change an indicator's definition and targets (reported values are kept).

    :raise ValidationError: a baseline value without its year or the reverse.
    :raise ConflictError: someone changed the indicator at the same time.
    """
    definition.apply_to(indicator)
    changes = changes_of(indicator)
    before = {target.year: str(target.target) for target in indicator.targets}
    _set_targets(indicator, definition.targets)
    after = {target.year: str(target.target) for target in indicator.targets}
    if before != after:
        changes["targets"] = [before, after]
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(
            _l("Someone else changed this indicator at the same time; reload the page.")
        ) from error
    if changes:
        record_event("measure.indicator_update", actor=actor, obj=indicator, changes=changes)
    return indicator


# --- progress reports ----------------------------------------------------------------------


def _secretariat_users() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == Role.SECRETARIAT, User.active.is_(True)))
    )


def submit_progress_report(
    measure: Measure,
    *,
    author: User,
    year: int,
    text: str,
    values: Mapping[int, tuple[Decimal, str]],
    today: date | None = None,
) -> ProgressReport:
    """Record a lead agency's progress report and indicator values; the secretariat reviews it.

    Who may report is the policy's business (``measures.report``), asked by the view.

    :raise NotAllowed: the measure is not adopted (yet), or was rejected or withdrawn.
    :raise ValidationError: the year has not started, an indicator is not the measure's, or a
        value has no source.
    """
    today = today or today_brussels()
    if MeasureStatus(measure.status) not in REPORTABLE_STATUSES:
        raise NotAllowed(
            _l(
                "Progress is reported on adopted measures; measure %(code)s is “%(status)s”.",
                code=measure.code,
                status=STATUS_LABELS[MeasureStatus(measure.status)],
            )
        )
    if year > today.year:
        raise ValidationError(_l("A report cannot cover a year that has not started."))
    indicators = {indicator.id: indicator for indicator in measure.indicators}
    report = ProgressReport(
        measure=measure,
        agency_id=measure.lead_agency_id,
        author=author,
        year=year,
        text=text.strip(),
        status=ReportStatus.SUBMITTED,
        submitted_at=utcnow(),
    )
    db.session.add(report)
    for indicator_id, (value, source) in values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_l("This indicator does not belong to the measure."))
        if not source.strip():
            raise ValidationError(
                _l("Give the source of the value of “%(name)s”.", name=indicator.name)
            )
        report.values.append(
            IndicatorValue(
                indicator=indicator,
                year=year,
                value=value,
                source=source.strip(),
                reported_by=author,
                reported_at=report.submitted_at,
            )
        )
    db.session.flush()
    record_event(
        "measure.report_submit",
        actor=author,
        obj=report,
        changes={"measure_id": measure.id, "year": year, "values": len(report.values)},
    )
    enqueue_for_users(
        [user for user in _secretariat_users() if user.id != author.id],
        "measure_report_submitted",
        reason="measure.report_submitted",
        measure=measure,
        report=report,
        url=absolute_url("measures.review_report", report_id=report.id),
    )
    return report


def _review(report: ProgressReport, status: ReportStatus, reviewer: User, comment: str) -> None:
    if report.status is not ReportStatus.SUBMITTED:
        raise NotAllowed(_l("This report has already been reviewed."))
    report.status = status
    report.reviewer_comment = comment.strip() or None
    report.reviewed_by = reviewer
    report.reviewed_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(
            _l("Someone else reviewed this report at the same time; reload the page.")
        ) from error
    record_event(
        f"measure.report_{status.value}",
        actor=reviewer,
        obj=report,
        changes={"status": ["submitted", status.value]},
    )
    if report.author is not None and report.author.id != reviewer.id:
        enqueue_for_users(
            [report.author],
            "measure_report_reviewed",
            reason=f"measure.report_{status.value}",
            measure=report.measure,
            report=report,
            url=absolute_url("measures.detail", measure_id=report.measure_id),
        )


def accept_progress_report(
    report: ProgressReport, *, reviewer: User, comment: str = ""
) -> ProgressReport:
    """Accept a report: its indicator values become the measure's results.

    :raise NotAllowed: the report was already reviewed.
    :raise ConflictError: someone reviewed it at the same time.
    """
    _review(report, ReportStatus.ACCEPTED, reviewer, comment)
    return report


def return_progress_report(
    report: ProgressReport, *, reviewer: User, comment: str
) -> ProgressReport:
    """Send a report back to the lead agency with a comment; its values do not count.

    :raise ValidationError: no comment.
    :raise NotAllowed: the report was already reviewed.
    :raise ConflictError: someone reviewed it at the same time.
    """
    if not comment.strip():
        raise ValidationError(_l("Say why the report is sent back."))
    _review(report, ReportStatus.RETURNED, reviewer, comment)
    return report


# --- plans ---------------------------------------------------------------------------------


def open_plan(
    *,
    code: str,
    title_nl: str,
    title_fr: str,
    title_en: str,
    start_year: int,
    end_year: int,
    copy_themes_from: ActionPlan | None,
    actor: User | None,
) -> ActionPlan:
    """Open a new action plan, optionally with the themes of an earlier one.

    :raise ValidationError: the code is taken or the period is reversed.
    """
    code = code.strip().upper()
    if db.session.scalar(select(ActionPlan.id).where(ActionPlan.code == code)) is not None:
        raise ValidationError(_l("An action plan with this code already exists."))
    if end_year < start_year:
        raise ValidationError(_l("The plan cannot end before it starts."))
    plan = ActionPlan(
        code=code,
        title_nl=title_nl.strip(),
        title_fr=title_fr.strip(),
        title_en=title_en.strip(),
        start_year=start_year,
        end_year=end_year,
        status=PlanStatus.OPEN,
    )
    db.session.add(plan)
    if copy_themes_from is not None:
        for theme in copy_themes_from.themes:
            plan.themes.append(
                Theme(
                    position=theme.position,
                    name_nl=theme.name_nl,
                    name_fr=theme.name_fr,
                    name_en=theme.name_en,
                )
            )
    db.session.flush()
    record_event(
        "plan.open",
        actor=actor,
        obj=plan,
        changes={"code": code, "period": f"{start_year}-{end_year}"},
    )
    return plan


def add_theme(
    plan: ActionPlan, *, name_nl: str, name_fr: str, name_en: str, actor: User | None
) -> Theme:
    """Add a theme at the end of a plan.

    :raise NotAllowed: the plan is closed.
    """
    if not plan.is_open:
        raise NotAllowed(_l("The action plan %(plan)s is closed.", plan=plan.code))
    theme = Theme(
        plan=plan,
        position=max((theme.position for theme in plan.themes), default=0) + 1,
        name_nl=name_nl.strip(),
        name_fr=name_fr.strip(),
        name_en=name_en.strip(),
    )
    db.session.add(theme)
    db.session.flush()
    record_event("plan.add_theme", actor=actor, obj=theme, changes={"plan": plan.code})
    return theme


def close_plan(plan: ActionPlan, *, actor: User | None) -> ActionPlan:
    """Close a plan: no new measures; its measures and history stay readable.

    :raise NotAllowed: already closed.
    """
    if not plan.is_open:
        raise NotAllowed(_l("The action plan %(plan)s is closed.", plan=plan.code))
    plan.status = PlanStatus.CLOSED
    db.session.flush()
    record_event("plan.close", actor=actor, obj=plan, changes={"status": ["open", "closed"]})
    return plan


def carry_over_candidates(plan: ActionPlan) -> list[Measure]:
    """Unfinished measures of other plans not yet carried over into ``plan``."""
    carried = select(Measure.carried_over_from_id).where(
        Measure.plan_id == plan.id, Measure.carried_over_from_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(Measure)
            .where(
                Measure.plan_id != plan.id,
                Measure.status.in_(sorted(OPEN_STATUSES)),
                Measure.id.not_in(carried),
            )
            .options(selectinload(Measure.plan), selectinload(Measure.lead_agency))
            .order_by(Measure.plan_id, Measure.theme_id, func.length(Measure.code), Measure.code)
        )
    )


def _theme_in(plan: ActionPlan, old: Theme) -> Theme | None:
    """The new plan's theme matching an old one: same English name, else same position."""
    for theme in plan.themes:
        if theme.name_en.strip().casefold() == old.name_en.strip().casefold():
            return theme
    return next((theme for theme in plan.themes if theme.position == old.position), None)


def carry_over_measures(
    plan: ActionPlan, measures: Iterable[Measure], *, actor: User | None
) -> list[Measure]:
    """Continue unfinished measures of an earlier plan in ``plan``.

    Each becomes a new proposal of the new plan (the platform adopts the new plan), linked to
    the old measure by ``carried_over_from``. The old measure keeps its status and its whole
    history: it is what happened under the old plan, and its page links to its continuation.
    Indicators are copied with their baseline and the targets that fall in the new period.

    :raise NotAllowed: the plan is closed, or a measure is finished.
    :raise ValidationError: a measure is already carried over, has no matching theme, or its
        code is taken in the new plan.
    """
    if not plan.is_open:
        raise NotAllowed(_l("The action plan %(plan)s is closed.", plan=plan.code))
    created = []
    first_day = date(plan.start_year, 1, 1)
    for old in measures:
        if old.plan_id == plan.id:
            raise ValidationError(_l("Measure %(code)s is already in this plan.", code=old.code))
        if not old.is_open:
            raise NotAllowed(
                _l("Measure %(code)s is finished: there is nothing to carry over.", code=old.code)
            )
        if any(new.plan_id == plan.id for new in old.carried_over_to):
            raise ValidationError(
                _l("Measure %(code)s has already been carried over.", code=old.code)
            )
        theme = _theme_in(plan, old.theme)
        if theme is None:
            raise ValidationError(
                _l(
                    "The new plan has no theme for measure %(code)s: add its themes first.",
                    code=old.code,
                )
            )
        if _code_taken(plan, old.code):
            raise ValidationError(
                _l("Measure %(code)s already exists in this action plan.", code=old.code)
            )
        new = Measure(
            plan=plan,
            theme=theme,
            code=old.code,
            title=old.title,
            description=old.description,
            lead_agency_id=old.lead_agency_id,
            partners=list(old.partners),
            deadline=old.deadline if old.deadline and old.deadline >= first_day else None,
            status=MeasureStatus.PROPOSED,
            carried_over_from=old,
        )
        db.session.add(new)
        db.session.add(
            MeasureTransition(
                measure=new, from_status=None, to_status=MeasureStatus.PROPOSED, by=actor
            )
        )
        for indicator in old.indicators:
            copy = Indicator(
                position=indicator.position,
                name=indicator.name,
                unit=indicator.unit,
                direction=indicator.direction,
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
            )
            for target in indicator.targets:
                if plan.start_year <= target.year <= plan.end_year:
                    copy.targets.append(IndicatorTarget(year=target.year, target=target.target))
            new.indicators.append(copy)
        db.session.flush()
        record_event(
            "measure.carry_over",
            actor=actor,
            obj=new,
            changes={"from_measure_id": old.id, "from_plan": old.plan.code, "plan": plan.code},
        )
        created.append(new)
    if not created:
        raise ValidationError(_l("Choose at least one measure to carry over."))
    return created
