"""Demo minutes for the past demo meetings: text, attendance, decisions and follow-ups.

The meetings come from the meetings loader; this loader looks them up (past, not cancelled)
and writes minutes for those that have none, so running it again changes nothing. Without
meetings it creates nothing. The most recent past meeting gets a draft, the one before it
approved minutes, every earlier one published minutes; one of them also has a correction, in each
language. Texts are in Dutch and French, and in English as the secretariat also writes them.

Figures are plausible, in the order of magnitude of the public reports (MISSION.md); shelter
locations never appear, as in real minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.agencies.models import Agency
from coordination.auth.services import find_user_by_email
from coordination.core.texts import Texts
from coordination.core.time import to_brussels, utcnow
from coordination.db import db
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.minutes import services
from coordination.minutes.circulation import approve_minutes, circulate_minutes
from coordination.minutes.models import FollowUpStatus, Minutes, MinutesStatus, Presence
from coordination.users.models import Role, User

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

SECRETARIAT_EMAIL = "secretariat@demo.coordination.be"


def T(nl: str, fr: str, en: str | None = None) -> Texts:
    """A demo text in Dutch and French (and English where the secretariat wrote it)."""
    return Texts(nl=nl, fr=fr, en=en)


@dataclass(frozen=True)
class Plan:
    """What one meeting's minutes look like."""

    body: Texts
    decisions: list[Texts]
    #: (owner agency code, description, days after the meeting it is due)
    actions: list[tuple[str, Texts, int]]


def load_minutes(summary: DemoSummary) -> None:
    """Write minutes for past demo meetings that have none (idempotent)."""
    now = utcnow()
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.starts_at < now, Meeting.status != MeetingStatus.CANCELLED)
            .options(joinedload(Meeting.forum), selectinload(Meeting.agenda_items))
            .order_by(Meeting.starts_at)
        )
    )
    if not meetings:
        return
    with_minutes = set(db.session.scalars(select(Minutes.meeting_id)))
    if len(with_minutes) == len(meetings):
        return
    actor = find_user_by_email(SECRETARIAT_EMAIL) or db.session.scalar(
        select(User).where(User.role == Role.SECRETARIAT).order_by(User.id).limit(1)
    )
    agencies = {agency.code: agency for agency in db.session.scalars(select(Agency))}
    next_in_forum = _next_meeting_in_forum(meetings)
    published_count = 0
    for index, meeting in enumerate(meetings):
        if meeting.id in with_minutes:
            continue
        from_end = len(meetings) - 1 - index
        target = (
            MinutesStatus.DRAFT
            if from_end == 0
            else MinutesStatus.APPROVED
            if from_end == 1
            else MinutesStatus.PUBLISHED
        )
        # Seeded per meeting: the same demo text on every machine (not a security use).
        rng = random.Random(meeting.local_date.toordinal() * 7 + meeting.forum_id)  # noqa: S311
        plan = (
            _platform_plan(meeting, rng) if meeting.forum.political else _bureau_plan(meeting, rng)
        )
        minutes = _write(meeting, plan, rng, agencies, actor)
        approved_at = None
        if target is not MinutesStatus.DRAFT:
            approved_at = _circulate_and_approve(minutes, next_in_forum.get(meeting.id), actor, now)
        if target is MinutesStatus.PUBLISHED and approved_at is not None:
            published_at = min(approved_at + timedelta(days=2), now)
            services.publish_minutes(minutes, actor=actor, at=published_at, notify=False)
            _close_old_actions(minutes, rng, now)
            published_count += 1
            if published_count == 3:
                _correct(minutes, actor, published_at + timedelta(days=5))
        summary.count("minutes")


def _circulate_and_approve(
    minutes: Minutes, following: Meeting | None, actor: User | None, now: datetime
) -> datetime | None:
    """As the forums do: the draft circulates three days after the meeting for two weeks of
    comments, and the next meeting approves it; without a next meeting, a written procedure
    closes at the deadline. Returns when the minutes were approved, None while they are still
    out for comments."""
    meeting = minutes.meeting
    circulated_at = min(meeting.starts_at + timedelta(days=3), now)
    until = to_brussels(circulated_at).date() + timedelta(days=14)
    circulate_minutes(minutes, comments_until=until, actor=actor, at=circulated_at, notify=False)
    if following is not None and following.starts_at <= now:
        approve_minutes(minutes, actor=actor, at_meeting=following, at=following.starts_at)
    elif until <= to_brussels(now).date():
        approve_minutes(minutes, actor=actor, written_on=until, at=now)
    else:
        return None
    return minutes.approved_at


def _next_meeting_in_forum(meetings: list[Meeting]) -> dict[int, Meeting]:
    """Meeting id -> the same forum's next meeting (which approves the minutes)."""
    following: dict[int, Meeting] = {}
    last_of_forum: dict[int, Meeting] = {}
    for meeting in meetings:
        previous = last_of_forum.get(meeting.forum_id)
        if previous is not None:
            following[previous.id] = meeting
        last_of_forum[meeting.forum_id] = meeting
    return following


def _write(
    meeting: Meeting,
    plan: Plan,
    rng: random.Random,
    agencies: dict[str, Agency],
    actor: User | None,
) -> Minutes:
    minutes = services.create_minutes(
        meeting, body=plan.body, actor=actor, at=meeting.starts_at + timedelta(days=3)
    )
    sitting = services.agencies_in_forum_on(meeting.forum_id, meeting.local_date)
    presences: dict[int, Presence | None] = {}
    for agency in sitting:
        roll = rng.random()
        if agency.code == "CU":
            presences[agency.id] = Presence.PRESENT  # the secretariat chairs
        elif roll < 0.08:
            presences[agency.id] = Presence.ABSENT
        elif roll < 0.22:
            presences[agency.id] = Presence.EXCUSED
        else:
            presences[agency.id] = Presence.PRESENT
    services.record_attendance(minutes, presences, actor=actor)
    items = list(meeting.agenda_items)
    for number, text in enumerate(plan.decisions):
        item = items[number + 1] if len(items) > number + 1 else None
        services.add_decision(minutes, text=text, agenda_item=item, actor=actor)
    sitting_codes = {agency.code for agency in sitting}
    for code, description, due_in in plan.actions:
        if code not in sitting_codes or code not in agencies:
            continue
        services.add_follow_up(
            minutes,
            description=description,
            owner=agencies[code],
            due_date=meeting.local_date + timedelta(days=due_in),
            actor=actor,
        )
    return minutes


def _close_old_actions(minutes: Minutes, rng: random.Random, now: datetime) -> None:
    """Actions due long ago are done; recent ones are open or in progress."""
    today = now.date()
    for action in minutes.follow_ups:
        if action.due_date is None:
            continue
        if action.due_date < today - timedelta(days=45):
            status = FollowUpStatus.DONE
        elif rng.random() < 0.5:
            status = FollowUpStatus.IN_PROGRESS
        else:
            continue
        closed = datetime.combine(min(action.due_date, today), datetime.min.time(), now.tzinfo)
        services.update_follow_up_status(
            action, status, expected_version=action.version, actor=None, at=closed
        )


#: Per language: (sentence of the text, the corrected sentence, the line appended when the
#: sentence is not there, the change note readers see).
CORRECTIONS = {
    "nl": (
        "De agenda wordt goedgekeurd.",
        "De agenda wordt goedgekeurd, met één bijkomend punt onder varia.",
        "\nCorrectie: de bovenstaande cijfers zijn voorlopig.\n",
        "Het punt dat bij het begin van de vergadering aan de agenda werd toegevoegd, ontbrak.",
    ),
    "fr": (
        "L'ordre du jour est approuvé.",
        "L'ordre du jour est approuvé, avec l'ajout d'un point aux divers.",
        "\nCorrection\u00a0: les chiffres ci-dessus sont provisoires.\n",
        "Le point ajouté à l'ordre du jour en début de réunion manquait.",
    ),
    "en": (
        "The agenda is approved.",
        "The agenda is approved, with one item added under any other business.",
        "\nCorrection: the figures above are provisional.\n",
        "Item added to the agenda at the start of the meeting was missing.",
    ),
}


def _correct(minutes: Minutes, actor: User | None, at: datetime) -> None:
    """One published text was corrected, in each language written: readers see the change
    note and the differences."""
    for language in ("nl", "fr", "en"):
        text = minutes.body.get(language)
        if not text:
            continue
        sentence, corrected_sentence, appended, note = CORRECTIONS[language]
        corrected = text.replace(sentence, corrected_sentence, 1)
        if corrected == text:
            corrected = text + appended
        services.save_minutes_text(
            minutes,
            language=language,
            body=corrected,
            expected_version=minutes.version,  # read again: each save changes it
            actor=actor,
            change_note=note,
            at=min(at, utcnow()),
            notify=False,
        )


# --- the texts -------------------------------------------------------------------------------


def _season(day: date) -> str:
    return ["winter", "spring", "summer", "autumn"][(day.month % 12) // 3]


#: "this winter" ... in Dutch and French, by the English season.
THIS_SEASON_NL = {
    "winter": "deze winter",
    "spring": "deze lente",
    "summer": "deze zomer",
    "autumn": "deze herfst",
}
THIS_SEASON_FR = {
    "winter": "cet hiver",
    "spring": "ce printemps",
    "summer": "cet été",
    "autumn": "cet automne",
}

#: The demo's nationalities as Dutch ("Roemeense werknemers") and French ("des travailleurs
#: roumains") write them before / after "workers".
NATIONALITIES_NL = {
    "Romanian": "Roemeense",
    "Ukrainian": "Oekraïense",
    "Brazilian": "Braziliaanse",
    "Moroccan": "Marokkaanse",
    "Nigerian": "Nigeriaanse",
    "Vietnamese": "Vietnamese",
    "Chinese": "Chinese",
    "Indian": "Indiase",
}
NATIONALITIES_FR = {
    "Romanian": "roumains",
    "Ukrainian": "ukrainiens",
    "Brazilian": "brésiliens",
    "Moroccan": "marocains",
    "Nigerian": "nigérians",
    "Vietnamese": "vietnamiens",
    "Chinese": "chinois",
    "Indian": "indiens",
}


def _bureau_plan(meeting: Meeting, rng: random.Random) -> Plan:
    day = meeting.local_date
    labour = rng.randint(14, 48)
    sexual = rng.randint(8, 30)
    criminality = rng.randint(2, 12)
    referred = labour + sexual + criminality
    recognised = rng.randint(referred // 6, referred // 3)
    inspections = rng.randint(max(8, (day.month * 240) // 12 - 30), (day.month * 240) // 12 + 30)
    occupancy = rng.randint(78, 99)
    # Dutch and French as they read after "in" / "dans" and "waaronder" / "y compris".
    sector = rng.choice(
        [T("de bouw", "la construction", "construction"),
         T("carwashes", "les car-wash", "car washes"),
         T("nagelstudio's", "les bars à ongles", "nail bars"),
         T("de vleesverwerking", "la transformation de la viande", "meat processing"),
         T("de pakjesbezorging", "la livraison de colis", "parcel delivery"),
         T("de tuinbouw", "l'horticulture", "horticulture"),
         T("de schoonmaaksector", "le nettoyage", "cleaning"),
         T("nachtwinkels", "les magasins de nuit", "night shops")]
    )  # fmt: skip
    nationality = rng.choice(
        ["Romanian", "Ukrainian", "Brazilian", "Moroccan", "Nigerian", "Vietnamese", "Chinese",
         "Indian"]
    )  # fmt: skip
    season = _season(day)
    nl = f"""## 1. Agenda en notulen van de vorige vergadering

De agenda wordt goedgekeurd. De notulen van de vorige vergadering worden zonder wijzigingen
goedgekeurd.

## 2. Dossiers en tendensen (nationaal doorverwijzingsmechanisme)

De gespecialiseerde centra melden **{referred} potentiële slachtoffers** die sinds de vorige
vergadering werden doorverwezen; {recognised} van hen zijn in de beschermingsprocedure gestapt.

| Vorm van uitbuiting | Nieuwe doorverwijzingen |
|---|--:|
| Economische uitbuiting | {labour} |
| Seksuele uitbuiting | {sexual} |
| Gedwongen criminaliteit en bedelarij | {criminality} |

De Federale Politie stelt een toename vast van dossiers van economische uitbuiting in
**{sector.nl}**, vaak met {NATIONALITIES_NL[nationality]} werknemers die via ketens van
onderaanneming werden geronseld. De centra herinneren eraan dat de **bedenktijd van 45 dagen**
ingaat bij de doorverwijzing, en vragen de eerstelijnsdiensten om nog dezelfde dag een centrum
te bellen in plaats van op een verhoor te wachten.

## 3. ECOSOC-inspecties

De RSZ meldt {inspections} controles gericht op mensenhandel door de tien ECOSOC-teams
sinds 1 januari (streefwaarde van het actieplan: minstens 100 per jaar). De gezamenlijke
controles met het Toezicht op de Sociale Wetten en de politie worden voortgezet in
{sector.nl}.

## 4. Opvangcapaciteit

De drie centra melden {THIS_SEASON_NL[season]} een gemiddelde bezettingsgraad van {occupancy}%.
De capaciteit blijft de belangrijkste beperking bij de doorverwijzing van gezinnen.[^1]

## 5. Varia

De volgende vergadering bereidt de bijdrage van het bureau aan het platform voor.

[^1]: Zoals steeds worden de locaties van de opvanghuizen niet in de notulen vermeld.
"""
    fr = f"""## 1. Ordre du jour et procès-verbal de la réunion précédente

L'ordre du jour est approuvé. Le procès-verbal de la réunion précédente est approuvé sans
modification.

## 2. Dossiers et tendances (mécanisme national d'orientation)

Les centres spécialisés font état de **{referred} victimes potentielles** orientées depuis la
dernière réunion\u00a0; {recognised} d'entre elles sont entrées dans la procédure de protection.

| Forme d'exploitation | Nouvelles orientations |
|---|--:|
| Exploitation économique | {labour} |
| Exploitation sexuelle | {sexual} |
| Criminalité forcée et mendicité | {criminality} |

La Police fédérale constate une hausse des dossiers d'exploitation économique dans
**{sector.fr}**, impliquant souvent des travailleurs {NATIONALITIES_FR[nationality]} recrutés
par des chaînes de sous-traitance. Les centres rappellent que le
**délai de réflexion de 45 jours** court à partir de l'orientation, et demandent aux services
de première ligne d'appeler un centre le jour même plutôt que d'attendre une audition.

## 3. Inspections ECOSOC

L'ONSS fait état de {inspections} contrôles ciblés sur la traite menés par les dix équipes
ECOSOC depuis le 1er janvier (valeur cible du plan d'action\u00a0: au moins 100 par an). Les
inspections conjointes avec le Contrôle des lois sociales et la police se poursuivent dans
{sector.fr}.

## 4. Capacité d'accueil

Les trois centres font état d'un taux d'occupation moyen de {occupancy}\u00a0% \
{THIS_SEASON_FR[season]}.
La capacité reste la principale contrainte pour l'orientation des familles.[^1]

## 5. Divers

La prochaine réunion préparera la contribution du bureau à la plateforme.

[^1]: Comme toujours, l'emplacement des maisons d'accueil n'est pas mentionné dans le
procès-verbal.
"""
    en = f"""## 1. Agenda and previous minutes

The agenda is approved. The minutes of the previous meeting are approved without changes.

## 2. Cases and trends (national referral mechanism)

The specialised centres report **{referred} potential victims** referred since the last
meeting; {recognised} of them entered the protection procedure.

| Form of exploitation | New referrals |
|---|--:|
| Labour exploitation | {labour} |
| Sexual exploitation | {sexual} |
| Forced criminality and begging | {criminality} |

The Federal Police notes a rise of labour cases in **{sector.en}**, often involving
{nationality} workers recruited through subcontracting chains. The centres recall that the
**45-day reflection period** starts at the referral, and ask first-line services to call a
centre the same day rather than wait for a hearing.

## 3. ECOSOC inspections

The NSSO reports {inspections} trafficking-focused inspections by the ten ECOSOC teams since
1 January (action plan target: at least 100 a year). Joint inspections with the social
inspection and the police continue in {sector.en}.

## 4. Shelter capacity

The three centres report an average occupancy of {occupancy}% this {_season(day)}.
Capacity remains the main constraint for family referrals.[^1]

## 5. Any other business

The next meeting will prepare the bureau's contribution to the platform.

[^1]: As always, shelter locations are not recorded in the minutes.
"""
    body = T(nl, fr, en)
    decisions = [
        T("Het bureau neemt kennis van de doorverwijzingscijfers en vraagt de gespecialiseerde "
          "centra om op de volgende vergadering het erkenningspercentage per vorm van uitbuiting "
          "mee te delen.",
          "Le bureau prend acte des chiffres relatifs aux orientations et demande aux centres "
          "spécialisés de communiquer, lors de la prochaine réunion, les taux de reconnaissance "
          "par forme d'exploitation.",
          "The bureau takes note of the referral figures and asks the centres to report "
          "recognition rates per form of exploitation at the next meeting."),
        T(f"Vóór de volgende vergadering wordt een gezamenlijke actiedag van de ECOSOC-teams en "
          f"de politie in {sector.nl} voorbereid.",
          f"Une journée d'action conjointe des équipes ECOSOC et de la police dans {sector.fr} "
          f"sera préparée avant la prochaine réunion.",
          f"A joint ECOSOC and police action day in {sector.en} is prepared before the next "
          f"meeting."),
    ]  # fmt: skip
    if occupancy > 90:
        decisions.append(
            T(
                "Het secretariaat zal de opvangcapaciteit op de agenda van de volgende vergadering "
                "van het platform plaatsen.",
                "Le secrétariat inscrira la capacité d'accueil à l'ordre du jour de la prochaine "
                "réunion de la plateforme.",
                "The secretariat will put shelter capacity on the agenda of the next platform "
                "meeting.",
            )
        )
    actions = [
        ("NSSO",
         T(f"De resultaten van de ECOSOC-inspecties per sector bezorgen, waaronder {sector.nl}.",
           f"Communiquer les résultats des inspections ECOSOC par secteur, y compris "
           f"{sector.fr}.",
           f"Share the ECOSOC inspection results per sector, including {sector.en}."),
         28),
        ("FEDPOL",
         T(f"De trendanalyse over {sector.nl} voorstellen op de volgende vergadering van het "
           f"bureau.",
           f"Présenter l'analyse des tendances concernant {sector.fr} lors de la prochaine "
           f"réunion du bureau.",
           f"Present the trend analysis on {sector.en} at the next bureau meeting."),
         30),
        ("PAGASA",
         T("De geactualiseerde cijfers over de opvangcapaciteit en de wachttijden bezorgen.",
           "Transmettre les chiffres actualisés sur la capacité d'accueil et les délais "
           "d'attente.",
           "Send the updated figures on shelter capacity and waiting times."),
         21),
        ("IMMIGRATION",
         T("Meedelen hoeveel verblijfsdocumenten dit kwartaal na afloop van de bedenktijd werden "
           "afgegeven.",
           "Communiquer le nombre de documents de séjour délivrés ce trimestre à l'issue du délai "
           "de réflexion.",
           "Report the number of residence documents issued after the "
           "reflection period this quarter."),
         35),
    ]  # fmt: skip
    return Plan(body=body, decisions=decisions, actions=rng.sample(actions, k=3))


def _platform_plan(meeting: Meeting, rng: random.Random) -> Plan:
    day = meeting.local_date
    sessions = rng.randint(4, 14)
    troops = sessions * rng.randint(25, 60)
    implemented = rng.randint(20, 45)
    in_progress = rng.randint(30, 55)
    season = _season(day)
    nl = f"""## 1. Opening

De voorzitter verwelkomt de leden en de vertegenwoordigers van de kabinetten van de ministers.

## 2. Het nationaal actieplan

Van de maatregelen van het plan zijn er **{implemented}** uitgevoerd en **{in_progress}** in
uitvoering. De ECOSOC-teams overschrijden opnieuw hun streefwaarde van 100 controles per jaar
gericht op mensenhandel (240 in 2024). Het secretariaat stelt de voorstellen van het bureau voor.

## 3. Defensie: informatiesessies voor ontplooide militairen

In het kader van het protocol van 20 maart 2006 tussen Defensie en de Federale Politie
werden {sessions} informatiesessies gegeven aan ongeveer {troops} militairen vóór hun
ontplooiing. De militairen melden signalen van mensenhandel die zij in het buitenland
opmerken aan de Federale Politie.

## 4. Slachtoffers en het doorverwijzingsmechanisme

Het platform herinnert aan de cijfers van het nationale doorverwijzingsmechanisme: in 2022
werden 1.409 potentiële slachtoffers doorverwezen en 228 erkend, van wie 180 slachtoffer van
economische uitbuiting. Slachtoffers krijgen een bedenktijd van 45 dagen, daarna
verblijfsdocumenten van drie en zes maanden.

## 5. Volgende stappen

Het secretariaat zal de geactualiseerde maatregelen vóór de uiterste datum van
{THIS_SEASON_NL[season]} rondsturen.
"""
    fr = f"""## 1. Ouverture

La présidence souhaite la bienvenue aux membres et aux représentants des cabinets ministériels.

## 2. Le plan d'action national

Parmi les mesures du plan, **{implemented}** sont mises en œuvre et **{in_progress}** en cours.
Les équipes ECOSOC dépassent à nouveau leur valeur cible de 100 contrôles par an ciblés sur la
traite (240 en 2024). Le secrétariat présente les propositions du bureau.

## 3. Défense\u00a0: sessions d'information pour les militaires déployés

Dans le cadre du protocole du 20 mars 2006 entre la Défense et la Police fédérale,
{sessions} sessions d'information ont été données à environ {troops} militaires avant leur
déploiement. Les militaires signalent à la Police fédérale les indices de traite observés
à l'étranger.

## 4. Les victimes et le mécanisme d'orientation

La plateforme rappelle les chiffres du mécanisme national d'orientation\u00a0: en 2022,
1\u00a0409 victimes potentielles ont été orientées et 228 reconnues, dont 180 victimes
d'exploitation économique. Les victimes bénéficient d'un délai de réflexion de 45 jours, puis
de documents de séjour de trois et six mois.

## 5. Prochaines étapes

Le secrétariat diffusera les mesures actualisées avant l'échéance de {THIS_SEASON_FR[season]}.
"""
    en = f"""## 1. Opening

The chair welcomes the members and the representatives of the ministers' cabinets.

## 2. The national action plan

Of the plan's measures, **{implemented}** are implemented and **{in_progress}** in progress.
The ECOSOC teams again exceed their target of 100 trafficking-focused inspections a year
(240 in 2024). The bureau's proposals are presented by the secretariat.

## 3. Defence: information sessions for deployed troops

Under the protocol of 20 March 2006 between Defence and the Federal Police, {sessions}
information sessions were given to about {troops} military personnel before deployment.
Troops report signs of trafficking observed abroad to the Federal Police.

## 4. Victims and the referral mechanism

The platform recalls the figures of the national referral mechanism: in 2022,
1,409 potential victims were referred and 228 recognised, 180 of them exploited for labour.
Victims get a 45-day reflection period, then three- and six-month residence documents.

## 5. Next steps

The secretariat will circulate the updated measures before the {_season(day)} deadline.
"""
    body = T(nl, fr, en)
    decisions = [
        T("Het platform neemt de onder punt 2 toegelichte voorstellen van het bureau aan.",
          "La plateforme adopte les propositions du bureau présentées au point 2.",
          "The platform adopts the bureau's proposals presented under item 2."),
        T("Defensie zet de informatiesessies voort en rapporteert jaarlijks over het aantal "
          "sessies.",
          "La Défense poursuit les sessions d'information et en communique le nombre chaque "
          "année.",
          "Defence continues the information sessions and reports their number yearly."),
    ]  # fmt: skip
    actions = [
        ("DEFENCE",
         T("Rapporteren hoeveel informatiesessies aan ontplooide militairen werden gegeven.",
           "Communiquer le nombre de sessions d'information dispensées aux militaires déployés.",
           "Report the number of information sessions given to deployed troops."),
         90),
        ("JUSTICE",
         T("Het ontwerp van omzendbrief over het doorverwijzingsmechanisme voorleggen aan de "
           "Ministerraad.",
           "Soumettre le projet de circulaire relative au mécanisme d'orientation au Conseil des "
           "ministres.",
           "Submit the draft circular on the referral mechanism to the cabinet "
           "meeting."),
         120),
        ("INTERIOR",
         T("Het budget bevestigen voor de gespecialiseerde eenheden mensenhandel van de politie.",
           "Confirmer le budget des unités spécialisées de la police en matière de traite des "
           "êtres humains.",
           "Confirm the budget for the police's specialised trafficking units."),
         90),
        ("FEDPOL",
         T("De jaarlijkse politiestatistieken over dossiers mensenhandel voorstellen.",
           "Présenter les statistiques policières annuelles relatives aux dossiers de traite des "
           "êtres humains.",
           "Present the yearly police statistics on trafficking cases."),
         60),
    ]  # fmt: skip
    return Plan(body=body, decisions=decisions, actions=rng.sample(actions, k=3))
