"""The action plans: the list, opening the next plan (with the last one's themes), a plan's
themes, closing a plan and carrying unfinished measures over (registered on the action plan's
blueprint, :mod:`coordination.measures.blueprint`)."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action
from coordination.core.actions import form_page, submit_button
from coordination.core.templating import localised
from coordination.db import db
from coordination.measures import queries, services
from coordination.measures.blueprint import bp
from coordination.measures.forms import CarryOverForm, ClosePlanForm, PlanForm, ThemeForm
from coordination.measures.models import ActionPlan

# --- plans ---------------------------------------------------------------------------------


def _plan_page(plan: ActionPlan) -> str:
    return url_for("measures.plan", plan_id=plan.id)


@bp.get("/measures/plans")
@login_required
def plans():
    authorize(Action.MEASURES_VIEW)
    return render_template("measures/plans.html", plans=queries.plans_overview())


@bp.route("/measures/plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    """Open the next action plan (e.g. 2026-2030), optionally with the themes of the last one."""
    authorize(Action.MEASURES_MANAGE)
    form = PlanForm()
    form.copy_themes_from.choices = [SelectChoice("", _l("No themes: I will add them"))] + [
        SelectChoice(str(plan.id), f"{plan.code} — {localised(plan, 'title')}")
        for plan, _count in queries.plans_overview()
    ]
    return form_page(
        form,
        lambda: services.open_plan(
            code=form.code.data,
            title_nl=form.title_nl.data,
            title_fr=form.title_fr.data,
            title_en=form.title_en.data,
            start_year=form.start_year.data,
            end_year=form.end_year.data,
            copy_themes_from=db.get_or_404(ActionPlan, int(form.copy_themes_from.data))
            if form.copy_themes_from.data
            else None,
            actor=current_user,
        ),
        error_field=form.code,
        success=lambda plan: _("The action plan %(plan)s is open.", plan=plan.code),
        then=_plan_page,
        template="measures/plan_form.html",
    )


@bp.route("/measures/plans/<id:plan_id>", methods=["GET", "POST"])
@login_required
def plan(plan_id: int):
    """A plan's themes; the secretariat adds themes to an open plan."""
    plan = queries.load_plan(plan_id)
    if plan is None:
        abort(404)
    authorize(Action.MEASURES_VIEW, plan)
    form = ThemeForm()
    if form.is_submitted():
        authorize(Action.MEASURES_MANAGE, plan)
    return form_page(
        form,
        lambda: services.add_theme(
            plan,
            name_nl=form.name_nl.data,
            name_fr=form.name_fr.data,
            name_en=form.name_en.data,
            actor=current_user,
        ),
        error_field=form.name_en,
        success=_("The theme has been added."),
        then=_plan_page(plan),
        template="measures/plan.html",
        context={
            "plan": plan,
            "close_form": ClosePlanForm(formdata=None),
            "counts": queries.theme_counts(plan),
        },
    )


@bp.post("/measures/plans/<id:plan_id>/close")
@login_required
def close_plan(plan_id: int):
    plan = load_authorized(ActionPlan, plan_id, Action.MEASURES_MANAGE)
    return submit_button(
        ClosePlanForm(),
        lambda: services.close_plan(plan, actor=current_user),
        success=_("The action plan %(plan)s is closed.", plan=plan.code),
        then=_plan_page(plan),
        incomplete=_l("Tick the confirmation to close the plan."),
        code=302,
    )


@bp.route("/measures/plans/<id:plan_id>/carry-over", methods=["GET", "POST"])
@login_required
def carry_over(plan_id: int):
    """Carry unfinished measures of earlier plans over into this one, keeping their history."""
    plan = load_authorized(ActionPlan, plan_id, Action.MEASURES_MANAGE)
    candidates = services.carry_over_candidates(plan)
    form = CarryOverForm()
    form.set_choices(candidates)

    def carry_over() -> list:
        chosen = {int(value) for value in form.measures.data or []}
        chosen_measures = [measure for measure in candidates if measure.id in chosen]
        return services.carry_over_measures(plan, chosen_measures, actor=current_user)

    return form_page(
        form,
        carry_over,
        error_field=form.measures,
        success=lambda created: ngettext(
            "%(num)d measure carried over.", "%(num)d measures carried over.", len(created)
        ),
        then=url_for("measures.index", plan=plan.id),
        template="measures/carry_over.html",
        context={"plan": plan, "candidates": candidates},
    )
