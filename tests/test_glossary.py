"""The Dutch and French catalogs use one word per concept, the one docs/glossary.md fixes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
TRANSLATIONS = ROOT / "coordination" / "translations"
LANGUAGES = ("nl", "fr")

#: The kinds of row; labels of statuses and roles must be translated by the term itself.
KINDS = ("status", "role", "noun")
LABEL_KINDS = ("status", "role")

#: Columns of a glossary row, in the order of docs/glossary.md.
COLUMNS = ("kind", "english", "nl", "fr", "found", "forbidden_nl", "forbidden_fr")


@dataclass(frozen=True)
class Term:
    kind: str
    english: str
    #: Per language, the whole translations a label may have (inflections expanded).
    forms: dict[str, tuple[re.Pattern[str], ...]]
    #: What finds, in a msgid, an entry about this concept.
    found_by: tuple[re.Pattern[str], ...]
    #: Per language, the variants that such an entry must not use.
    forbidden: dict[str, tuple[re.Pattern[str], ...]]

    def concerns(self, msgids: tuple[str, ...]) -> bool:
        return any(pattern.search(msgid) for pattern in self.found_by for msgid in msgids)

    def is_label(self, msgids: tuple[str, ...]) -> bool:
        """The msgid *is* the term: a status or role shown on its own."""
        return self.kind in LABEL_KINDS and msgids[0].casefold() == self.english.casefold()


# --- reading the glossary ------------------------------------------------------------------


def backtick_patterns(cell: str) -> tuple[re.Pattern[str], ...]:
    """One case-insensitive regular expression per `span` of a cell."""
    return tuple(re.compile(span, re.IGNORECASE) for span in re.findall(r"`([^`]+)`", cell))


def accepted_forms(cell: str) -> tuple[re.Pattern[str], ...]:
    """The whole translations a term cell accepts.

    "instantie(s)": the glued part in parentheses is optional. "forum (fora)": the word in
    parentheses after a space is another form.
    """
    alternative = re.fullmatch(r"(.+?) \(([^()]+)\)", cell.strip())
    forms = alternative.groups() if alternative else (cell.strip(),)
    return tuple(re.compile(_with_optional_parts(form), re.IGNORECASE) for form in forms)


def _with_optional_parts(form: str) -> str:
    literal_and_optional = re.split(r"\(([^()]*)\)", form)
    # re.split puts the captured (optional) parts at the odd positions.
    return "".join(
        f"(?:{re.escape(part)})?" if index % 2 else re.escape(part)
        for index, part in enumerate(literal_and_optional)
    )


def table_rows(markdown: str) -> Iterator[list[str]]:
    for line in markdown.splitlines():
        if line.startswith("|"):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_glossary(markdown: str) -> list[Term]:
    terms = []
    for cells in table_rows(markdown):
        if not cells or cells[0] not in KINDS:
            continue  # a header or separator row
        assert len(cells) == len(COLUMNS), f"glossary row with {len(cells)} cells: {cells}"
        row = dict(zip(COLUMNS, cells, strict=True))
        found_by = backtick_patterns(row["found"]) or (
            re.compile(rf"\b{re.escape(row['english'])}\b", re.IGNORECASE),
        )
        terms.append(
            Term(
                kind=row["kind"],
                english=row["english"],
                forms={language: accepted_forms(row[language]) for language in LANGUAGES},
                found_by=found_by,
                forbidden={
                    language: backtick_patterns(row[f"forbidden_{language}"])
                    for language in LANGUAGES
                },
            )
        )
    return terms


@pytest.fixture(scope="module")
def glossary() -> list[Term]:
    return read_glossary(GLOSSARY.read_text(encoding="utf-8"))


# --- reading the catalogs ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    msgids: tuple[str, ...]  # singular, then plural if any
    strings: tuple[str, ...]  # one per plural form


def as_entry(message: Message) -> Entry:
    msgids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return Entry(msgids=tuple(msgids), strings=tuple(s for s in strings if s))


def catalog_entries(language: str) -> list[Entry]:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return [as_entry(message) for message in read_po(handle) if message.id]


# --- the checks ----------------------------------------------------------------------------


def forbidden_variants(terms: list[Term], entries: list[Entry], language: str) -> list[str]:
    """One line per translation that uses a variant the glossary forbids."""
    problems = []
    for entry in entries:
        for term in terms:
            if not term.concerns(entry.msgids):
                continue
            for string in entry.strings:
                for pattern in term.forbidden[language]:
                    found = pattern.search(string)
                    if found:
                        problems.append(
                            f"{term.english!r}: {entry.msgids[0]!r} -> {string!r} "
                            f"uses {found.group(0)!r}"
                        )
    return problems


def wrong_labels(terms: list[Term], entries: list[Entry], language: str) -> list[str]:
    """One line per status or role label not translated by exactly the glossary term."""
    problems = []
    for entry in entries:
        for term in terms:
            if not term.is_label(entry.msgids):
                continue
            for string in entry.strings:
                if not any(form.fullmatch(string.strip()) for form in term.forms[language]):
                    problems.append(f"{entry.msgids[0]!r} -> {string!r}, not the glossary term")
    return problems


def test_glossary_defines_statuses_roles_and_nouns(glossary):
    kinds = {term.kind for term in glossary}
    assert kinds == set(KINDS)
    english = [term.english for term in glossary if term.kind in LABEL_KINDS]
    assert len(english) == len(set(english)), "a status or role is defined twice"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_uses_a_forbidden_variant(glossary, language):
    problems = forbidden_variants(glossary, catalog_entries(language), language)
    assert problems == [], f"{language}: {len(problems)} entries:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_and_role_labels_are_the_glossary_terms(glossary, language):
    entries = catalog_entries(language)
    labels = [e for e in entries for term in glossary if term.is_label(e.msgids)]
    assert len(labels) >= 15, "the labels of the glossary are no longer in the catalog"
    problems = wrong_labels(glossary, entries, language)
    assert problems == [], f"{language}: {len(problems)} labels:\n" + "\n".join(problems)


# --- the checker itself, on made-up entries -------------------------------------------------

SAMPLE = """
| Kind | English | Dutch | French | Found in msgid | Forbidden in Dutch | Forbidden in French |
|---|---|---|---|---|---|---|
| status | adopted | aangenomen | adoptée(s) | `\\badopt` | `goedkeur` `goedgekeurd` | `approuv` |
| noun | agency | instantie(s) | organisme(s) | `\\bagenc` | `agentschap` | `\\bservices?\\b` |
| noun | forum | forum (fora) | forum(s) | | | |
"""


def test_the_checker_flags_a_forbidden_variant_in_any_inflection():
    terms = read_glossary(SAMPLE)
    entries = [
        Entry(
            ("%(num)d agency", "%(num)d agencies"), ("%(num)d instantie", "%(num)d agentschappen")
        ),
        Entry(("Measures adopted",), ("Goedgekeurde maatregelen",)),
        Entry(("Inspectorate",), ("Inspectiedienst",)),  # no "agency" in the msgid: not checked
    ]
    problems = forbidden_variants(terms, entries, "nl")
    assert [problem.split(":")[0] for problem in problems] == ["'agency'", "'adopted'"]


def test_the_checker_accepts_the_inflections_of_a_label_and_nothing_else():
    terms = read_glossary(SAMPLE)
    entries = [
        Entry(("Adopted",), ("Adoptée",)),
        Entry(("adopted",), ("adoptées",)),
        Entry(("Adopted",), ("Adopté",)),
    ]
    assert wrong_labels(terms, entries, "fr") == ["'Adopted' -> 'Adopté', not the glossary term"]


def test_a_word_in_parentheses_is_another_form():
    forum = read_glossary(SAMPLE)[-1]
    assert [bool(form.fullmatch("fora")) for form in forum.forms["nl"]] == [False, True]
