"""Content written in the platform's languages: a Dutch and a French text (one of them at
least), English optional.

A reader sees their own language; when it is missing, the other official language is shown
with a visible mark, never silently: ``{{ meeting.title }}`` renders
``<span lang="fr">…</span> (not available in your language)`` for a Dutch reader of a title
written only in French. Models keep one column per language and map them to a ``Texts`` value
(an SQLAlchemy composite), so reading, comparing and writing a text is one thing in the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Text, and_, or_
from sqlalchemy.orm import Composite, composite, mapped_column
from sqlalchemy.types import TypeEngine

from coordination.core.errors import ValidationError
from coordination.core.i18n import current_language

#: The platform's content languages, the official ones first.
CONTENT_LANGUAGES = ("nl", "fr", "en")
OFFICIAL_LANGUAGES = ("nl", "fr")

#: For each reader, where to look when their language is missing (the other community first).
FALLBACKS = {"nl": ("fr", "en"), "fr": ("nl", "en"), "en": ("nl", "fr")}


@dataclass(frozen=True)
class Shown:
    """What a reader gets: a text, its language, and whether it is not the reader's."""

    text: str
    language: str
    missing: bool


@dataclass(frozen=True)
class Texts:
    """A text in Dutch, French and (optionally) English; ``None`` where not written."""

    nl: str | None = None
    fr: str | None = None
    en: str | None = None

    @classmethod
    def same(cls, text: str | None) -> Texts:
        """One text for every language: a proper name or an acronym (Payoke, ECOSOC)."""
        return cls(nl=text, fr=text, en=text)

    @classmethod
    def coerce(cls, value: Texts | str | None) -> Texts:
        """A ``Texts`` as is; a plain string is the same in every language (``same``)."""
        return value if isinstance(value, Texts) else cls.same(value)

    def cleaned(self) -> Texts:
        """Blank texts become missing ones; surrounding space goes."""
        return Texts(**{language: _clean(self.get(language)) for language in CONTENT_LANGUAGES})

    def get(self, language: str) -> str | None:
        return getattr(self, language, None) if language in CONTENT_LANGUAGES else None

    def has_official(self) -> bool:
        """Whether the Dutch or the French text is written (one of them is required)."""
        return any((self.get(language) or "").strip() for language in OFFICIAL_LANGUAGES)

    def missing_official(self) -> list[str]:
        """The official languages without a text (what the secretariat still has to write)."""
        return [
            language for language in OFFICIAL_LANGUAGES if not (self.get(language) or "").strip()
        ]

    def shown_in(self, language: str) -> Shown:
        """The text for a reader of ``language``: theirs, else the first fallback written."""
        own = self.get(language)
        if own:
            return Shown(own, language, missing=False)
        for other in FALLBACKS.get(language, OFFICIAL_LANGUAGES):
            text = self.get(other)
            if text:
                return Shown(text, other, missing=True)
        return Shown("", language, missing=False)

    def text_in(self, language: str) -> str:
        """Plain text for a reader of ``language`` (e-mails, feeds, PDFs, exports): theirs, else
        another language's followed by "(not available in your language)" in the current
        interface language."""
        shown = self.shown_in(language)
        if not shown.missing:
            return shown.text
        return f"{shown.text} ({_('not available in your language')})"

    def __str__(self) -> str:
        """The text in the current reader's language, or another one, marked."""
        return self.text_in(reader_language())

    def __html__(self) -> str:
        """For templates: another language's text carries its ``lang`` and a visible note."""
        shown = self.shown_in(reader_language())
        if not shown.missing:
            return str(escape(shown.text))
        note = _("not available in your language")
        return str(
            Markup('<span lang="{}">{}</span> <span class="untranslated">({})</span>').format(
                shown.language, shown.text, note
            )
        )

    def as_dict(self) -> dict[str, str]:
        """The written texts by language (for the audit log and exports)."""
        return {language: text for language in CONTENT_LANGUAGES if (text := self.get(language))}

    def __bool__(self) -> bool:
        return any(self.get(language) for language in CONTENT_LANGUAGES)

    def __composite_values__(self) -> tuple[str | None, str | None, str | None]:
        return self.nl, self.fr, self.en


def checked_texts(
    value: Texts | str | None, *, label: Any, max_length: int | None = None, required: bool = True
) -> Texts:
    """The texts a service stores: trimmed, each within ``max_length``, and (when
    ``required``) written in Dutch or in French.

    A plain string (a script, the demo data) counts as the same text in every language.

    :raise ValidationError: naming the field (``label``) and what is wrong.
    """
    texts = Texts.coerce(value).cleaned()
    if required and not texts.has_official():
        raise ValidationError(
            _l("%(field)s is required, in Dutch or in French (or both).", field=label)
        )
    if max_length is not None:
        for language in CONTENT_LANGUAGES:
            if len(texts.get(language) or "") > max_length:
                raise ValidationError(
                    _l("%(field)s may be at most %(max)s characters.", field=label, max=max_length)
                )
    return texts


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def reader_language() -> str:
    """The language texts are shown in now: the request's, else English (scripts, tests)."""
    try:
        return current_language()
    except RuntimeError:  # no application context: a script, a test outside a request
        return "en"


def mapped_texts(
    name: str, column_type: TypeEngine[str] | type[TypeEngine[str]] = Text
) -> Composite[Texts]:
    """The ``Texts`` attribute ``name`` of a model, stored in one nullable column per language
    (``language_columns(name)``, each of ``column_type``)::

        title: Mapped[Texts] = mapped_texts("title", String(200))

    The columns are attributes of the model too (``Meeting.title_nl``), for SQL that reads
    one language.
    """
    columns = (
        mapped_column(column, column_type, nullable=True) for column in language_columns(name)
    )
    return composite(Texts, *columns)


def written_in_one_language(column: str) -> str:
    """SQL check that a ``column`` mapped to ``Texts`` has a text in one language at least."""
    return " OR ".join(f"{name} IS NOT NULL" for name in language_columns(column))


def language_columns(name: str) -> tuple[str, ...]:
    """The columns that hold the languages of a ``Texts`` attribute: ``title_nl`` ..."""
    return tuple(f"{name}_{language}" for language in CONTENT_LANGUAGES)


def untranslated(model: Any, attribute: str) -> ColumnElement[bool]:
    """SQL condition: the ``attribute`` (mapped to ``Texts``) of ``model`` is written but lacks
    its Dutch or its French text."""
    columns = {
        language: getattr(model, f"{attribute}_{language}") for language in CONTENT_LANGUAGES
    }
    return and_(
        or_(*(column.is_not(None) for column in columns.values())),
        or_(*(columns[language].is_(None) for language in OFFICIAL_LANGUAGES)),
    )
