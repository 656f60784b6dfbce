"""The base of every form, forms used across the site, and form-building helpers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Form as WTForm
from wtforms import (
    FormField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.simple import FileField as AnyFileField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from coordination.core.texts import CONTENT_LANGUAGES, OFFICIAL_LANGUAGES, Texts

#: Bidirectional embeddings, overrides and isolates: they make text read differently from what
#: it is ("Trojan Source"); nobody types them in a title or in minutes.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def one_line(value: Any) -> Any:
    """A single-line field's text as its user meant it: line breaks and tabs become spaces,
    control and bidirectional-override characters go (a CR in a title once broke every
    e-mail about that meeting)."""
    if not isinstance(value, str):
        return value
    spaced = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", value)
    return "".join(ch for ch in BIDI_CONTROLS.sub("", spaced) if not _is_control(ch))


def several_lines(value: Any) -> Any:
    """A text area's text: Windows and old Mac line ends become \\n; other control and
    bidirectional-override characters go (tabs stay: Markdown uses them)."""
    if not isinstance(value, str):
        return value
    text = BIDI_CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))


def _is_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc"


class Form(FlaskForm):
    """Every form of the platform: what reaches a validator is what a browser sends.

    - only the form's own encoding is read (the JSON body of a request is refused earlier,
      see ``core.views``), and a file part counts only for a file field: a text field never
      receives a file;
    - a submitted form is what was submitted: a field left out is empty, never silently the
      value of the object being edited;
    - text is normalised at input (``one_line``, ``several_lines``); passwords are kept as
      typed.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            return MultiDict(
                (key, value)
                for key, value in formdata.items(multi=True)
                if not isinstance(value, FileStorage) or _is_file_field(form, key)
            )

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            normalise = _normaliser(unbound_field.field_class)
            if normalise is not None:  # first, before the field's own filters
                own = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": (normalise, *own)}
            return super().bind_field(form, unbound_field, options)

    def process(self, formdata: Any = None, obj: Any = None, data: Any = None, **kwargs: Any):
        formdata = self.meta.wrap_formdata(self, formdata)
        if formdata is not None:
            obj = None  # the submitted values, all of them, and only them
        super().process(formdata, obj, data=data, **kwargs)


def _is_file_field(form: Any, name: str) -> bool:
    unbound = getattr(type(form), name, None)
    field_class = getattr(unbound, "field_class", None)
    return isinstance(field_class, type) and issubclass(field_class, AnyFileField)


def _normaliser(field_class: type) -> Any:
    if issubclass(field_class, PasswordField):
        return None
    if issubclass(field_class, TextAreaField):
        return several_lines
    if issubclass(field_class, StringField):
        return one_line
    return None


F = TypeVar("F", bound=FlaskForm)


def short_code_validators() -> list[Any]:
    """A short code that identifies a row for good (FEDPOL, NAP-2026-2030): it ends up in URLs
    and on the command line, so letters, digits, - and _ only."""
    return [
        DataRequired(),
        Length(max=40),
        Regexp(
            r"^[A-Za-z][A-Za-z0-9_-]*$",
            message=_l("Use letters, digits, - and _ only, starting with a letter."),
        ),
    ]


def form_with_fields(form_class: type[F], fields: dict[str, Any], **kwargs: Any) -> F:
    """A ``form_class`` form with more fields, for forms shaped by the data (a target per year
    of the plan, a value per indicator, a decision per proposal).

    WTForms reads fields from the class, so they go on a subclass made for this form.
    """
    subclass = type(form_class.__name__, (form_class,), fields)
    return subclass(**kwargs)


class ConfirmForm(Form):
    """An empty form: a CSRF-protected confirmation button for state-changing actions."""

    submit = SubmitField(_l("Confirm"))


class _LanguageTexts(WTForm):
    """The inner form of a :class:`TextsField`: one text per content language."""

    #: Whether a Dutch or a French text is required (set by ``TextsField``).
    required = True

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.required and not any(
            (self[language].data or "").strip() for language in OFFICIAL_LANGUAGES
        ):
            self.form_errors.append(_l("Write it in Dutch or in French (or both)."))
            return False
        return valid


def _language_texts_form(max_length: int | None, multiline: bool, required: bool) -> type:
    field_class = TextAreaField if multiline else StringField
    normalise = several_lines if multiline else one_line
    validators = [Length(max=max_length)] if max_length else []
    labels = {"nl": _l("Dutch"), "fr": _l("French"), "en": _l("English (optional)")}
    fields = {
        language: field_class(labels[language], validators=list(validators), filters=[normalise])
        for language in CONTENT_LANGUAGES
    }
    return type("LanguageTexts", (_LanguageTexts,), {"required": required, **fields})


class TextsField(FormField):
    """A text written in Dutch and French (one at least), English optional, side by side.

    Its ``data`` is a :class:`~coordination.core.texts.Texts`; the browser sends
    ``<name>-nl``, ``<name>-fr`` and ``<name>-en``.
    """

    def __init__(
        self,
        label: Any = None,
        *,
        max_length: int | None = None,
        multiline: bool = False,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(_language_texts_form(max_length, multiline, required), label, **kwargs)
        self.multiline = multiline
        self.flags.required = required

    @property
    def data(self) -> Texts:  # type: ignore[override]
        return Texts(
            **{language: self.form[language].data for language in CONTENT_LANGUAGES}
        ).cleaned()

    @data.setter
    def data(self, value: Texts | str | None) -> None:
        texts = Texts.coerce(value)
        for language in CONTENT_LANGUAGES:
            self.form[language].data = texts.get(language)


def version_field() -> IntegerField:
    """The version the user saw: a stale one is refused instead of overwriting a colleague."""
    return IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(message=_l("This form is incomplete: reload the page."))],
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a group of checkboxes (rendered by the ``field`` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
