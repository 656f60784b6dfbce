"""Every user-facing string is translated into Dutch and French, and the catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "coordination" / "translations"


def load(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def extracted_ids(tmp_path: Path) -> set:
    output = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "--ignore-dirs", ".*", "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2",
         "--no-location", "--omit-header", "-o", str(output), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(output, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_catalog_is_complete(language):
    missing = []
    for message in load(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert missing == [], f"{language}: {len(missing)} untranslated: {missing[:20]}"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_catalog_covers_every_marked_string(language, tmp_path):
    catalog_ids = {message.id for message in load(language) if message.id}
    missing = extracted_ids(tmp_path) - catalog_ids
    assert missing == set(), f"run `make translations` and translate: {sorted(missing)[:20]}"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in load(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(pattern.findall(ids[-1]))
        for translated in strings:
            if not translated:
                continue  # reported by test_catalog_is_complete
            assert set(pattern.findall(translated)) <= expected | set(pattern.findall(ids[0]))
            if len(strings) == 1:
                assert set(pattern.findall(translated)) == expected, message.id


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_catalog_is_not_marked_fuzzy(language):
    """A fuzzy catalog is silently skipped by `pybabel compile`: the UI would stay English."""
    assert not load(language).fuzzy


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("nl-BE,nl;q=0.9", "Aanmelden"), ("fr-BE,fr;q=0.9", "Se connecter"), ("en", "Log in")],
)
def test_pages_are_rendered_in_the_browser_language(client, accept_language, expected):
    page = client.get("/login", headers={"Accept-Language": accept_language}).data.decode()
    assert f"<h1>{expected}</h1>" in page


def test_french_punctuation_keeps_its_space_on_the_line():
    """French puts a narrow no-break space before ":", ";", "!" and "?" (and "%").

    An ordinary space lets a line break strand the colon at the start of the next line.
    """
    import re

    loose = re.compile(r" ([:;!?]|%%)")  # "%%" is a percent sign; "%(name)s" a placeholder
    wrong = []
    for message in load("fr"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [text for text in strings if text and loose.search(text)]
    assert wrong == [], f"{len(wrong)} French strings with a breaking space: {wrong[:5]}"
