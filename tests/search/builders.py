"""A small world for the search tests: both forums, content of every kind in Dutch and in
French, drafts, and words that only one forum's content holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.measures.models import MeasureStatus
from coordination.meetings.models import Document, Meeting
from coordination.minutes.models import MinutesStatus
from tests import factories
from tests.measures import factories as measure_factories
from tests.minutes import factories as minutes_factories

BUREAU_DAY = datetime(2025, 3, 12, 10, 0, tzinfo=BRUSSELS)
PLATFORM_DAY = datetime(2025, 3, 19, 14, 0, tzinfo=BRUSSELS)
DRAFT_DAY = datetime(2025, 4, 9, 10, 0, tzinfo=BRUSSELS)
CIRCULATED_DAY = datetime(2025, 5, 14, 10, 0, tzinfo=BRUSSELS)


def document(meeting: Meeting, filename: str) -> Document:
    obj = Document(
        meeting=meeting,
        filename=filename,
        media_type="application/pdf",
        size_bytes=1000,
        content_hash="0" * 64,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def minutes(meeting: Meeting, status: MinutesStatus, body: Texts, author: Any):
    obj = minutes_factories.minutes(meeting, status=status, author=author)
    obj.body = body
    db.session.flush()
    return obj


def build_search_world() -> dict[str, Any]:
    world = factories.world()
    secretariat = world["secretariat"]
    immigration = factories.agency(
        "IMMIGRATION", short_name_nl="DVZ", short_name_fr="OE", short_name_en="IO"
    )
    world["immigration"] = immigration

    bureau = factories.meeting(
        world["bureau"],
        BUREAU_DAY,
        title=Texts(
            nl="Maandelijkse bureauvergadering zeehaven", fr="Réunion mensuelle du bureau portuaire"
        ),
    )
    platform = factories.meeting(
        world["platform"],
        PLATFORM_DAY,
        title=Texts(nl="Platformvergadering lente", fr="Plateforme de printemps"),
    )
    world.update(bureau_meeting=bureau, platform_meeting=platform)

    world["item"] = factories.agenda_item(
        bureau,
        Texts(
            nl="Arbeidsuitbuiting in de bouwsector",
            fr="Exploitation économique dans la construction",
        ),
        description=Texts(
            nl="Toelichting door de kustwacht", fr="Présentation par les garde-côtes"
        ),
    )
    world["platform_item"] = factories.agenda_item(
        platform,
        Texts(nl="Kustwacht en havens", fr="Garde-côtes et ports"),
        description=Texts(nl="Vertrouwelijke nota over de kustwacht", fr="Note confidentielle"),
    )

    world["minutes"] = minutes(
        bureau,
        MinutesStatus.PUBLISHED,
        Texts(
            nl="## Zaken\n\nDe inspecteurs bespraken de champignonkwekerijen.",
            fr="## Dossiers\n\nLes inspecteurs ont discuté des champignonnières.",
        ),
        secretariat,
    )
    world["decision"] = minutes_factories.decision(
        world["minutes"],
        Texts(nl="Het bureau keurt het draaiboek goed.", fr="Le bureau approuve le mémorandum."),
    )
    world["follow_up"] = minutes_factories.follow_up(world["minutes"], world["bureau_only"])
    world["follow_up"].description = Texts(
        nl="Cijfers over opvangcapaciteit bezorgen", fr="Transmettre les chiffres d'hébergement"
    )
    world["platform_minutes"] = minutes(
        platform,
        MinutesStatus.PUBLISHED,
        Texts(
            nl="De kustwacht meldde drie schepen.", fr="Les garde-côtes ont signalé trois navires."
        ),
        secretariat,
    )

    draft_meeting = factories.meeting(world["bureau"], DRAFT_DAY, title="Bureau april")
    world["draft"] = minutes(
        draft_meeting,
        MinutesStatus.DRAFT,
        Texts(nl="Vertrouwelijk ontwerp over de kerstmarkt.", fr="Projet sur le marché de Noël."),
        secretariat,
    )
    world["draft_decision"] = minutes_factories.decision(
        world["draft"], "Kerstmarkt: geen besluit."
    )
    world["draft_action"] = minutes_factories.follow_up(
        world["draft"], world["bureau_only"], "Kerstmarkt opvolgen"
    )
    circulated_meeting = factories.meeting(world["bureau"], CIRCULATED_DAY, title="Bureau mei")
    world["circulated"] = minutes(
        circulated_meeting,
        MinutesStatus.CIRCULATED,
        Texts(nl="Ontwerp over de rozenkrans.", fr="Projet sur le chapelet."),
        secretariat,
    )

    world["document"] = document(bureau, "jaarverslag-kerncijfers.pdf")
    world["french_document"] = document(bureau, "rapport_annuel_saisonniers.pdf")
    world["platform_document"] = document(platform, "kustwacht-verslag.pdf")

    plan = measure_factories.plan()
    world["measure"] = measure_factories.measure(
        plan,
        immigration,
        MeasureStatus.IN_PROGRESS,
        code="6.8",
        title=Texts(
            nl="Opleiding van arbeidsinspecteurs over gedwongen arbeid",
            fr="Formation des contrôleurs au travail forcé",
        ),
    )
    world["other_measure"] = measure_factories.measure(
        plan, world["both"], code="3.4b", title=Texts(nl="Meldpunt", fr="Point de contact")
    )
    world["report"] = measure_factories.report(
        world["measure"], world["rep_both"], text="Verslag: 240 inspecties in de horeca."
    )
    world["french_report"] = measure_factories.report(
        world["measure"], world["rep_both"], text="Rapport : contrôles dans l'hôtellerie."
    )
    db.session.flush()
    return world
