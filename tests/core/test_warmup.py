"""A production worker compiles its templates and loads Markdown before its first request."""

from __future__ import annotations

import sys

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from coordination.core.markdown import _rendered
from tests.conftest import make_app


def test_a_warm_worker_has_every_template_compiled_before_its_first_request():
    app = make_app("sqlite://", WARM_UP=True)
    templates = app.jinja_env.list_templates(extensions=("html", "txt"))
    assert len(templates) > 100
    compiled = {name for (_loader, name) in app.jinja_env.cache}
    assert compiled >= set(templates)
    assert {"markdown.extensions.tables", "markdown.extensions.footnotes"} <= set(sys.modules)


def test_warming_up_leaves_the_cache_of_rendered_texts_alone():
    before = _rendered.cache_info().currsize
    make_app("sqlite://", WARM_UP=True)
    assert _rendered.cache_info().currsize == before


def test_only_production_warms_up():
    # Development reloads the templates it changes; the tests build many applications.
    assert ProductionConfig.WARM_UP is True
    assert DevelopmentConfig.WARM_UP is TestingConfig.WARM_UP is False
    assert len(make_app("sqlite://").jinja_env.cache) == 0
