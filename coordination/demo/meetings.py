"""Demo meetings: both forums' series from 2021 to the end of 2026, with agendas and documents.

The bureau meets on the second Tuesday of every month (10:00-12:30), the platform on the third
Thursday of March and October (14:00-16:30), both at the FPS Justice. Past meetings are held
and have a final agenda; one bureau meeting was cancelled, one moved because of a public
holiday; an extra platform meeting takes place at a shelter whose address is confidential.

Idempotent: a series is looked up by forum and title; its meetings, agendas and documents are
only created together with it. No e-mail is written for demo data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from coordination.agencies.models import Agency, Forum
from coordination.core.texts import CONTENT_LANGUAGES, Texts
from coordination.core.time import brussels_to_utc, today_brussels, utcnow
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2026, 12, 31)


def T(nl: str, fr: str, en: str | None = None) -> Texts:
    """A demo text in Dutch and French (and English where the secretariat wrote it)."""
    return Texts(nl=nl, fr=fr, en=en)


PLACE_JUSTICE = T(
    "FOD Justitie, Waterloolaan 115, 1000 Brussel",
    "SPF Justice, boulevard de Waterloo 115, 1000 Bruxelles",
    "FPS Justice, Boulevard de Waterloo 115, 1000 Brussels",
)


@dataclass(frozen=True)
class DemoSeries:
    """A series of the demo: meetings of two and a half hours at the FPS Justice from
    ``FIRST_DAY`` to ``LAST_DAY``."""

    title: Texts
    rrule: str
    start_time: time
    #: The meeting room at the FPS Justice.
    room: Texts


BUREAU = DemoSeries(
    T(
        "Bureau — maandelijkse vergadering",
        "Bureau — réunion mensuelle",
        "Bureau — monthly meeting",
    ),
    "FREQ=MONTHLY;BYDAY=2TU",
    time(10, 0),
    T("zaal 7.12", "salle 7.12", "room 7.12"),
)
PLATFORM = DemoSeries(
    T(
        "Coördinatieplatform — plenaire vergadering",
        "Plateforme de coordination — réunion plénière",
        "Coordination platform — plenary meeting",
    ),
    "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=3TH",
    time(14, 0),
    T("Raadzaal", "salle du Conseil", "Council room"),
)

SHELTER_TITLE = T(
    "Platform — werkbezoek en vergadering",
    "Plateforme — visite de travail et réunion",
    "Platform — working visit and meeting",
)

INFO, DISCUSSION, DECISION = (
    AgendaItemKind.INFORMATION,
    AgendaItemKind.DISCUSSION,
    AgendaItemKind.DECISION,
)

NO_DESCRIPTION = Texts()

# (title, kind, presenting agency code, minutes, Markdown description)
BUREAU_CASES = (
    T("Dossiers en tendensen — tafelronde", "Dossiers et tendances — tour de table",
      "Cases and trends — round table"),
    DISCUSSION,
    "FEDPOL",
    40,
    T(
        "- Federale Politie: recente dossiers seksuele en economische uitbuiting\n"
        "- ECOSOC-teams: controles in de bouw, de schoonmaak en de vleessector\n"
        "- Gespecialiseerde centra: doorverwijzingen en opvang sinds de vorige vergadering\n\n"
        "*Geen namen of identificerende details in de notulen.*",
        "- Police fédérale\u00a0: dossiers récents d'exploitation sexuelle et économique\n"
        "- Équipes ECOSOC\u00a0: contrôles dans la construction, le nettoyage et le secteur de la "
        "viande\n"
        "- Centres spécialisés\u00a0: orientations et accueil depuis la dernière réunion\n\n"
        "*Pas de noms ni de détails identifiants dans le procès-verbal.*",
    ),
)  # fmt: skip
BUREAU_VARIA = (T("Varia", "Divers", "Any other business"), INFO, "CU", 10, NO_DESCRIPTION)
BUREAU_TOPICS = [
    (T("Bedenktijd van 45 dagen: praktijk van de Dienst Vreemdelingenzaken",
       "Délai de réflexion de 45 jours\u00a0: pratique de l'Office des étrangers",
       "45-day reflection period: practice of the Immigration Office"),
     DISCUSSION, "IMMIGRATION", 30,
     T("De DVZ licht de praktijk toe van de **bedenktijd van 45 dagen** en de overgang "
       "naar de verblijfsdocumenten van 3 en 6 maanden.\n\n"
       "Vragen van de centra: termijnen van afgifte, informatie aan de slachtoffers.",
       "L'OE présente la pratique du **délai de réflexion de 45 jours** et le passage aux "
       "documents de séjour de 3 et 6 mois.\n\n"
       "Questions des centres\u00a0: délais de délivrance, information aux victimes.")),
    (T("Gids voor werknemers in 28 talen: verspreiding door de ECOSOC-teams",
       "Guide pour travailleurs en 28 langues\u00a0: diffusion par les équipes ECOSOC",
       "Workers' guide in 28 languages: distribution by the ECOSOC teams"),
     INFO, "NSSO", 15,
     T("Stand van zaken van de verspreiding van de werknemersgids (28 talen) bij controles.",
       "État de la diffusion du guide pour travailleurs (28 langues) lors des contrôles.")),
    (T("Omzendbrief multidisciplinaire samenwerking (2016): evaluatie van de doorverwijzing",
       "Circulaire coopération multidisciplinaire (2016)\u00a0: évaluation de l'orientation",
       "2016 circular on multidisciplinary cooperation: evaluation of referral"),
     DISCUSSION, "COLPG", 30,
     T("Evaluatie van het nationale doorverwijzingsmechanisme:\n\n"
       "1. rol van de eerstelijnsdiensten;\n2. termijnen van doorverwijzing naar de centra;\n"
       "3. terugkoppeling naar de parketten.",
       "Évaluation du mécanisme national d'orientation :\n\n"
       "1. rôle des services de première ligne ;\n2. délais d'orientation vers les centres ;\n"
       "3. retour d'information vers les parquets.")),
    (T("Cijfers 2022: 1 409 potentiële slachtoffers doorverwezen, 228 erkend",
       "Chiffres 2022\u00a0: 1 409 victimes potentielles orientées, 228 reconnues",
       "2022 figures: 1,409 potential victims referred, 228 recognised"),
     INFO, "MYRIA", 20,
     T("Waarvan 180 slachtoffers van economische uitbuiting. Bespreking van het verschil tussen "
       "doorverwijzing en erkenning.",
       "Dont 180 victimes d'exploitation économique. Discussion des écarts entre orientation et "
       "reconnaissance.")),
    (T("Voorstel: maatregel 3.4 — doorverwijzing van potentiële slachtoffers door sociale "
       "inspecteurs",
       "Proposition\u00a0: mesure 3.4 — orientation des victimes potentielles par les inspecteurs "
       "sociaux",
       "Proposal: measure 3.4 — referral of potential victims by social inspectors"),
     DECISION, "SOCINSP", 25,
     T("Voorstel voor het **actieplan**, voor te leggen aan het platform:\n\n"
       "- opleiding van alle sociale inspecteurs over de indicatoren;\n"
       "- doorverwijzing naar een gespecialiseerd centrum binnen 24 uur.",
       "Proposition pour le **plan d'action**, à soumettre à la plateforme :\n\n"
       "- formation de tous les inspecteurs sociaux aux indicateurs ;\n"
       "- orientation vers un centre spécialisé dans les 24 heures.")),
    (T("Praktische samenwerking met de gespecialiseerde centra (Payoke, Sürya, Pag-asa)",
       "Coopération pratique avec les centres spécialisés (Payoke, Sürya, Pag-asa)",
       "Practical cooperation with the specialised centres (Payoke, Sürya, Pag-asa)"),
     DISCUSSION, "PAGASA", 25,
     T("Opvang van slachtoffers die in het weekend worden doorverwezen; contacten met de "
       "referentiemagistraten.",
       "Accueil des victimes orientées le week-end\u00a0; contacts avec les magistrats de "
       "référence.")),
    (T("Voorbereiding van het platform: voorstellen voor het actieplan",
       "Préparation de la plateforme\u00a0: propositions pour le plan d'action",
       "Preparing the platform: proposals for the action plan"),
     DISCUSSION, "CU", 30,
     T("Welke voorstellen gaan naar het volgende platform? Ontwerpteksten volgen per e-mail.",
       "Quelles propositions pour la prochaine plateforme\u00a0? Les projets de texte suivent par "
       "e-mail.")),
]  # fmt: skip
ECOSOC_2024 = (
    T("Resultaten ECOSOC-inspecties 2024: 240 controles gericht op mensenhandel",
      "Résultats des inspections ECOSOC 2024\u00a0: 240 contrôles ciblés sur la traite",
      "ECOSOC inspection results 2024: 240 trafficking-focused inspections"),
    INFO, "NSSO", 20,
    T("De 10 ECOSOC-teams voerden in 2024 **240** controles gericht op mensenhandel uit "
      "(streefwaarde van het actieplan: minstens 100 per jaar).\n\n"
      "Voornaamste sectoren: bouw, schoonmaak, horeca, transport.",
      "Les 10 équipes ECOSOC ont mené **240** contrôles ciblés sur la traite en 2024 "
      "(valeur cible du plan d'action\u00a0: au moins 100 par an).\n\n"
      "Principaux secteurs\u00a0: construction, nettoyage, horeca, transport."),
)  # fmt: skip

PLATFORM_OPENING = (
    T("Opening door de voorzitter", "Ouverture par la présidence", "Opening by the chair"),
    INFO, "CU", 10, NO_DESCRIPTION,
)  # fmt: skip
PLATFORM_REPORT = (
    T("Verslag van het bureau sinds het vorige platform",
      "Rapport du bureau depuis la dernière plateforme",
      "Report of the bureau since the last platform"),
    INFO, "CU", 20,
    T("Samenvatting van de werkzaamheden van het bureau en van de voorbereide voorstellen.",
      "Synthèse des travaux du bureau et des propositions préparées."),
)  # fmt: skip
PLATFORM_DEFENCE = (
    T("Infosessies van Defensie volgens het protocol van 2006 met de Federale Politie",
      "Sessions d'information de la Défense selon le protocole de 2006 avec la Police fédérale",
      "Defence information sessions under the 2006 protocol with the Federal Police"),
    INFO, "DEFENCE", 20,
    T("Protocol van 20 maart 2006: militairen in het buitenland melden signalen van "
      "mensenhandel aan de Federale Politie, die hen infosessies geeft vóór hun vertrek.",
      "Protocole du 20 mars 2006\u00a0: les militaires à l'étranger signalent les indices de "
      "traite à la Police fédérale, qui leur donne des sessions d'information avant leur départ."),
)  # fmt: skip
PLATFORM_MYRIA = (
    T("Jaarverslag van de onafhankelijke rapporteur (Myria)",
      "Rapport annuel du rapporteur indépendant (Myria)",
      "Annual report of the independent rapporteur (Myria)"),
    INFO, "MYRIA", 25,
    T("Voorstelling van de aanbevelingen van het jaarverslag „Mensenhandel en -smokkel”.",
      "Présentation des recommandations du rapport annuel «\u00a0Traite et trafic des êtres "
      "humains\u00a0»."),
)  # fmt: skip
PLATFORM_PROPOSALS = [
    (T("Voorstel: maatregel 1.2 — opleiding van de eerstelijnspolitie over de indicatoren",
       "Proposition\u00a0: mesure 1.2 — formation de la police de première ligne aux indicateurs",
       "Proposal: measure 1.2 — training of first-line police on victim indicators"),
     "FEDPOL"),
    (T("Voorstel: maatregel 2.3 — minstens 100 ECOSOC-controles per jaar gericht op "
       "mensenhandel",
       "Proposition\u00a0: mesure 2.3 — au moins 100 contrôles ECOSOC par an ciblés sur la traite",
       "Proposal: measure 2.3 — at least 100 trafficking-focused ECOSOC inspections a year"),
     "NSSO"),
    (T("Voorstel: maatregel 3.4 — doorverwijzing van potentiële slachtoffers door sociale "
       "inspecteurs",
       "Proposition\u00a0: mesure 3.4 — orientation des victimes potentielles par les inspecteurs "
       "sociaux",
       "Proposal: measure 3.4 — referral of potential victims by social inspectors"),
     "SOCINSP"),
    (T("Voorstel: maatregel 4.1 — referentiemagistraten mensenhandel in elk arrondissement",
       "Proposition\u00a0: mesure 4.1 — magistrats de référence traite dans chaque arrondissement",
       "Proposal: measure 4.1 — reference magistrates for trafficking in every district"),
     "COLPG"),
    (T("Voorstel: maatregel 5.2 — sensibilisering van het personeel van Defensie in het "
       "buitenland",
       "Proposition\u00a0: mesure 5.2 — sensibilisation du personnel de la Défense déployé à "
       "l'étranger",
       "Proposal: measure 5.2 — awareness of Defence personnel deployed abroad"),
     "DEFENCE"),
    (T("Voorstel: maatregel 3.1 — informatie over de bedenktijd in 28 talen",
       "Proposition\u00a0: mesure 3.1 — information sur le délai de réflexion en 28 langues",
       "Proposal: measure 3.1 — reflection-period information in 28 languages"),
     "IMMIGRATION"),
]  # fmt: skip
PLATFORM_VARIA = BUREAU_VARIA
PLATFORM_PROPOSAL_DESCRIPTION = T(
    "Voorstel voorbereid door het bureau. Het platform beslist over de **aanneming** in het "
    "actieplan.",
    "Proposition préparée par le bureau. La plateforme décide de son **adoption** dans le plan "
    "d'action.",
)

CANCELLED_BUREAU = date(2021, 1, 12)
CANCELLED_REASON = (
    "Covid-19: vergadering geannuleerd, de agendapunten schuiven door naar februari / "
    "réunion annulée, les points sont reportés en février."
)
#: 11 November 2025 is Armistice Day, a public holiday: the bureau met the day after.
MOVED_BUREAU = date(2025, 11, 11)
MOVED_TO = date(2025, 11, 12)
SHELTER_DAY = date(2026, 12, 17)
SHELTER_PLACE = T(
    "Opvanghuis Pag-asa — Voorbeeldstraat 1, 1000 Brussel",
    "Maison d'accueil Pag-asa — rue de l'Exemple 1, 1000 Bruxelles",
)


def _pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing ``lines`` (no binary fixtures in the repository)."""
    text = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


class _Agendas:
    """Builds agenda items directly (one flush for hundreds of rows keeps ``demo load`` fast)."""

    def __init__(self) -> None:
        self.agencies = {a.code: a for a in db.session.scalars(select(Agency))}
        self.count = 0

    def add(self, meeting: Meeting, specs: list[tuple]) -> list[AgendaItem]:
        items = []
        for position, (title, kind, code, minutes, description) in enumerate(specs, start=1):
            item = AgendaItem(
                meeting=meeting,
                position=position,
                title=title,
                kind=kind,
                presenting_agency=self.agencies.get(code),
                duration_minutes=minutes,
                description=description,
            )
            db.session.add(item)
            items.append(item)
        self.count += len(items)
        return items


def _bureau_agenda(meeting: Meeting, index: int) -> list[tuple]:
    topics = [BUREAU_TOPICS[index % len(BUREAU_TOPICS)]]
    if meeting.local_date.year == 2025 and meeting.local_date.month in (2, 3):
        topics.insert(0, ECOSOC_2024)
    # No approval of the previous minutes here: circulating those minutes puts it first.
    return [BUREAU_CASES, *topics, BUREAU_VARIA]


def _platform_agenda(meeting: Meeting, index: int) -> list[tuple]:
    title, code = PLATFORM_PROPOSALS[index % len(PLATFORM_PROPOSALS)]
    proposal = (title, DECISION, code, 30, PLATFORM_PROPOSAL_DESCRIPTION)
    specs = [PLATFORM_OPENING, PLATFORM_REPORT, proposal]
    if meeting.local_date.month == 10:
        specs.append(PLATFORM_MYRIA)
    if index % 2 == 0:
        specs.append(PLATFORM_DEFENCE)
    specs.append(PLATFORM_VARIA)
    return specs


def _series(forum: Forum, title: Texts) -> MeetingSeries | None:
    return db.session.scalar(
        select(MeetingSeries).where(
            MeetingSeries.forum_id == forum.id, MeetingSeries.title_nl == title.nl
        )
    )


def _finish_past(meetings: list[Meeting], now: datetime) -> None:
    """Past meetings took place and their agenda was final a week before."""
    for meeting in meetings:
        if meeting.ends_at < now and meeting.status is MeetingStatus.SCHEDULED:
            meeting.status = MeetingStatus.HELD
            meeting.sequence += 1
        soon = meeting.starts_at - now < timedelta(days=7)
        if soon and meeting.status is not MeetingStatus.CANCELLED and meeting.agenda_items:
            meeting.agenda_final = True
            meeting.agenda_finalised_at = meeting.starts_at - timedelta(days=7)


def _attach(meeting: Meeting, name: str, lines: list[str], item: AgendaItem | None = None) -> None:
    services.store_document(
        meeting,
        stream=io.BytesIO(_pdf(lines)),
        filename=name,
        agenda_item=item,
        actor=None,
        upload_dir=current_app.config["UPLOAD_DIR"],
        max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
    )


def _create_series(forum: Forum, demo: DemoSeries) -> list[Meeting]:
    """The demo series with all its meetings (no e-mail), in date order."""
    today = today_brussels()
    series = services.create_series(
        forum,
        title=demo.title,
        rrule=demo.rrule,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        start_time=demo.start_time,
        duration_minutes=150,
        place=Texts(
            **{
                language: f"{PLACE_JUSTICE.get(language)} — {demo.room.get(language)}"
                for language in CONTENT_LANGUAGES
            }
        ),
        actor=None,
        today=today,
        # Far enough to reach LAST_DAY, however far it is from today.
        horizon_months=12 + max(0, (LAST_DAY.year - today.year) * 12),
        notify_members=False,
    )
    return sorted(series.meetings, key=lambda m: m.local_date)


def _load_bureau(forum: Forum, summary: DemoSummary, agendas: _Agendas, now: datetime) -> None:
    if _series(forum, BUREAU.title) is not None:
        return
    meetings = _create_series(forum, BUREAU)
    by_day = {m.occurrence_date: m for m in meetings}
    for index, meeting in enumerate(meetings):
        if meeting.occurrence_date != CANCELLED_BUREAU:
            agendas.add(meeting, _bureau_agenda(meeting, index))
    if CANCELLED_BUREAU in by_day:
        services.cancel_meeting(
            by_day[CANCELLED_BUREAU],
            expected_version=None,
            reason=CANCELLED_REASON,
            actor=None,
            now=now,
            notify_members=False,
        )
    if MOVED_BUREAU in by_day:
        services.reschedule_meeting(
            by_day[MOVED_BUREAU],
            expected_version=None,
            starts_at=brussels_to_utc(MOVED_TO, time(10, 0)),
            ends_at=brussels_to_utc(MOVED_TO, time(12, 30)),
            place=by_day[MOVED_BUREAU].place,
            actor=None,
            now=now,
            notify_members=False,
        )
    db.session.flush()
    _finish_past(meetings, now)
    ecosoc = [m for m in meetings if m.local_date.year == 2025 and m.local_date.month == 3]
    if ecosoc:
        item = next((i for i in ecosoc[0].agenda_items if i.title == ECOSOC_2024[0]), None)
        _attach(
            ecosoc[0],
            "ECOSOC-inspecties 2024 — resultaten.pdf",
            [
                "RSZ / ONSS - ECOSOC-teams mensenhandel",
                "Resultaten 2024: 240 controles gericht op mensenhandel",
                "Doelstelling actieplan: minstens 100 per jaar",
                "Sectoren: bouw, schoonmaak, horeca, transport",
            ],
            item,
        )
        summary.count("documents")
    upcoming = [m for m in meetings if m.starts_at > now and m.status is MeetingStatus.SCHEDULED]
    if upcoming:
        _attach(
            upcoming[0],
            f"Ontwerpagenda bureau {upcoming[0].local_date:%Y-%m-%d}.pdf",
            [
                "Bureau - ontwerpagenda / projet d'ordre du jour",
                f"Vergadering van {upcoming[0].local_date:%d.%m.%Y}, 10:00-12:30",
                *(f"{i.position}. {i.title.nl}" for i in upcoming[0].agenda_items),
            ],
        )
        summary.count("documents")
    summary.count("meeting series")
    summary.count("meetings", len(meetings))


def _load_platform(forum: Forum, summary: DemoSummary, agendas: _Agendas, now: datetime) -> None:
    if _series(forum, PLATFORM.title) is not None:
        return
    meetings = _create_series(forum, PLATFORM)
    for index, meeting in enumerate(meetings):
        agendas.add(meeting, _platform_agenda(meeting, index))
    shelter = services.schedule_meeting(
        forum,
        title=SHELTER_TITLE,
        starts_at=brussels_to_utc(SHELTER_DAY, time(14, 0)),
        ends_at=brussels_to_utc(SHELTER_DAY, time(16, 30)),
        place=SHELTER_PLACE,
        place_confidential=True,
        actor=None,
        now=now,
        notify_members=False,
    )
    agendas.add(
        shelter,
        [
            PLATFORM_OPENING,
            (T("Bezoek aan het opvanghuis", "Visite de la maison d'accueil",
               "Visit to the shelter"), INFO, "PAGASA", 45,
             T("Geen foto's, geen adres in de notulen of in e-mails.",
               "Pas de photos\u00a0; l'adresse n'apparaît ni dans le procès-verbal ni dans les "
               "e-mails.")),
            (T("Nationaal actieplan 2026-2030: ontwerp",
               "Plan d'action national 2026-2030\u00a0: projet",
               "National action plan 2026-2030: draft"),
             DISCUSSION, "CU", 45,
             T("Eerste lezing van het ontwerp; aanneming voorzien op het platform van maart.",
               "Première lecture du projet\u00a0; adoption prévue à la plateforme de mars.")),
            PLATFORM_VARIA,
        ],
    )  # fmt: skip
    db.session.flush()
    _finish_past([*meetings, shelter], now)
    defence = [
        m
        for m in meetings
        if m.local_date.year == 2024 and any(i.title == PLATFORM_DEFENCE[0] for i in m.agenda_items)
    ]
    if defence:
        item = next(i for i in defence[0].agenda_items if i.title == PLATFORM_DEFENCE[0])
        _attach(
            defence[0],
            "Protocole Défense - Police fédérale (2006) — note de synthèse.pdf",
            [
                "Protocole du 20 mars 2006 entre la Defense et la Police federale",
                "Signalement des indices de traite par les militaires deployes",
                "Sessions d'information par la Police federale avant le depart",
            ],
            item,
        )
        summary.count("documents")
    summary.count("meeting series")
    summary.count("meetings", len(meetings) + 1)


def load_meetings(summary: DemoSummary) -> None:
    """Both series with their meetings, agendas and a few documents (only what is missing)."""
    forums = {f.code: f for f in db.session.scalars(select(Forum))}
    if "bureau" not in forums or "platform" not in forums:
        return
    now = utcnow()
    agendas = _Agendas()
    _load_bureau(forums["bureau"], summary, agendas, now)
    _load_platform(forums["platform"], summary, agendas, now)
    db.session.flush()
    if agendas.count:
        summary.count("agenda items", agendas.count)
