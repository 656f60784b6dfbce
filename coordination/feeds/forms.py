"""Forms of the calendar subscription page (every one CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from coordination.core.forms import Form


class CreateFeedForm(Form):
    """First calendar address: nothing to confirm, nothing breaks."""

    submit = SubmitField(_l("Create my calendar address"))


class RegenerateFeedForm(Form):
    confirm = BooleanField(
        _l("I understand that calendars subscribed with my current address will stop updating."),
        validators=[DataRequired(message=_l("Please confirm that the current address may stop."))],
    )
    submit = SubmitField(_l("Create a new address"))


class RevokeFeedForm(Form):
    confirm = BooleanField(
        _l("I understand that calendars subscribed with my address will stop updating."),
        validators=[DataRequired(message=_l("Please confirm that the address may stop."))],
    )
    submit = SubmitField(_l("Stop my calendar address"))
