"""The dashboard's filters: GET parameters, so that a filtered view is a shareable URL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from coordination.agencies.models import Agency
from coordination.core.forms import Form
from coordination.core.templating import localised
from coordination.core.time import brussels_to_utc, to_brussels
from coordination.dashboard.changes import Period
from coordination.measures.forms import LeadAgencyField
from coordination.measures.models import ActionPlan, Theme
from coordination.measures.queries import FilterChoices
from coordination.meetings.models import Meeting


class DashboardFilterForm(Form):
    """Plan, theme and lead agency; no CSRF (it changes nothing and lives in the URL)."""

    class Meta:
        csrf = False

    plan = SelectField(_l("Action plan"), choices=[], default="", validators=[Optional()])
    theme = SelectField(_l("Theme"), choices=[], default="", validators=[Optional()])
    lead = LeadAgencyField(_l("Lead agency"))

    def set_choices(self, choices: FilterChoices) -> None:
        self._plans_by_id = {str(plan.id): plan for plan in choices.plans}
        self._themes_by_id = {str(theme.id): theme for theme in choices.themes}
        self.plan.choices = [SelectChoice("", _l("The current plan"))] + [
            SelectChoice(str(plan.id), f"{plan.code} — {localised(plan, 'title')}")
            for plan in choices.plans
        ]
        self.theme.choices = [SelectChoice("", _l("All themes"))] + [
            SelectChoice(
                str(theme.id), f"{theme.position}. {localised(theme)}", optgroup=theme.plan.code
            )
            for theme in choices.themes
        ]

    def validate_theme(self, field: Any) -> None:
        theme = self._themes_by_id.get(field.data or "")
        if theme is None or not self.plan.data:
            return
        if str(theme.plan_id) != self.plan.data:
            raise ValidationError(_l("This theme belongs to another action plan."))

    def plans(self) -> list[ActionPlan]:
        return list(self._plans_by_id.values())

    def chosen_plan(self) -> ActionPlan | None:
        """The plan asked for, or the plan of the theme asked for (a theme says its plan)."""
        plan = self._plans_by_id.get(self.plan.data or "")
        theme = self.chosen_theme()
        if plan is None and theme is not None:
            return theme.plan
        return plan

    def chosen_theme(self) -> Theme | None:
        return self._themes_by_id.get(self.theme.data or "")

    def chosen_lead(self) -> Agency | None:
        return self.lead.agency


class ChangesForm(Form):
    """The period of "what changed": from a platform meeting or a date, to another platform
    meeting or now. GET parameters beside the dashboard's filters; no CSRF."""

    class Meta:
        csrf = False

    since = SelectField(_l("From the platform meeting of"), choices=[], validators=[Optional()])
    since_date = DateField(_l("Or from a date"), validators=[Optional()])
    until = SelectField(_l("Until"), choices=[], default="", validators=[Optional()])

    def set_meetings(self, meetings: Sequence[Meeting]) -> None:
        """The platform meetings that took place, latest first (the first is the default)."""
        self._meetings = {str(meeting.id): meeting for meeting in meetings}
        choices = [
            SelectChoice(str(meeting.id), format_date(to_brussels(meeting.starts_at), "long"))
            for meeting in meetings
        ]
        self.since.choices = choices
        self.until.choices = [SelectChoice("", _l("Now")), *choices]

    def period(self, now: datetime) -> Period | None:
        """The period asked for (by default since the last platform meeting); None when no
        platform meeting has taken place and no date is given.

        :raise ValidationError: a period that ends before it starts, a meeting not offered.
        """
        until = self._meeting(self.until.data)
        end = until.starts_at if until is not None else now
        if self.since_date.data is not None:
            # The whole day counts: from the moment before its midnight in Brussels.
            start = brussels_to_utc(self.since_date.data, time(0)) - timedelta(microseconds=1)
            since = None
        else:
            since = self._meeting(self.since.data) or next(iter(self._meetings.values()), None)
            if since is None:
                return None
            start = since.starts_at
        if start >= end:
            raise ValidationError(_l("The period must start before it ends."))
        return Period(start, end, since=since, until=until)

    def _meeting(self, key: str | None) -> Meeting | None:
        if not key:
            return None
        meeting = self._meetings.get(key)
        if meeting is None:
            raise ValidationError(_l("Choose one of the platform meetings offered."))
        return meeting
