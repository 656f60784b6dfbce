"""Translatable names of the roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.core.labels import Labels
from coordination.users.models import Role

ROLE_LABELS = Labels(
    Role,
    {
        Role.SECRETARIAT: _l("Secretariat"),
        Role.AGENCY_REP: _l("Agency representative"),
        Role.MINISTER: _l("Minister or cabinet"),
        Role.RAPPORTEUR: _l("Independent rapporteur"),
    },
)

role_label = ROLE_LABELS.label
