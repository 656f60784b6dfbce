"""The content both communities read, and which of it still lacks its Dutch or French text.

Each :class:`TranslatedContent` names one text of one kind of record (a meeting's title, a
measure's description ...), which of those records matter now (meetings ahead, measures of
open plans, minutes not yet published ...), and where the secretariat writes the missing
text. A text is *untranslated* when it is written but its Dutch or its French is missing (see
:func:`~coordination.core.texts.untranslated`); an optional text left empty in every language
is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, literal, select, union_all

from coordination.agencies.models import Agency
from coordination.core.texts import Texts, untranslated
from coordination.db import db
from coordination.measures.models import ActionPlan, Indicator, Measure, PlanStatus
from coordination.meetings.models import AgendaItem, Meeting, MeetingSeries, MeetingStatus
from coordination.minutes.models import Decision, FollowUpAction, Minutes, MinutesStatus

LANGUAGE_LABELS = {"nl": _l("Dutch"), "fr": _l("French")}

#: At most this many records per kind on the page (the count says how many in all).
LISTED_PER_KIND = 100


@dataclass(frozen=True)
class TranslatedContent:
    """One text of one kind of record that both communities read."""

    key: str
    label: Any
    model: type
    attribute: str
    #: The records that matter now: a select of ``model`` (joins and conditions), given today.
    records: Callable[[date], Select[Any]]
    #: Where the secretariat writes the missing text of a record.
    link: Callable[[Any], str]

    def texts_of(self, record: Any) -> Texts:
        return getattr(record, self.attribute)

    def untranslated_records(self, today: date) -> Select[Any]:
        return self.records(today).where(untranslated(self.model, self.attribute))


def _meetings_ahead(today: date) -> Select[Any]:
    return select(Meeting).where(
        Meeting.local_date >= today, Meeting.status == MeetingStatus.SCHEDULED
    )


def _series_running(today: date) -> Select[Any]:
    return select(MeetingSeries).where(
        (MeetingSeries.ends_on.is_(None)) | (MeetingSeries.ends_on >= today)
    )


def _agenda_ahead(today: date) -> Select[Any]:
    return (
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.local_date >= today, Meeting.status == MeetingStatus.SCHEDULED)
    )


def _measures_of_open_plans(_today: date) -> Select[Any]:
    return (
        select(Measure)
        .join(ActionPlan, ActionPlan.id == Measure.plan_id)
        .where(ActionPlan.status == PlanStatus.OPEN)
    )


def _indicators_of_open_plans(_today: date) -> Select[Any]:
    return (
        select(Indicator)
        .join(Measure, Measure.id == Indicator.measure_id)
        .join(ActionPlan, ActionPlan.id == Measure.plan_id)
        .where(ActionPlan.status == PlanStatus.OPEN)
    )


def _in_draft_minutes(model: type) -> Callable[[date], Select[Any]]:
    """Decisions and actions are written while the minutes are a draft: translated before the
    minutes are approved and published to both communities."""

    def records(_today: date) -> Select[Any]:
        return (
            select(model)
            .join(Minutes, Minutes.id == model.minutes_id)  # type: ignore[attr-defined]
            .where(Minutes.status == MinutesStatus.DRAFT)
        )

    return records


def _active_agencies(_today: date) -> Select[Any]:
    return select(Agency).where(Agency.active.is_(True))


def _texts_of(
    model: type,
    records: Callable[[date], Select[Any]],
    link: Callable[[Any], str],
    *texts: tuple[str, Any, str],
) -> tuple[TranslatedContent, ...]:
    """The texts (key, label, attribute) of one kind of record, edited on the same page."""
    return tuple(
        TranslatedContent(key, label, model, attribute, records, link)
        for key, label, attribute in texts
    )


CONTENT: Sequence[TranslatedContent] = (
    *_texts_of(
        MeetingSeries, _series_running, lambda s: url_for("meetings.edit_series", series_id=s.id),
        ("series_title", _l("Title of a meeting series"), "title"),
        ("series_place", _l("Place of a meeting series"), "place"),
    ),
    *_texts_of(
        Meeting, _meetings_ahead, lambda m: url_for("meetings.edit", meeting_id=m.id),
        ("meeting_title", _l("Title of a meeting"), "title"),
        ("meeting_place", _l("Place of a meeting"), "place"),
    ),
    *_texts_of(
        AgendaItem, _agenda_ahead, lambda i: url_for("meetings.edit_agenda_item", item_id=i.id),
        ("agenda_title", _l("Title of an agenda item"), "title"),
        ("agenda_description", _l("Description of an agenda item"), "description"),
    ),
    *_texts_of(
        Measure, _measures_of_open_plans, lambda m: url_for("measures.edit", measure_id=m.id),
        ("measure_title", _l("Title of a measure"), "title"),
        ("measure_description", _l("Description of a measure"), "description"),
    ),
    *_texts_of(
        Indicator, _indicators_of_open_plans,
        lambda i: url_for("measures.edit_indicator", indicator_id=i.id),
        ("indicator_name", _l("Name of an indicator"), "name"),
    ),
    *_texts_of(
        Decision, _in_draft_minutes(Decision),
        lambda d: url_for("minutes.decisions", minutes_id=d.minutes_id),
        ("decision", _l("Decision in draft minutes"), "text"),
    ),
    *_texts_of(
        FollowUpAction, _in_draft_minutes(FollowUpAction),
        lambda a: url_for("minutes.follow_ups", minutes_id=a.minutes_id),
        ("follow_up", _l("Follow-up action in draft minutes"), "description"),
    ),
    *_texts_of(
        Agency, _active_agencies, lambda a: url_for("agencies.edit", agency_id=a.id),
        ("agency_short_name", _l("Short name of an agency"), "short_name"),
    ),
)  # fmt: skip


def untranslated_count(today: date) -> int:
    """How many texts still lack their Dutch or French version (one statement)."""
    counts = union_all(
        *(
            select(func.count().label("n")).select_from(
                content.untranslated_records(today).with_only_columns(literal(1)).subquery()
            )
            for content in CONTENT
        )
    ).subquery()
    return db.session.scalar(select(func.coalesce(func.sum(counts.c.n), 0))) or 0


@dataclass(frozen=True)
class Untranslated:
    """One text to translate: what it is, the text as written, the languages it lacks."""

    content: TranslatedContent
    texts: Texts
    missing: list[str]
    link: str

    @property
    def missing_languages(self) -> str:
        """The languages it lacks, named in the reader's language: "French"."""
        return ", ".join(str(LANGUAGE_LABELS[language]) for language in self.missing)


@dataclass(frozen=True)
class UntranslatedKind:
    content: TranslatedContent
    total: int
    listed: list[Untranslated]


def untranslated_by_kind(today: date) -> list[UntranslatedKind]:
    """Per kind with something to translate: how many, and the first of them (two statements
    per kind, whatever their number)."""
    kinds = []
    for content in CONTENT:
        query = content.untranslated_records(today)
        total = db.session.scalar(
            select(func.count()).select_from(query.with_only_columns(literal(1)).subquery())
        )
        if not total:
            continue
        records = db.session.scalars(
            query.order_by(content.model.id).limit(LISTED_PER_KIND)  # type: ignore[attr-defined]
        )
        listed = [
            Untranslated(
                content=content,
                texts=content.texts_of(record),
                missing=content.texts_of(record).missing_official(),
                link=content.link(record),
            )
            for record in records
        ]
        kinds.append(UntranslatedKind(content=content, total=total, listed=listed))
    return kinds
