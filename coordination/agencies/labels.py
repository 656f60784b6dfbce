"""Translatable names of agency kinds and membership roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.agencies.models import AgencyKind, MembershipRole
from coordination.core.labels import Labels

KIND_LABELS = Labels(
    AgencyKind,
    {
        AgencyKind.MINISTRY: _l("Ministry or cabinet"),
        AgencyKind.POLICE: _l("Police"),
        AgencyKind.PROSECUTION: _l("Prosecution"),
        AgencyKind.INSPECTORATE: _l("Inspectorate"),
        AgencyKind.IMMIGRATION: _l("Immigration"),
        AgencyKind.NGO: _l("Specialised centre (NGO)"),
        AgencyKind.RAPPORTEUR: _l("Independent rapporteur"),
        AgencyKind.DEFENCE: _l("Defence"),
        AgencyKind.JUDICIARY: _l("Judiciary"),
        AgencyKind.OTHER: _l("Other"),
    },
)

MEMBERSHIP_ROLE_LABELS = Labels(
    MembershipRole,
    {
        MembershipRole.MEMBER: _l("Member"),
        MembershipRole.OBSERVER: _l("Observer"),
    },
)
