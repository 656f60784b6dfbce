"""Demo agencies and forums: the real Belgian actors and who sits where (MISSION.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from coordination.agencies.models import (
    Agency,
    AgencyKind,
    Forum,
    ForumMembership,
    MembershipRole,
)
from coordination.core.texts import Texts
from coordination.db import db

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

#: The coordination as it was set up for the 2021-2025 action plan.
DEMO_START = date(2021, 1, 1)

# code, kind, Dutch, French, English, platform, bureau ("member", "observer" or None)
AGENCIES = [
    ("CU", AgencyKind.MINISTRY,
     "Coördinatiecel, FOD Justitie", "Cellule de coordination, SPF Justice",
     "Coordination unit, FPS Justice", "member", "member"),
    ("JUSTICE", AgencyKind.MINISTRY,
     "Kabinet van de minister van Justitie", "Cabinet du ministre de la Justice",
     "Cabinet of the Minister of Justice", "member", None),
    ("INTERIOR", AgencyKind.MINISTRY,
     "Kabinet van de minister van Binnenlandse Zaken", "Cabinet de la ministre de l'Intérieur",
     "Cabinet of the Minister of the Interior", "member", None),
    ("EMPLOYMENT", AgencyKind.MINISTRY,
     "Kabinet van de minister van Werk", "Cabinet du ministre de l'Emploi",
     "Cabinet of the Minister of Employment", "member", None),
    ("FEDPOL", AgencyKind.POLICE,
     "Federale Politie", "Police fédérale", "Federal Police", "member", "member"),
    ("IMMIGRATION", AgencyKind.IMMIGRATION,
     "Dienst Vreemdelingenzaken", "Office des étrangers", "Immigration Office",
     "member", "member"),
    ("NSSO", AgencyKind.INSPECTORATE,
     "Rijksdienst voor Sociale Zekerheid (ECOSOC-teams mensenhandel)",
     "Office national de sécurité sociale (équipes ECOSOC traite des êtres humains)",
     "National Social Security Office (ECOSOC trafficking teams)", None, "member"),
    ("SOCINSP", AgencyKind.INSPECTORATE,
     "Toezicht op de Sociale Wetten, FOD Werkgelegenheid",
     "Contrôle des lois sociales, SPF Emploi",
     "Social inspection, FPS Employment", None, "member"),
    ("COLPG", AgencyKind.PROSECUTION,
     "College van procureurs-generaal", "Collège des procureurs généraux",
     "College of Prosecutors-General", "member", "member"),
    ("PAYOKE", AgencyKind.NGO,
     "Payoke", "Payoke", "Payoke", "member", "member"),
    ("SURYA", AgencyKind.NGO,
     "Sürya", "Sürya", "Sürya", "member", "member"),
    ("PAGASA", AgencyKind.NGO,
     "Pag-asa", "Pag-asa", "Pag-asa", "member", "member"),
    ("MYRIA", AgencyKind.RAPPORTEUR,
     "Myria, Federaal Migratiecentrum (onafhankelijk rapporteur)",
     "Myria, Centre fédéral Migration (rapporteur indépendant)",
     "Myria, Federal Migration Centre (independent rapporteur)", "observer", "observer"),
    ("DEFENCE", AgencyKind.DEFENCE,
     "Defensie", "Défense", "Defence", "member", None),
]  # fmt: skip

#: What readers call each agency, in Dutch, French and English: the official short names (the
#: migration that introduced short names gives existing agencies the same ones).
SHORT_NAMES = {
    "CU": Texts("Coördinatiecel", "Cellule de coordination", "Coordination unit"),
    "JUSTICE": Texts("Kabinet Justitie", "Cabinet Justice", "Justice cabinet"),
    "INTERIOR": Texts("Kabinet Binnenlandse Zaken", "Cabinet Intérieur", "Interior cabinet"),
    "EMPLOYMENT": Texts("Kabinet Werk", "Cabinet Emploi", "Employment cabinet"),
    # "FedPol" in both languages; FGP / PJF names only the judicial directorate.
    "FEDPOL": Texts.same("FedPol"),
    "IMMIGRATION": Texts("DVZ", "OE", "Immigration Office"),
    "NSSO": Texts("RSZ", "ONSS", "NSSO"),
    "SOCINSP": Texts("TSW", "CLS", "Control of Social Laws"),
    "COLPG": Texts(
        "College van procureurs-generaal",
        "Collège des procureurs généraux",
        "College of Prosecutors-General",
    ),
    "PAYOKE": Texts.same("Payoke"),
    "SURYA": Texts.same("Sürya"),
    "PAGASA": Texts.same("PAG-ASA"),
    "MYRIA": Texts.same("Myria"),
    "DEFENCE": Texts("Defensie", "Défense", "Defence"),
}

FORUMS = [
    {
        "code": "platform",
        "name_nl": "Interdepartementaal coördinatieplatform",
        "name_fr": "Plateforme de coordination interdépartementale",
        "name_en": "Inter-departmental coordination platform",
        "cadence_nl": "twee keer per jaar",
        "cadence_fr": "deux fois par an",
        "cadence_en": "twice a year",
        "political": True,
    },
    {
        "code": "bureau",
        "name_nl": "Bureau (operationeel forum)",
        "name_fr": "Bureau (forum opérationnel)",
        "name_en": "Bureau (operational forum)",
        "cadence_nl": "maandelijks",
        "cadence_fr": "mensuel",
        "cadence_en": "monthly",
        "political": False,
    },
]


def load_agencies_and_forums(summary: DemoSummary) -> None:
    forums = {}
    for spec in FORUMS:
        forum = db.session.scalar(select(Forum).where(Forum.code == spec["code"]))
        if forum is None:
            forum = Forum(**spec)
            db.session.add(forum)
            summary.count("forums")
        forums[spec["code"]] = forum
    db.session.flush()

    for code, kind, name_nl, name_fr, name_en, platform, bureau in AGENCIES:
        agency = db.session.scalar(select(Agency).where(Agency.code == code))
        if agency is None:
            agency = Agency(
                code=code, kind=kind, name_nl=name_nl, name_fr=name_fr, name_en=name_en,
                short_name=SHORT_NAMES[code],
            )  # fmt: skip
            db.session.add(agency)
            db.session.flush()
            summary.count("agencies")
        for forum_code, seat in (("platform", platform), ("bureau", bureau)):
            if seat is None:
                continue
            forum = forums[forum_code]
            exists = db.session.scalar(
                select(ForumMembership.id).where(
                    ForumMembership.forum_id == forum.id,
                    ForumMembership.agency_id == agency.id,
                )
            )
            if exists is None:
                db.session.add(
                    ForumMembership(
                        forum=forum, agency=agency, since=DEMO_START, role=MembershipRole(seat)
                    )
                )
                summary.count("memberships")
    db.session.flush()
