"""What a search text may mean besides its words, as people type it: a measure's code ("6.8",
"3.4b"), an agency's short name ("DVZ", "OE"), a day or a month ("12/03/2025", "12.03.2025",
"2025-03-12", "12 maart 2025", "12 mars 2025", "March 12, 2025", "maart 2025").

Pure functions of the text: no database, no request. The words themselves go to the databases'
full-text engines (``search.queries``), which read any text safely.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import get_month_names

from coordination.core.texts import CONTENT_LANGUAGES

#: Longer texts are refused with a message: nobody types more into a search box, and the
#: databases' work grows with the text.
MAX_TEXT_LENGTH = 200
#: Words given to SQLite's full-text query at most (the rest are ignored).
MAX_TERMS = 12
#: A measure's code and an agency's short name are at most this long (their columns).
MAX_NAME_LENGTH = 40

#: Years a typed date may fall in (anything else is a number, not a date).
FIRST_YEAR, LAST_YEAR = 1990, 2100

#: What may be the beginning of a measure's code: digits and dots, a letter at the end.
_CODE_PREFIX = re.compile(r"\d+(?:\.\d*)*[a-z]?", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """The days a typed date stands for (one day, or a whole month), inclusive."""

    first: date
    last: date


@dataclass(frozen=True)
class Reading:
    """What the search text means, besides its words."""

    text: str
    #: The text as a measure's code, to match exactly (in any case).
    code: str | None
    #: Whether codes that start with the text match too (it looks like the start of one).
    code_prefix: bool
    #: The text as an agency's code or short name, lowercased.
    agency: str | None
    period: Period | None


def read(text: str) -> Reading:
    """What ``text`` (already trimmed, within :data:`MAX_TEXT_LENGTH`) may mean."""
    short = text if 0 < len(text) <= MAX_NAME_LENGTH and " " not in text.strip() else None
    return Reading(
        text=text,
        code=short,
        code_prefix=bool(short and _CODE_PREFIX.fullmatch(short)),
        agency=short.lower() if short else None,
        period=parse_period(text),
    )


def code_range(prefix: str) -> tuple[str, str]:
    """The codes that start with ``prefix``, as a range (an index serves it on both
    databases, where ``LIKE`` would need collations)."""
    return prefix, prefix + "\U0010ffff"


# --- dates -----------------------------------------------------------------------------------


def _plain(word: str) -> str:
    """Lowercase, without accents or a trailing dot: "Févr." -> "fevr"."""
    decomposed = unicodedata.normalize("NFKD", word.lower().strip().rstrip("."))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _months() -> dict[str, int]:
    """Month names of the content languages, wide and abbreviated, to their numbers."""
    names: dict[str, int] = {}
    for language in CONTENT_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                names.setdefault(_plain(name), int(number))
    # What people also write: "sept", "mrt", "juil"; "maa" would be too short to be sure.
    names.setdefault("sept", 9)
    return names


_NUMERIC = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:e|er|ste|de|st|nd|rd|th)?\s+([^\W\d]+\.?)\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([^\W\d]+\.?)\s+(\d{4})")


def _day(year: int, month: int, day: int) -> Period | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return Period(value, value)


def _month(name: str) -> int | None:
    return _months().get(_plain(name))


def parse_period(text: str) -> Period | None:
    """The day (or month) ``text`` is, as people write one in Belgium: day first."""
    text = " ".join(text.split())
    if match := _ISO.fullmatch(text):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(text):
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _day(year, int(match[2]), int(match[1]))
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and (month := _month(match[2])):
        return _day(int(match[3]), month, int(match[1]))
    if (match := _MONTH_DAY_YEAR.fullmatch(text)) and (month := _month(match[1])):
        return _day(int(match[3]), month, int(match[2]))
    if (match := _MONTH_YEAR.fullmatch(text)) and (month := _month(match[1])):
        year = int(match[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        last = calendar.monthrange(year, month)[1]
        return Period(date(year, month, 1), date(year, month, last))
    return None


# --- SQLite's full-text query ----------------------------------------------------------------

#: A quoted phrase (its closing quote may be missing), or anything else up to a space.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(text: str) -> str | None:
    """An FTS5 query for ``text``, read the way PostgreSQL's ``websearch_to_tsquery`` reads it:
    words must all be there, "a phrase" in that order, ``or`` between two either of them,
    ``-word`` not. Every word is quoted, so FTS5's own syntax (``NEAR``, ``*``, ``:``,
    parentheses, column filters) typed by a user is only text; an unquoted word matches as a
    prefix, as people type ("mensenh" finds "mensenhandel"). None: no word to look for.
    """
    wanted: list[list[str]] = []  # alternatives (OR) of conjunctions (AND)
    unwanted: list[str] = []
    join_next = False
    terms = 0
    for match in _TOKEN.finditer(text):
        quoted = match[2] is not None
        raw = match[2] if quoted else match[3]
        if not quoted and raw.lower() == "or":
            join_next = bool(wanted)
            continue
        negated = bool(match[1]) if quoted else raw.startswith("-")
        words = _WORD.findall(raw)[: MAX_TERMS - terms]
        if not words:
            continue
        terms += len(words)
        phrase = '"' + " ".join(words) + '"' + ("" if quoted else "*")
        if negated:
            unwanted.append(phrase)
        elif join_next and wanted:
            wanted[-1].append(phrase)
        else:
            wanted.append([phrase])
        join_next = False
        if terms >= MAX_TERMS:
            break
    if not wanted:
        return None
    query = " AND ".join(
        f"({' OR '.join(group)})" if len(group) > 1 else group[0] for group in wanted
    )
    for phrase in unwanted:
        query = f"({query}) NOT {phrase}"
    return query
