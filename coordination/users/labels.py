"""Translatable names of the roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.users.models import Role

ROLE_LABELS = {
    Role.SECRETARIAT: _l("Secretariat"),
    Role.AGENCY_REP: _l("Agency representative"),
    Role.MINISTER: _l("Minister or cabinet"),
    Role.RAPPORTEUR: _l("Independent rapporteur"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])
