"""The search form (GET, no CSRF needed: it changes nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional

from coordination.agencies.models import Forum
from coordination.auth.policy import Action, can
from coordination.core.forms import Form
from coordination.core.labels import Labels
from coordination.core.templating import localised
from coordination.measures.labels import REPORT_STATUS_LABELS
from coordination.measures.workflow import STATUS_LABELS as MEASURE_STATUS_LABELS
from coordination.meetings.workflow import STATUS_LABELS as MEETING_STATUS_LABELS
from coordination.minutes.labels import FOLLOW_UP_STATUS_LABELS, MINUTES_STATUS_LABELS
from coordination.minutes.models import MinutesStatus
from coordination.search.models import GROUP_LABELS, SearchGroup
from coordination.search.parsing import FIRST_YEAR, LAST_YEAR, MAX_TEXT_LENGTH
from coordination.search.queries import SearchFilters

#: Statuses of unpublished minutes: offered only to those who may find such minutes.
UNPUBLISHED = frozenset(status.value for status in MinutesStatus) - {MinutesStatus.PUBLISHED}


def _status_choices(labels: Labels | dict[Any, Any], hidden: frozenset[str]) -> list[tuple]:
    return [(str(status), label) for status, label in labels.items() if str(status) not in hidden]


class SearchForm(Form):
    q = SearchField(
        _l("Search for"),
        validators=[
            Length(
                max=MAX_TEXT_LENGTH,
                message=_l("Type at most %(max)d characters to search for."),
            )
        ],
    )
    kind = SelectField(_l("Kind"), choices=[], default="")
    forum = SelectField(_l("Forum"), choices=[], default="")
    year = IntegerField(
        _l("Year"),
        validators=[
            Optional(),
            NumberRange(
                min=FIRST_YEAR,
                max=LAST_YEAR,
                message=_l("Type a year between %(min)s and %(max)s."),
            ),
        ],
    )
    status = SelectField(_l("Status"), choices=[], default="")

    @classmethod
    def for_user(cls, user: Any, formdata: Any, forums: Iterable[Forum]) -> SearchForm:
        """The form with its choices: statuses of unpublished minutes only for those who may
        find such minutes."""
        form = cls(formdata, meta={"csrf": False})
        form.kind.choices = [("", _l("Every kind")), *GROUP_LABELS.items()]
        form.forum.choices = [("", _l("Every forum"))] + [
            (str(forum.id), localised(forum)) for forum in forums
        ]
        hidden = frozenset() if can(user, Action.MINUTES_WRITE) else UNPUBLISHED
        # Grouped by what has the status; the first choice stands outside every group.
        form.status.choices = {
            None: [("", _l("Any status"))],
            str(_l("Meetings")): _status_choices(MEETING_STATUS_LABELS, frozenset()),
            str(_l("Minutes")): _status_choices(MINUTES_STATUS_LABELS, hidden),
            str(_l("Measures")): _status_choices(MEASURE_STATUS_LABELS, frozenset()),
            str(_l("Progress reports")): _status_choices(REPORT_STATUS_LABELS, frozenset()),
            str(_l("Follow-up actions")): _status_choices(FOLLOW_UP_STATUS_LABELS, frozenset()),
        }
        return form

    @property
    def text(self) -> str:
        """What to search for, its spaces collapsed."""
        return " ".join((self.q.data or "").split())

    @property
    def filtered(self) -> bool:
        """Whether a filter besides the text is chosen."""
        return bool(
            self.kind.data or self.forum.data or self.year.data is not None or self.status.data
        )

    def filters(self, page: int) -> SearchFilters:
        """The validated form as the search's filters."""
        return SearchFilters(
            text=self.text,
            group=SearchGroup(self.kind.data) if self.kind.data else None,
            forum_id=int(self.forum.data) if self.forum.data else None,
            year=self.year.data,
            status=self.status.data or None,
            page=page,
        )
