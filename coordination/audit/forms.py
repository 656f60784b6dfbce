"""Filters of the audit log (GET form, no CSRF needed: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from coordination.core.forms import Form


class AuditFilterForm(Form):
    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=80)])
    actor = StringField(_l("Who (e-mail contains)"), validators=[Optional(), Length(max=255)])
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = IntegerField(
        _l("Object number"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)]
    )
    submit = SubmitField(_l("Filter"))
