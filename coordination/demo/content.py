"""The demo's content: the TOML files of ``data/``, shipped in the wheel.

Demo content is data, not code: texts in three languages, dates and figures are edited there
(comments and multi-line texts included) without touching the loaders, which turn each file into
typed values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from coordination.core.texts import Texts


def read_content(name: str) -> dict[str, Any]:
    """The parsed ``data/<name>.toml``."""
    source = files("coordination.demo") / "data" / f"{name}.toml"
    return tomllib.loads(source.read_text(encoding="utf-8"))


def texts(table: Mapping[str, str] | None) -> Texts:
    """A text written per language (``{ nl = "…", fr = "…", en = "…" }``); none if absent."""
    return Texts(**table) if table else Texts()
