"""One search box for everything a user may see: ``GET /search?q=&kind=&forum=&year=&status=``."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.agencies.models import Forum
from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.i18n import current_language
from coordination.core.pagination import page_number
from coordination.db import db
from coordination.search import queries
from coordination.search.forms import SearchForm
from coordination.search.models import GROUP_LABELS, KIND_LABELS

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def index():
    """The results of the text and filters asked for, grouped by kind; a form with a problem
    (a text too long, an unknown filter) is answered 400 with its message, never an error."""
    authorize(Action.SEARCH)
    forums = db.session.scalars(select(Forum).order_by(Forum.id)).all()
    form = SearchForm.for_user(current_user, request.args, forums)
    asked = bool(request.args)
    valid = form.validate() if asked else True
    results = None
    if valid and form.text:
        results = queries.search(current_user, form.filters(page_number()), current_language())
    arguments = {
        key: value for key, value in request.args.items() if key != "page" and value and valid
    }
    return render_template(
        "search/index.html",
        form=form,
        results=results,
        arguments=arguments,
        group_labels=GROUP_LABELS,
        kind_labels=KIND_LABELS,
        per_group=queries.PER_GROUP,
        per_page=queries.PER_PAGE,
        max_page=queries.MAX_PAGE,
        # The hint's example of a date, written as the page writes its dates.
        example_day=date(2025, 3, 12),
    ), 200 if valid else 400
