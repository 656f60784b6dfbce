"""Demo action plan: NAP 2021-2025, its six themes and forty plausible measures.

Every status is present, some measures are late, several carry indicators with yearly values
(the ECOSOC teams' trafficking-focused inspections: at least 100 a year, 240 in 2024; the
Federal Police's information sessions for Defence troops deployed abroad under the protocol of
20 March 2006 ...) and progress reports in every review state.

History is linked to the demo meetings (bureau on the second Tuesday of each month, platform in
March and October), looked up by forum code and month. Without those meetings (the meetings
demo not loaded) the history is recorded without links; a later run adds the links once the
meetings exist. Idempotent: plans, themes and measures are looked up by code first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from coordination.agencies.models import Agency, Forum
from coordination.auth.services import find_user_by_email
from coordination.core.texts import Texts
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.measures.services import agenda_title
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.users.models import User

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

PLAN_CODE = "NAP-2021-2025"
SECRETARIAT_EMAIL = "secretariat@demo.coordination.be"

#: The demo representative who reports for each lead agency.
REPORTERS = {
    "FEDPOL": "fedpol@demo.coordination.be",
    "NSSO": "nsso@demo.coordination.be",
    "PAGASA": "pagasa@demo.coordination.be",
    "DEFENCE": "defence@demo.coordination.be",
    "IMMIGRATION": "immigration@demo.coordination.be",
    "COLPG": "prosecutors@demo.coordination.be",
}

THEMES = [
    ("Preventie", "Prévention", "Prevention"),
    ("Detectie en identificatie van slachtoffers", "Détection et identification des victimes",
     "Detection and identification of victims"),
    ("Bescherming en ondersteuning van slachtoffers", "Protection et accompagnement des victimes",
     "Protection and support of victims"),
    ("Opsporing en vervolging", "Recherches et poursuites", "Investigation and prosecution"),
    ("Samenwerking en coördinatie", "Coopération et coordination",
     "Cooperation and coordination"),
    ("Economische uitbuiting", "Exploitation économique", "Labour exploitation"),
]  # fmt: skip

# Steps of a measure's history, in order:
#   ("bureau", y, m)          put on the agenda of the bureau meeting of that month
#   ("platform", y, m)        put on the agenda of the platform meeting of that month
#   ("adopt", y, m, note)     adopted by the platform meeting of that month
#   ("reject", y, m, note)    rejected by the platform meeting of that month
#   ("start" | "resume", day) in progress
#   ("postpone" | "implement" | "withdraw", day, note)
Step = tuple


def plan_adopted(*later: Step) -> tuple[Step, ...]:
    """The original measures: prepared in the bureau in February 2021, adopted in March."""
    return (
        ("bureau", 2021, 2),
        ("platform", 2021, 3),
        ("adopt", 2021, 3, "Adopted with the national action plan 2021-2025."),
        *later,
    )


def T(nl: str, fr: str, en: str | None = None) -> Texts:
    """A demo text in Dutch and French (and English where the secretariat wrote it)."""
    return Texts(nl=nl, fr=fr, en=en)


@dataclass(frozen=True)
class DemoIndicator:
    name: Texts
    unit: str
    targets: dict[int, str]
    #: year -> (value, source); recorded by the secretariat, outside any report.
    values: dict[int, tuple[str, str]] = field(default_factory=dict)
    direction: IndicatorDirection = IndicatorDirection.MORE_IS_BETTER
    baseline: tuple[str, int] | None = None


@dataclass(frozen=True)
class DemoReport:
    year: int
    status: ReportStatus
    text: str
    #: indicator index -> (value, source)
    values: dict[int, tuple[str, str]] = field(default_factory=dict)
    comment: str | None = None


@dataclass(frozen=True)
class DemoMeasure:
    code: str
    title: Texts
    lead: str
    partners: tuple[str, ...]
    deadline: date | None
    steps: tuple[Step, ...]
    description: Texts = field(default_factory=Texts)
    created: date = date(2021, 1, 11)
    indicators: tuple[DemoIndicator, ...] = ()
    reports: tuple[DemoReport, ...] = ()

    @property
    def theme_position(self) -> int:
        return int(self.code.split(".")[0])


NGOS = ("PAYOKE", "SURYA", "PAGASA")

ECOSOC = DemoIndicator(
    name=T(
        "Controles gericht op mensenhandel door de ECOSOC-teams van de RSZ",
        "Contrôles ciblés sur la traite des êtres humains par les équipes ECOSOC de l'ONSS",
        "Trafficking-focused inspections by the NSSO ECOSOC teams",
    ),
    unit="inspections",
    targets=dict.fromkeys(range(2021, 2026), "100"),
    values={
        2021: ("118", "NSSO, ECOSOC activity report 2021"),
        2022: ("164", "NSSO, ECOSOC activity report 2022"),
    },
    baseline=("86", 2020),
)

DEFENCE_SESSIONS = DemoIndicator(
    name=T(
        "Informatiesessies voor militairen vóór hun inzet in het buitenland",
        "Sessions d'information pour les militaires avant leur déploiement à l'étranger",
        "Information sessions for troops before deployment abroad",
    ),
    unit="sessions",
    targets=dict.fromkeys(range(2021, 2026), "6"),
    values={
        2021: ("4", "Federal Police, DJSOC/THB, yearly overview 2021"),
        2022: ("6", "Federal Police, DJSOC/THB, yearly overview 2022"),
        2023: ("7", "Federal Police, DJSOC/THB, yearly overview 2023"),
    },
)

MEASURES: list[DemoMeasure] = [
    # 1. Prevention -----------------------------------------------------------------------
    DemoMeasure(
        "1.1",
        T("Nationale sensibiliseringscampagne over mensenhandel",
          "Campagne nationale de sensibilisation à la traite des êtres humains",
          "National awareness campaign on trafficking in human beings"),
        "CU", ("FEDPOL", *NGOS), date(2023, 6, 30),
        plan_adopted(("start", date(2021, 9, 1)), ("bureau", 2023, 5),
                     ("implement", date(2023, 6, 20), "Campaign run in May and June 2023.")),
        description=T(
            "Een campagne in het Nederlands, het Frans en het Duits in het openbaar vervoer en "
            "op de sociale media, met de hulplijnen van de drie gespecialiseerde centra.",
            "Une campagne en néerlandais, en français et en allemand dans les transports en "
            "commun et sur les réseaux sociaux, avec les lignes d'assistance des trois centres "
            "spécialisés.",
            "A campaign in Dutch, French and German on public transport and social media, "
            "with the helplines of the three specialised centres."),
    ),
    DemoMeasure(
        "1.2",
        T("De gids voor werknemers „Werken in België” in 28 talen publiceren",
          "Publier le guide des travailleurs «\u00a0Travailler en Belgique\u00a0» en 28 langues",
          "Publish the workers' guide “Working in Belgium” in 28 languages"),
        "SOCINSP", ("NSSO", "IMMIGRATION"), date(2023, 12, 31),
        plan_adopted(("start", date(2021, 4, 1)), ("bureau", 2023, 11),
                     ("implement", date(2023, 12, 12), "28 language versions online.")),
        description=T(
            "De gids informeert buitenlandse werknemers over hun rechten (minimumloon, "
            "arbeidsduur, huisvesting) en over waar ze hulp kunnen krijgen.",
            "Le guide informe les travailleurs étrangers de leurs droits (salaire minimum, durée "
            "du travail, logement) et leur indique où trouver de l'aide.",
            "The guide tells foreign workers their rights (minimum wage, working hours, "
            "housing) and where to get help."),
        indicators=(DemoIndicator(
            T("Talen waarin de gids voor werknemers beschikbaar is",
              "Langues dans lesquelles le guide des travailleurs est disponible",
              "Languages in which the workers' guide is available"),
            "languages",
            {2022: "20", 2023: "28"},
            {2021: ("12", "FPS Employment"), 2022: ("21", "FPS Employment"),
             2023: ("28", "FPS Employment, publication of 12 December 2023")},
        ),),
    ),
    DemoMeasure(
        "1.3",
        T("Aanvragers van een visum voor tewerkstelling op de ambassades informeren over hun "
          "rechten",
          "Informer de leurs droits les demandeurs d'un visa de travail dans les ambassades",
          "Inform visa applicants for work at the embassies about their rights"),
        "IMMIGRATION", ("CU",), date(2025, 6, 30),
        plan_adopted(("start", date(2022, 1, 10))),
    ),
    DemoMeasure(
        "1.4",
        T("Uitbuiting van huispersoneel van diplomaten voorkomen",
          "Prévenir l'exploitation du personnel domestique des diplomates",
          "Prevent exploitation of domestic workers in diplomatic households"),
        "CU", ("IMMIGRATION", "SOCINSP"), date(2024, 12, 31),
        plan_adopted(("start", date(2022, 3, 1)),
                     ("postpone", date(2024, 3, 12),
                      "Waiting for the revised protocol of the FPS Foreign Affairs.")),
    ),
    DemoMeasure(
        "1.5",
        T("Sensibiliseringssessies voor jeugdwerkers over ronseling door loverboys",
          "Sessions de sensibilisation pour les professionnels de la jeunesse sur le "
          "recrutement par les loverboys",
          "Awareness sessions for youth workers on loverboy recruitment"),
        "PAGASA", ("PAYOKE", "SURYA", "FEDPOL"), date(2026, 12, 31),
        plan_adopted(("start", date(2021, 10, 4)), ("bureau", 2024, 2)),
    ),
    DemoMeasure(
        "1.6",
        T("Met onlineplatformen samenwerken om uitbuitende vacatures te laten verwijderen",
          "Collaborer avec les plateformes en ligne pour faire retirer les offres d'emploi "
          "relevant de l'exploitation",
          "Work with online platforms to remove exploitative job advertisements"),
        "FEDPOL", ("SOCINSP",), date(2027, 12, 31),
        (("bureau", 2026, 9), ("platform", 2026, 10)),
        description=T(
            "Voorbereid door het bureau in september 2026; het platform van oktober 2026 vroeg "
            "om een kostenraming alvorens te beslissen.",
            "Préparée par le bureau en septembre 2026\u00a0; la plateforme d'octobre 2026 a "
            "demandé une estimation des coûts avant de décider.",
            "Prepared by the bureau in September 2026; the platform of October 2026 asked for "
            "a cost estimate before deciding."),
        created=date(2026, 8, 25),
    ),
    DemoMeasure(
        "1.7",
        T("Sensibiliseringscampagne gericht op klanten van prostitutie",
          "Campagne de sensibilisation destinée aux clients de la prostitution",
          "Awareness campaign aimed at clients of prostitution"),
        "CU", NGOS, date(2023, 12, 31),
        (("bureau", 2022, 9), ("platform", 2022, 10),
         ("reject", 2022, 10, "The platform prefers to include it in measure 1.1.")),
        created=date(2022, 8, 29),
    ),
    # 2. Detection and identification ----------------------------------------------------
    DemoMeasure(
        "2.1",
        T("Politieambtenaren van de eerste lijn opleiden om slachtoffers te detecteren",
          "Former les policiers de première ligne à la détection des victimes",
          "Train first-line police officers to detect victims"),
        "FEDPOL", ("COLPG",), date(2025, 12, 31),
        plan_adopted(("start", date(2021, 9, 15)), ("bureau", 2024, 6)),
        description=T(
            "Een e-learningmodule en een klassikale opleiding van een halve dag voor elke "
            "politieambtenaar van de eerste lijn, met de indicatoren van de omzendbrief van "
            "2016.",
            "Un module d'e-learning et une demi-journée de formation en présentiel pour chaque "
            "policier de première ligne, avec les indicateurs de la circulaire de 2016.",
            "An e-learning module and a half-day classroom session for every first-line "
            "officer, with the indicators of the 2016 circular."),
        indicators=(DemoIndicator(
            T("Opgeleide politieambtenaren van de eerste lijn",
              "Policiers de première ligne formés",
              "First-line police officers trained"),
            "officers",
            dict.fromkeys(range(2022, 2026), "400"),
            {2022: ("350", "Federal Police, training service")},
        ),),
        reports=(
            DemoReport(2023, ReportStatus.ACCEPTED,
                       "455 officers trained; the e-learning is now compulsory in the basic "
                       "training.", {0: ("455", "Federal Police, training service 2023")}),
            DemoReport(2024, ReportStatus.ACCEPTED,
                       "512 officers trained, including the airport police.",
                       {0: ("512", "Federal Police, training service 2024")}),
        ),
    ),
    DemoMeasure(
        "2.2",
        T("Kaart met detectie-indicatoren voor sociaal inspecteurs",
          "Carte d'indicateurs de détection pour les inspecteurs sociaux",
          "Detection indicator card for social inspectors"),
        "SOCINSP", ("NSSO", "PAYOKE"), date(2022, 12, 31),
        plan_adopted(("start", date(2021, 5, 3)),
                     ("implement", date(2022, 11, 8), "Card distributed to all inspectors.")),
    ),
    DemoMeasure(
        "2.3",
        T("Slachtoffers identificeren onder de verzoekers om internationale bescherming",
          "Identifier les victimes parmi les demandeurs de protection internationale",
          "Identify victims among applicants for international protection"),
        "IMMIGRATION", NGOS, date(2026, 6, 30),
        plan_adopted(("start", date(2022, 2, 1)), ("bureau", 2025, 3)),
    ),
    DemoMeasure(
        "2.4",
        T("Het personeel van de spoeddiensten van ziekenhuizen opleiden om slachtoffers te "
          "detecteren",
          "Former le personnel des services d'urgence des hôpitaux à la détection des victimes",
          "Train emergency staff in hospitals to detect victims"),
        "CU", ("PAYOKE",), date(2026, 12, 31),
        (("bureau", 2025, 2), ("platform", 2025, 3),
         ("adopt", 2025, 3, "Adopted; funding from the 2026 budget.")),
        created=date(2025, 1, 20),
    ),
    DemoMeasure(
        "2.5",
        T("Gezamenlijke controles op Brussels Airport bij vluchten uit risicolanden",
          "Contrôles conjoints à Brussels Airport sur les vols en provenance de pays à risque",
          "Joint checks at Brussels Airport on flights from risk countries"),
        "FEDPOL", ("IMMIGRATION",), date(2024, 6, 30),
        plan_adopted(("start", date(2021, 6, 1)),
                     ("implement", date(2024, 5, 14), "Checks are now part of routine work.")),
    ),
    DemoMeasure(
        "2.6",
        T("Minderjarigen in gesloten centra screenen op signalen van mensenhandel",
          "Repérer les signes de traite des êtres humains chez les mineurs en centre fermé",
          "Screen minors in closed centres for signs of trafficking"),
        "IMMIGRATION", ("PAGASA",), date(2023, 12, 31),
        plan_adopted(("start", date(2021, 9, 1)),
                     ("withdraw", date(2023, 4, 11),
                      "Covered by the new guardianship procedure for minors.")),
    ),
    DemoMeasure(
        "2.7",
        T("Een nationale hulplijn voor potentiële slachtoffers",
          "Une ligne d'assistance nationale pour les victimes potentielles",
          "A national helpline for potential victims"),
        "CU", NGOS, None,
        (("bureau", 2026, 10),),
        description=T(
            "Voorbereid door het bureau in oktober 2026 voor de volgende vergadering van het "
            "platform.",
            "Préparée par le bureau en octobre 2026 pour la prochaine réunion de la plateforme.",
            "Prepared by the bureau in October 2026 for the next platform meeting."),
        created=date(2026, 9, 28),
    ),
    # 3. Protection and support of victims ------------------------------------------------
    DemoMeasure(
        "3.1",
        T("De bedenktijd van 45 dagen toepassen bij elke doorverwijzing",
          "Appliquer le délai de réflexion de 45 jours à chaque orientation",
          "Apply the 45-day reflection period in every referral"),
        "IMMIGRATION", NGOS, date(2022, 6, 30),
        plan_adopted(("start", date(2021, 4, 1)),
                     ("implement", date(2022, 6, 14), "Instruction sent to all services.")),
        description=T(
            "Een potentieel slachtoffer dat naar een gespecialiseerd centrum wordt "
            "doorverwezen, krijgt een bevel om het grondgebied te verlaten dat **45 dagen** "
            "geldig is, om tot rust te komen en te beslissen of het verklaringen aflegt.",
            "Une victime potentielle orientée vers un centre spécialisé reçoit un ordre de "
            "quitter le territoire valable **45 jours**, pour se rétablir et décider si elle "
            "fait des déclarations.",
            "A potential victim referred to a specialised centre receives an order to leave "
            "the territory valid for **45 days**, to recover and decide whether to make "
            "statements."),
    ),
    DemoMeasure(
        "3.2",
        T("De verblijfsdocumenten van 3 en 6 maanden sneller afleveren aan slachtoffers",
          "Délivrer plus rapidement aux victimes les documents de séjour de 3 et de 6 mois",
          "Issue the 3-month and 6-month residence documents of victims faster"),
        "IMMIGRATION", ("CU",), date(2025, 12, 31),
        plan_adopted(("start", date(2021, 10, 1))),
        description=T(
            "Na de bedenktijd krijgt een slachtoffer dat meewerkt een verblijfsdocument van "
            "3 maanden, daarna een van 6 maanden dat verlengbaar is tot het einde van de "
            "procedure.",
            "Après le délai de réflexion, une victime qui coopère reçoit un document de séjour "
            "de 3 mois, puis un document de 6 mois renouvelable jusqu'à la fin de la procédure.",
            "After the reflection period, a victim who cooperates receives a 3-month "
            "residence document, then a 6-month one renewable until the end of the "
            "proceedings."),
        indicators=(DemoIndicator(
            T("Gemiddeld aantal dagen tussen de aanvraag en de aflevering van het document "
              "van 3 maanden",
              "Nombre moyen de jours entre la demande et la délivrance du document de 3 mois",
              "Average days to issue the 3-month document after the request"),
            "days",
            dict.fromkeys(range(2022, 2026), "10"),
            {2022: ("16", "Immigration Office, statistics 2022")},
            direction=IndicatorDirection.LESS_IS_BETTER,
        ),),
        reports=(
            DemoReport(2023, ReportStatus.ACCEPTED, "Electronic file exchange with the centres.",
                       {0: ("12", "Immigration Office, statistics 2023")}),
            DemoReport(2024, ReportStatus.ACCEPTED, "Target reached for the first time.",
                       {0: ("9", "Immigration Office, statistics 2024")}),
        ),
    ),
    DemoMeasure(
        "3.3",
        T("De opvangcapaciteit van Payoke, Sürya en Pag-asa verhogen",
          "Augmenter la capacité d'accueil de Payoke, Sürya et Pag-asa",
          "Increase the reception capacity of Payoke, Sürya and Pag-asa"),
        "CU", NGOS, date(2025, 12, 31),
        plan_adopted(("start", date(2021, 7, 1)), ("bureau", 2023, 9)),
        indicators=(DemoIndicator(
            T("Opvangplaatsen in de drie gespecialiseerde centra",
              "Places d'accueil dans les trois centres spécialisés",
              "Reception places in the three specialised centres"),
            "places", {2025: "90"},
            {2022: ("72", "Subsidy agreements 2022"), 2023: ("78", "Subsidy agreements 2023"),
             2024: ("84", "Subsidy agreements 2024")},
            baseline=("66", 2020),
        ),),
    ),
    DemoMeasure(
        "3.4",
        T("Gespecialiseerde opvang voor minderjarige slachtoffers",
          "Accueil spécialisé des victimes mineures",
          "Specialised reception for minor victims"),
        "PAGASA", ("PAYOKE", "SURYA", "IMMIGRATION"), date(2025, 6, 30),
        plan_adopted(("start", date(2022, 1, 3)),
                     ("postpone", date(2025, 1, 14), "No funding in the 2025 budget.")),
        reports=(DemoReport(2024, ReportStatus.ACCEPTED,
                            "Concept note ready; premises found in Brussels."),),
    ),
    DemoMeasure(
        "3.5",
        T("Juridische bijstand voor slachtoffers vanaf het eerste contact",
          "Aide juridique aux victimes dès le premier contact",
          "Legal aid for victims from the first contact"),
        "COLPG", NGOS, date(2027, 6, 30),
        (("bureau", 2025, 9), ("platform", 2025, 10), ("adopt", 2025, 10, "")),
        created=date(2025, 8, 25),
    ),
    DemoMeasure(
        "3.6",
        T("Vergoeding van slachtoffers via het Fonds voor hulp aan slachtoffers van opzettelijke "
          "gewelddaden",
          "Indemnisation des victimes par le Fonds d'aide aux victimes d'actes intentionnels "
          "de violence",
          "Compensation of victims through the victims' fund"),
        "CU", ("COLPG",), date(2026, 12, 31),
        plan_adopted(("start", date(2022, 9, 1))),
    ),
    DemoMeasure(
        "3.7",
        T("Psychologische ondersteuning voor slachtoffers in de opvanghuizen",
          "Soutien psychologique aux victimes dans les maisons d'accueil",
          "Psychological support for victims in the shelters"),
        "SURYA", ("PAYOKE", "PAGASA"), date(2024, 12, 31),
        plan_adopted(("start", date(2021, 6, 1)),
                     ("implement", date(2024, 10, 8), "A psychologist in each centre.")),
    ),
    # 4. Investigation and prosecution ----------------------------------------------------
    DemoMeasure(
        "4.1",
        T("De omzendbrief van het College van procureurs-generaal over mensenhandel "
          "actualiseren",
          "Actualiser la circulaire du Collège des procureurs généraux relative à la traite "
          "des êtres humains",
          "Update the circular of the College of Prosecutors-General on trafficking"),
        "COLPG", ("FEDPOL",), date(2023, 6, 30),
        plan_adopted(("start", date(2021, 5, 1)),
                     ("implement", date(2023, 3, 14), "New circular in force on 1 March 2023.")),
    ),
    DemoMeasure(
        "4.2",
        T("Een financieel onderzoek in elk dossier van mensenhandel",
          "Une enquête financière dans chaque dossier de traite des êtres humains",
          "A financial investigation in every trafficking case"),
        "COLPG", ("FEDPOL",), date(2026, 12, 31),
        plan_adopted(("start", date(2021, 9, 1)), ("bureau", 2024, 10)),
        indicators=(DemoIndicator(
            T("Definitieve veroordelingen voor mensenhandel",
              "Condamnations définitives pour traite des êtres humains",
              "Final convictions for trafficking in human beings"),
            "convictions",
            {2023: "125", 2024: "130", 2025: "135"},
            {2021: ("114", "College of Prosecutors-General, statistics 2021"),
             2022: ("121", "College of Prosecutors-General, statistics 2022")},
        ),),
        reports=(DemoReport(2023, ReportStatus.ACCEPTED,
                            "Financial investigation opened in 83% of the cases.",
                            {0: ("131", "College of Prosecutors-General, statistics 2023")}),),
    ),
    DemoMeasure(
        "4.3",
        T("Gespecialiseerde speurders mensenhandel bij de federale gerechtelijke politie van "
          "elk arrondissement",
          "Enquêteurs spécialisés en traite des êtres humains à la police judiciaire fédérale "
          "de chaque arrondissement",
          "Dedicated trafficking investigators in every judicial police district"),
        "FEDPOL", ("COLPG",), date(2025, 12, 31),
        plan_adopted(("start", date(2022, 1, 1))),
    ),
    DemoMeasure(
        "4.4",
        T("Gemeenschappelijke onderzoeksteams met Roemenië en Bulgarije",
          "Équipes communes d'enquête avec la Roumanie et la Bulgarie",
          "Joint investigation teams with Romania and Bulgaria"),
        "FEDPOL", ("COLPG",), date(2024, 12, 31),
        plan_adopted(("start", date(2021, 11, 1)),
                     ("implement", date(2024, 6, 11), "Two teams set up through Eurojust.")),
    ),
    DemoMeasure(
        "4.5",
        T("De criminele vermogensvoordelen van uitbuitingsnetwerken in beslag nemen",
          "Saisir les avoirs criminels des réseaux d'exploitation",
          "Seize the criminal assets of exploitation networks"),
        "COLPG", ("FEDPOL",), date(2026, 12, 31),
        (("bureau", 2024, 2), ("platform", 2024, 3), ("adopt", 2024, 3, "")),
        created=date(2024, 1, 15),
    ),
    DemoMeasure(
        "4.6",
        T("Mensenhandel omschrijven in het nieuwe Strafwetboek",
          "Définir la traite des êtres humains dans le nouveau Code pénal",
          "Define trafficking in the new Criminal Code"),
        "COLPG", ("CU",), date(2024, 12, 31),
        plan_adopted(("start", date(2021, 9, 1)),
                     ("withdraw", date(2024, 4, 9),
                      "The new Criminal Code adopted in 2024 covers it.")),
    ),
    # 5. Cooperation and coordination -----------------------------------------------------
    DemoMeasure(
        "5.1",
        T("De omzendbrief van 2016 over de multidisciplinaire samenwerking evalueren en "
          "actualiseren",
          "Évaluer et actualiser la circulaire de 2016 relative à la coopération "
          "multidisciplinaire",
          "Evaluate and update the multidisciplinary cooperation circular of 2016"),
        "CU", ("COLPG", "FEDPOL", "IMMIGRATION", *NGOS), date(2026, 6, 30),
        plan_adopted(("start", date(2023, 1, 10)), ("bureau", 2025, 5)),
        description=T(
            "De omzendbrief van 2016 beschrijft de rol van elke actor bij de doorverwijzing en "
            "de bescherming van slachtoffers (het nationaal verwijzingsmechanisme).",
            "La circulaire de 2016 décrit le rôle de chaque acteur dans l'orientation et la "
            "protection des victimes (le mécanisme national d'orientation).",
            "The circular of 2016 describes each actor's role in referring and protecting "
            "victims (the national referral mechanism)."),
        indicators=(DemoIndicator(
            T("Potentiële slachtoffers doorverwezen naar een gespecialiseerd centrum",
              "Victimes potentielles orientées vers un centre spécialisé",
              "Potential victims referred to a specialised centre"),
            "persons", {},
            {2022: ("1409", "Myria, annual report 2023")},
        ),),
    ),
    DemoMeasure(
        "5.2",
        T("Een referentiemagistraat en een referentiepolitieambtenaar mensenhandel in elk "
          "arrondissement",
          "Un magistrat et un policier de référence pour la traite des êtres humains dans "
          "chaque arrondissement",
          "A reference magistrate and police officer for trafficking in every district"),
        "COLPG", ("FEDPOL",), date(2022, 12, 31),
        plan_adopted(("start", date(2021, 4, 1)),
                     ("implement", date(2022, 10, 11), "Network complete.")),
    ),
    DemoMeasure(
        "5.3",
        T("Informatiesessies van de Federale Politie voor militairen die in het buitenland "
          "worden ingezet",
          "Sessions d'information de la Police fédérale pour les militaires déployés à "
          "l'étranger",
          "Information sessions by the Federal Police for troops deployed abroad"),
        "DEFENCE", ("FEDPOL",), date(2026, 12, 31),
        plan_adopted(("start", date(2021, 5, 1)), ("bureau", 2023, 10)),
        description=T(
            "Volgens het protocol van 20 maart 2006 tussen Defensie en de Federale Politie "
            "melden militairen die in het buitenland worden ingezet, signalen van mensenhandel "
            "aan de Federale Politie, die hen vóór hun vertrek informeert.",
            "En vertu du protocole du 20 mars 2006 entre la Défense et la Police fédérale, les "
            "militaires déployés à l'étranger signalent les indices de traite des êtres humains "
            "à la Police fédérale, qui les informe avant leur déploiement.",
            "Under the protocol of 20 March 2006 between Defence and the Federal Police, "
            "troops deployed abroad report signs of trafficking to the Federal Police, which "
            "briefs them before deployment."),
        indicators=(DEFENCE_SESSIONS,),
        reports=(
            DemoReport(2024, ReportStatus.ACCEPTED, "Five sessions; one deployment cancelled.",
                       {0: ("5", "Defence, training calendar 2024")}),
            DemoReport(2025, ReportStatus.RETURNED, "Sessions as planned.",
                       {0: ("6", "Defence")},
                       comment="Please add the number of troops briefed and a precise source."),
        ),
    ),
    DemoMeasure(
        "5.4",
        T("Een gemeenschappelijke dataset over slachtoffers en dossiers",
          "Un jeu de données commun sur les victimes et les dossiers",
          "A common dataset of victims and cases"),
        "CU", ("FEDPOL", "COLPG", "IMMIGRATION"), date(2025, 12, 31),
        plan_adopted(("start", date(2022, 5, 2)),
                     ("postpone", date(2024, 10, 8), "Waiting for the data-protection opinion.")),
    ),
    DemoMeasure(
        "5.5",
        T("Samenwerking met de landen van herkomst (Nigeria, Vietnam)",
          "Coopération avec les pays d'origine (Nigeria, Vietnam)",
          "Cooperation with countries of origin (Nigeria, Vietnam)"),
        "FEDPOL", ("IMMIGRATION",), date(2027, 12, 31),
        plan_adopted(("start", date(2022, 3, 1))),
    ),
    DemoMeasure(
        "5.6",
        T("Jaarlijkse bespreking van het plan door het platform, met de evaluatie van Myria",
          "Examen annuel du plan par la plateforme, avec l'évaluation de Myria",
          "Yearly review of the plan by the platform with Myria's evaluation"),
        "CU", (), date(2025, 12, 31),
        plan_adopted(("start", date(2021, 4, 1)),
                     ("implement", date(2025, 10, 14), "Final review of the 2021-2025 plan.")),
    ),
    # 6. Labour exploitation --------------------------------------------------------------
    DemoMeasure(
        "6.1",
        T("ECOSOC-teams: minstens 100 controles per jaar gericht op mensenhandel",
          "Équipes ECOSOC\u00a0: au moins 100 contrôles par an ciblés sur la traite des êtres "
          "humains",
          "ECOSOC teams: at least 100 trafficking-focused inspections a year"),
        "NSSO", ("SOCINSP", "FEDPOL", "COLPG"), date(2026, 12, 31),
        plan_adopted(("start", date(2021, 3, 22)), ("bureau", 2021, 4), ("bureau", 2025, 4)),
        description=T(
            "De tien ECOSOC-teams mensenhandel van de RSZ richten zich op risicosectoren "
            "(bouw, schoonmaak, carwashes, tuinbouw, vleesverwerking).",
            "Les dix équipes ECOSOC traite des êtres humains de l'ONSS ciblent les secteurs à "
            "risque (construction, nettoyage, stations de lavage, horticulture, transformation "
            "de la viande).",
            "The ten ECOSOC trafficking teams of the NSSO target sectors at risk "
            "(construction, cleaning, car washes, horticulture, meat processing)."),
        indicators=(ECOSOC,),
        reports=(
            DemoReport(2023, ReportStatus.ACCEPTED, "205 inspections; 61 potential victims.",
                       {0: ("205", "NSSO, ECOSOC activity report 2023")}),
            DemoReport(2024, ReportStatus.ACCEPTED,
                       "240 trafficking-focused inspections, a record.",
                       {0: ("240", "NSSO, ECOSOC activity report 2024")}),
            DemoReport(2025, ReportStatus.SUBMITTED, "Provisional figure for 2025.",
                       {0: ("251", "NSSO, provisional figures 2025")}),
        ),
    ),
    DemoMeasure(
        "6.2",
        T("Economische uitbuiting detecteren in de bouw, de schoonmaak, de tuinbouw en de "
          "vleesverwerking",
          "Détecter l'exploitation économique dans la construction, le nettoyage, "
          "l'horticulture et la transformation de la viande",
          "Detect labour exploitation in construction, cleaning, horticulture and meat "
          "processing"),
        "SOCINSP", ("NSSO", "FEDPOL"), date(2026, 12, 31),
        plan_adopted(("start", date(2021, 5, 3)), ("bureau", 2024, 4)),
    ),
    DemoMeasure(
        "6.3",
        T("Ketenaansprakelijkheid bij onderaanneming in de bouw",
          "Responsabilité en chaîne en cas de sous-traitance dans la construction",
          "Chain liability for subcontracting in construction"),
        "SOCINSP", ("NSSO",), date(2026, 6, 30),
        (("bureau", 2024, 9), ("platform", 2024, 10), ("adopt", 2024, 10, "")),
        created=date(2024, 8, 26),
    ),
    DemoMeasure(
        "6.4",
        T("Economische uitbuiting detecteren in de pakjessector",
          "Détecter l'exploitation économique dans le secteur de la livraison de colis",
          "Detect labour exploitation in parcel delivery"),
        "NSSO", ("SOCINSP", "FEDPOL"), date(2027, 12, 31),
        (("bureau", 2026, 9), ("platform", 2026, 10), ("adopt", 2026, 10, "")),
        created=date(2026, 8, 24),
    ),
    DemoMeasure(
        "6.5",
        T("Seizoenarbeiders in de tuinbouw informeren in het Pools, het Roemeens en het "
          "Bulgaars",
          "Informer les travailleurs saisonniers de l'horticulture en polonais, en roumain et "
          "en bulgare",
          "Inform seasonal workers in horticulture in Polish, Romanian and Bulgarian"),
        "SOCINSP", ("PAYOKE",), date(2022, 12, 31),
        plan_adopted(("start", date(2021, 4, 1)),
                     ("implement", date(2022, 9, 13), "Leaflets distributed at 300 farms.")),
    ),
    DemoMeasure(
        "6.6",
        T("Veroordeelde werkgevers uitsluiten van overheidsopdrachten",
          "Exclure des marchés publics les employeurs condamnés",
          "Exclude convicted employers from public procurement"),
        "CU", ("SOCINSP",), date(2024, 12, 31),
        (("bureau", 2023, 2), ("platform", 2023, 3),
         ("reject", 2023, 3, "No legal basis; the platform asks for an alternative.")),
        created=date(2023, 1, 16),
    ),
    DemoMeasure(
        "6.7",
        T("Uitzendbureaus registreren die werknemers naar België detacheren",
          "Enregistrer les entreprises de travail intérimaire qui détachent des travailleurs "
          "en Belgique",
          "Register temporary-work agencies that post workers to Belgium"),
        "SOCINSP", ("NSSO",), date(2027, 12, 31),
        (("bureau", 2026, 11),),
        created=date(2026, 10, 26),
    ),
]  # fmt: skip

_STATUS_OF_STEP = {
    "adopt": MeasureStatus.ADOPTED,
    "reject": MeasureStatus.REJECTED,
    "start": MeasureStatus.IN_PROGRESS,
    "resume": MeasureStatus.IN_PROGRESS,
    "postpone": MeasureStatus.POSTPONED,
    "implement": MeasureStatus.IMPLEMENTED,
    "withdraw": MeasureStatus.WITHDRAWN,
}


def final_status(spec: DemoMeasure) -> MeasureStatus:
    status = MeasureStatus.PROPOSED
    for step in spec.steps:
        status = _STATUS_OF_STEP.get(step[0], status)
    return status


def _at(day: date, hour: int = 16) -> datetime:
    return brussels_to_utc(day, time(hour, 0))


class _Meetings:
    """Demo meetings by forum code and month, looked up once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int], Meeting | None] = {}

    def find(self, forum_code: str, year: int, month: int) -> Meeting | None:
        key = (forum_code, year, month)
        if key not in self._cache:
            first = date(year, month, 1)
            after = date(year + (month == 12), month % 12 + 1, 1)
            self._cache[key] = db.session.scalar(
                select(Meeting)
                .join(Forum, Forum.id == Meeting.forum_id)
                .where(
                    Forum.code == forum_code,
                    Meeting.local_date >= first,
                    Meeting.local_date < after,
                    Meeting.status != MeetingStatus.CANCELLED,
                )
                .order_by(Meeting.starts_at)
                .limit(1)
            )
        return self._cache[key]


def _plan(summary: DemoSummary) -> ActionPlan:
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.code == PLAN_CODE))
    if plan is None:
        plan = ActionPlan(
            code=PLAN_CODE,
            title_nl="Nationaal actieplan mensenhandel 2021-2025",
            title_fr="Plan d'action national traite des êtres humains 2021-2025",
            title_en="National action plan on trafficking in human beings 2021-2025",
            start_year=2021,
            end_year=2025,
            status=PlanStatus.OPEN,
        )
        db.session.add(plan)
        summary.count("action plans")
    existing = {theme.position for theme in plan.themes}
    for position, (nl, fr, en) in enumerate(THEMES, start=1):
        if position not in existing:
            plan.themes.append(Theme(position=position, name_nl=nl, name_fr=fr, name_en=en))
            summary.count("themes")
    db.session.flush()
    return plan


def _agenda_item(measure: Measure, meeting: Meeting, kind: AgendaItemKind) -> bool:
    """Put the measure on the meeting's agenda unless it already is; True if added."""
    exists = db.session.scalar(
        select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.measure_id == measure.id
        )
    )
    if exists is not None:
        return False
    last = db.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    db.session.add(
        AgendaItem(
            meeting=meeting,
            position=(last or 0) + 1,
            title=agenda_title(measure),
            kind=kind,
            presenting_agency_id=measure.lead_agency_id,
            measure_id=measure.id,
            created_at=meeting.starts_at - timedelta(days=21),
        )
    )
    return True


def _history(
    measure: Measure, spec: DemoMeasure, meetings: _Meetings, actor: User | None, *, new: bool
) -> tuple[int, int]:
    """Record (new measure) or complete (existing one) the history; returns what was added."""
    added_items = added_transitions = 0
    status = MeasureStatus.PROPOSED
    decisions = {
        transition.to_status: transition
        for transition in measure.transitions
        if transition.to_status in (MeasureStatus.ADOPTED, MeasureStatus.REJECTED)
    }
    for step in spec.steps:
        kind = step[0]
        if kind in ("bureau", "platform"):
            meeting = meetings.find(kind, step[1], step[2])
            item_kind = (
                AgendaItemKind.DECISION
                if status is MeasureStatus.PROPOSED
                else AgendaItemKind.DISCUSSION
            )
            if meeting is not None and _agenda_item(measure, meeting, item_kind):
                added_items += 1
            continue
        target = _STATUS_OF_STEP[kind]
        meeting = None
        if kind in ("adopt", "reject"):
            meeting = meetings.find("platform", step[1], step[2])
            at = (
                meeting.starts_at + timedelta(hours=4)
                if meeting
                else _at(date(step[1], step[2], 15))
            )
            note = step[3]
            if not new and target in decisions and decisions[target].meeting_id is None:
                decisions[target].meeting = meeting
        else:
            at, note = _at(step[1], 10), step[2] if len(step) > 2 else ""
        if new:
            db.session.add(
                MeasureTransition(
                    measure=measure, from_status=status, to_status=target, at=at,
                    by=actor, note=note, meeting=meeting,
                )
            )  # fmt: skip
            added_transitions += 1
        status = target
    return added_items, added_transitions


def _indicators_and_reports(
    measure: Measure, spec: DemoMeasure, actor: User | None, summary: DemoSummary
) -> None:
    indicators = []
    for position, demo in enumerate(spec.indicators, start=1):
        indicator = Indicator(
            position=position,
            name=demo.name,
            unit=demo.unit,
            direction=demo.direction,
            baseline_value=Decimal(demo.baseline[0]) if demo.baseline else None,
            baseline_year=demo.baseline[1] if demo.baseline else None,
        )
        measure.indicators.append(indicator)
        for year, target in demo.targets.items():
            indicator.targets.append(IndicatorTarget(year=year, target=Decimal(target)))
        for year, (value, source) in demo.values.items():
            indicator.values.append(
                IndicatorValue(
                    year=year, value=Decimal(value), source=source, reported_by=actor,
                    reported_at=_at(date(year + 1, 3, 1), 11),
                )
            )  # fmt: skip
        indicators.append(indicator)
        summary.count("indicators")
    email = REPORTERS.get(spec.lead)
    author = find_user_by_email(email) if email else None
    for demo_report in spec.reports:
        submitted = _at(date(demo_report.year + 1, 2, 10), 9)
        reviewed = demo_report.status is not ReportStatus.SUBMITTED
        report = ProgressReport(
            agency_id=measure.lead_agency_id,
            author=author,
            year=demo_report.year,
            text=demo_report.text,
            status=demo_report.status,
            submitted_at=submitted,
            reviewer_comment=demo_report.comment,
            reviewed_by=actor if reviewed else None,
            reviewed_at=submitted + timedelta(days=9) if reviewed else None,
        )
        measure.reports.append(report)
        for index, (value, source) in demo_report.values.items():
            report.values.append(
                IndicatorValue(
                    indicator=indicators[index], year=demo_report.year, value=Decimal(value),
                    source=source, reported_by=author, reported_at=submitted,
                )
            )  # fmt: skip
        summary.count("progress reports")


def load_measures(summary: DemoSummary) -> None:
    """Create the demo action plan and whatever part of its history is missing."""
    plan = _plan(summary)
    themes = {theme.position: theme for theme in plan.themes}
    agencies = {agency.code: agency for agency in db.session.scalars(select(Agency))}
    actor = find_user_by_email(SECRETARIAT_EMAIL)
    meetings = _Meetings()
    existing = {
        measure.code: measure
        for measure in db.session.scalars(select(Measure).where(Measure.plan_id == plan.id))
    }
    for spec in MEASURES:
        measure = existing.get(spec.code)
        new = measure is None
        if measure is None:
            measure = Measure(
                plan=plan,
                theme=themes[spec.theme_position],
                code=spec.code,
                title=spec.title,
                description=spec.description,
                lead_agency=agencies[spec.lead],
                partners=[agencies[code] for code in spec.partners],
                deadline=spec.deadline,
                status=final_status(spec),
                created_at=_at(spec.created, 9),
            )
            db.session.add(measure)
            db.session.add(
                MeasureTransition(
                    measure=measure, from_status=None, to_status=MeasureStatus.PROPOSED,
                    at=_at(spec.created, 9), by=actor,
                )
            )  # fmt: skip
            db.session.flush()
            summary.count("measures")
            _indicators_and_reports(measure, spec, actor, summary)
        items, transitions = _history(measure, spec, meetings, actor, new=new)
        summary.count("agenda items for measures", items)
        summary.count("measure transitions", transitions)
    db.session.flush()
