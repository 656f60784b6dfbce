"""The dashboard's filters: GET parameters, so that a filtered view is a shareable URL."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from coordination.agencies.models import Agency
from coordination.core.forms import Form
from coordination.core.templating import localised
from coordination.measures.models import ActionPlan, Theme
from coordination.measures.queries import FilterChoices


class DashboardFilterForm(Form):
    """Plan, theme and lead agency; no CSRF (it changes nothing and lives in the URL)."""

    class Meta:
        csrf = False

    plan = SelectField(_l("Action plan"), choices=[], default="", validators=[Optional()])
    theme = SelectField(_l("Theme"), choices=[], default="", validators=[Optional()])
    lead = SelectField(_l("Lead agency"), choices=[], default="", validators=[Optional()])

    def set_choices(self, choices: FilterChoices) -> None:
        self._plans_by_id = {str(plan.id): plan for plan in choices.plans}
        self._themes_by_id = {str(theme.id): theme for theme in choices.themes}
        self._agencies_by_id = {str(agency.id): agency for agency in choices.agencies}
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
        self.lead.choices = [SelectChoice("", _l("All lead agencies"))] + [
            SelectChoice(str(agency.id), agency.choice_label()) for agency in choices.agencies
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
        return self._agencies_by_id.get(self.lead.data or "")
