"""Migrations: from empty to head equals the models; down to base and up again work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coordination.db import db, include_in_schema_comparison, is_engine_object
from tests.conftest import BACKENDS, ROOT, fresh_database, make_app

MIGRATIONS = str(ROOT / "migrations")


def schema_differences(app) -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                # An engine's own full-text objects are the migrations', not the models'.
                "include_name": include_in_schema_comparison,
            },
        )
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    """The application's tables (not Alembic's, nor SQLite's full-text tables)."""
    return {
        name
        for name in sa.inspect(db.engine).get_table_names()
        if name != "alembic_version" and not is_engine_object(name)
    }


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_downgrade_upgrade_matches_models(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            assert schema_differences(app) == []
            assert table_names() == {table.name for table in db.metadata.sorted_tables}

            downgrade(directory=MIGRATIONS, revision="base")
            assert table_names() == set()

            upgrade(directory=MIGRATIONS)
            assert schema_differences(app) == []
            db.engine.dispose()


def test_every_revision_has_a_docstring_and_a_real_downgrade():
    from pathlib import Path

    for path in sorted(Path(MIGRATIONS, "versions").glob("*.py")):
        source = path.read_text()
        assert source.startswith('"""'), path.name
        downgrade_body = source.split("def downgrade():", 1)[1]
        assert "pass" not in downgrade_body.split("\n", 2)[1], path.name


def row_counts(table_names: set[str]) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            name: connection.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in sorted(table_names)
        }


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_keep_the_data_of_a_full_demo_database(backend, tmp_path):
    """Step down revision by revision to base with the demo data loaded at head: each step goes
    down one revision, back up and down again.

    Tables that exist at the lower revision must hold exactly the same rows before the
    downgrade, after it, and after the upgrade back (SQLite rebuilds tables in batch mode: this
    is where data loss would show). One step at a time checks every migration both ways with
    data in every table it touches, in linear time (the demo is loaded once).
    """
    from alembic.script import ScriptDirectory

    from coordination.demo import load_demo_data

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            load_demo_data()
            db.session.commit()
            db.session.remove()
            config = app.extensions["migrate"].migrate.get_config(MIGRATIONS)
            # walk_revisions goes from head to base
            revisions = [
                rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()
            ]
            for current, target in zip(revisions, [*revisions[1:], "base"], strict=True):
                before = row_counts(table_names())
                downgrade(directory=MIGRATIONS, revision=target)
                kept_tables = table_names()
                expected = {name: before[name] for name in kept_tables}
                assert row_counts(kept_tables) == expected, f"data lost going down to {target}"
                upgrade(directory=MIGRATIONS, revision=current)
                assert row_counts(kept_tables) == expected, f"data lost coming back to {current}"
                downgrade(directory=MIGRATIONS, revision=target)
            upgrade(directory=MIGRATIONS)
            assert schema_differences(app) == []
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_meeting_texts_are_joined_going_down_and_split_by_language_coming_back(backend, tmp_path):
    """Before content had languages, a title was written "Dutch / French" and a description
    in one language: the downgrade gives those single texts, the upgrade finds the languages
    in them again."""
    from coordination.core.texts import Texts
    from coordination.meetings.models import AgendaItem, Meeting
    from coordination.minutes.models import Minutes, MinutesRevision
    from coordination.minutes.services import create_minutes
    from tests import factories

    single_texts = "0c1a5e0b0a14"  # the revision before content languages
    minutes_text = Texts(
        nl="## Zaken\n\nDe bedenktijd werd besproken met de gespecialiseerde centra.",
        fr="## Dossiers\n\nLe délai de réflexion a été discuté avec les centres spécialisés.",
    )
    title = Texts(nl="Bureau — maandelijkse vergadering", fr="Bureau — réunion mensuelle")
    description = Texts(
        fr="Les inspections sociales présentent les résultats de l'année écoulée et les "
        "contrôles prévus dans les secteurs à risque."
    )
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            meeting = factories.meeting(factories.forum(), title=title)
            factories.agenda_item(meeting, "ECOSOC", description=description)
            create_minutes(meeting, body=minutes_text, actor=None)
            db.session.commit()
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=single_texts)
            with db.engine.connect() as connection:
                assert connection.execute(sa.text("SELECT title FROM meetings")).scalar_one() == (
                    "Bureau — maandelijkse vergadering / Bureau — réunion mensuelle"
                )
                assert (
                    connection.execute(sa.text("SELECT description FROM agenda_items")).scalar_one()
                    == description.fr
                )
                assert connection.execute(sa.text("SELECT body FROM minutes")).scalar_one() == (
                    f"{minutes_text.nl}\n\n---\n\n{minutes_text.fr}"
                )

            upgrade(directory=MIGRATIONS)
            assert db.session.scalars(sa.select(Meeting)).one().title == title
            assert db.session.scalars(sa.select(AgendaItem)).one().description == description
            assert db.session.scalars(sa.select(Minutes)).one().body == minutes_text
            languages = db.session.scalars(
                sa.select(MinutesRevision.language).order_by(MinutesRevision.number)
            ).all()
            assert languages == ["nl", "fr"]  # each revision's language told by its words
            db.session.remove()
            db.engine.dispose()


#: The revision that gave agencies their short names, and the one before it.
AGENCY_SHORT_NAMES = "3f8a2c6d9e11"
BEFORE_AGENCY_SHORT_NAMES = "5b7e2c9d4f10"


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_agencies_get_their_official_short_names_or_their_code(backend, tmp_path):
    """Known codes get the official short names of each language, other agencies their code
    (never an agency without a name); going down drops the short names, and only them."""
    from coordination.agencies.models import Agency
    from coordination.core.texts import Texts
    from tests import factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            factories.agency("IMMIGRATION", short_name=Texts(nl="Written later"))
            factories.agency("NSSO")
            factories.agency("LOCALPOL", name_nl="Lokale politie")
            db.session.commit()
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=BEFORE_AGENCY_SHORT_NAMES)
            columns = {column["name"] for column in sa.inspect(db.engine).get_columns("agencies")}
            assert not any(name.startswith("short_name") for name in columns)
            assert row_counts({"agencies"}) == {"agencies": 3}

            upgrade(directory=MIGRATIONS, revision=AGENCY_SHORT_NAMES)
            upgrade(directory=MIGRATIONS)
            short_names = {
                agency.code: agency.short_name for agency in db.session.scalars(sa.select(Agency))
            }
            assert short_names == {
                "IMMIGRATION": Texts("DVZ", "OE", "Immigration Office"),
                "NSSO": Texts("RSZ", "ONSS", "NSSO"),
                "LOCALPOL": Texts.same("LOCALPOL"),
            }
            assert db.session.scalars(sa.select(Agency)).first().name_nl  # names kept
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_agency_short_names_are_written_as_sql(backend, tmp_path, capsys):
    """``flask db upgrade --sql``: the short names are filled by statements, not by reading
    rows, so the script an operator runs later does the same as the online upgrade."""
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            steps = f"{BEFORE_AGENCY_SHORT_NAMES}:{AGENCY_SHORT_NAMES}"
            upgrade(directory=MIGRATIONS, revision=steps, sql=True)
            script = capsys.readouterr().out
            assert "ADD COLUMN short_name_nl VARCHAR(40)" in script
            assert "SET short_name_nl='DVZ', short_name_fr='OE'" in script
            assert "WHERE agencies.code = 'IMMIGRATION'" in script
            assert (
                "SET short_name_nl=agencies.code, short_name_fr=agencies.code, "
                "short_name_en=agencies.code WHERE agencies.short_name_nl IS NULL" in script
            )

            # Dropping a column rebuilds a SQLite table: that needs a live connection.
            if backend == "postgresql":
                steps = f"{AGENCY_SHORT_NAMES}:{BEFORE_AGENCY_SHORT_NAMES}"
                downgrade(directory=MIGRATIONS, revision=steps, sql=True)
                assert "DROP COLUMN short_name_nl" in capsys.readouterr().out
            assert table_names() == set()  # nothing ran against the database
            db.engine.dispose()


#: The revision that tied decisions to agenda items, and the one before it.
DECISIONS_ON_ITEMS = "2b83146dee30"
BEFORE_DECISIONS_ON_ITEMS = "c5f1d3e7a9b2"


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_decisions_recorded_before_the_chain_are_tied_to_their_agenda_item(backend, tmp_path):
    """An adoption at a meeting that had the measure on its agenda gets its row (with the
    minutes' decision on that item); one entered at a meeting without it stays a bare
    transition, which the timeline marks."""
    from coordination.decisions.models import ItemDecision, Outcome
    from coordination.measures.models import MeasureStatus, MeasureTransition
    from tests import factories
    from tests.measures import factories as mf
    from tests.minutes import factories as minutes_factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            plan = mf.plan()
            meeting = factories.meeting(world["platform"])
            on_agenda = mf.measure(plan, world["both"], status=MeasureStatus.ADOPTED)
            item = mf.on_agenda(on_agenda, meeting)
            decision = minutes_factories.decision(minutes_factories.minutes(meeting), "Adopted.")
            decision.agenda_item = item
            entered_bare = mf.measure(plan, world["both"], status=MeasureStatus.ADOPTED)
            for measure in (on_agenda, entered_bare):
                db.session.add(
                    MeasureTransition(
                        measure=measure,
                        from_status=MeasureStatus.PROPOSED,
                        to_status=MeasureStatus.ADOPTED,
                        meeting=meeting,
                    )
                )
            db.session.commit()
            ids = (item.id, on_agenda.id, decision.id)
            meeting_id = meeting.id
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=BEFORE_DECISIONS_ON_ITEMS)
            assert "item_decisions" not in table_names()
            upgrade(directory=MIGRATIONS)
            rows = db.session.scalars(sa.select(ItemDecision)).all()
            assert [(r.agenda_item_id, r.measure_id, r.decision_id) for r in rows] == [ids]
            assert rows[0].outcome is Outcome.ADOPTED
            assert rows[0].transition.meeting_id == meeting_id
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_circulated_minutes_go_back_to_draft_without_the_circulation(backend, tmp_path):
    """Before circulation existed, a circulated draft was a draft: going down keeps it (and
    its text), drops its comments; coming back up, it is a draft to circulate again."""
    from coordination.minutes.models import Minutes, MinutesStatus
    from tests import factories
    from tests.minutes import factories as minutes_factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            minutes = minutes_factories.minutes(
                factories.meeting(world["bureau"]), status=MinutesStatus.CIRCULATED
            )
            minutes_factories.comment(minutes, world["rep_bureau"])
            db.session.commit()
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision="2b83146dee30")
            with db.engine.connect() as connection:
                assert connection.execute(sa.text("SELECT status FROM minutes")).scalar_one() == (
                    "draft"
                )
            assert "minutes_comments" not in table_names()
            upgrade(directory=MIGRATIONS)
            assert db.session.scalars(sa.select(Minutes)).one().status is MinutesStatus.DRAFT
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_meetings_calendar_changed_when_it_was_last_updated(backend, tmp_path):
    """Before the column, a feed's event said the meeting's last update: that is where each
    meeting's calendar change starts."""
    from coordination.meetings.models import Meeting
    from tests import factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            meeting = factories.meeting(factories.world()["bureau"])
            db.session.commit()
            updated_at = meeting.updated_at
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="7d8833ff95e1")
            upgrade(directory=MIGRATIONS)
            meeting = db.session.scalars(sa.select(Meeting)).one()
            assert meeting.calendar_changed_at == updated_at
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_personal_feeds_state_moves_to_its_own_row_and_back(backend, tmp_path):
    """What a token's personal feed last contained (its Last-Modified) survives the move from
    the token row to the feeds' states, both ways."""
    from tests import factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            # The people are made with today's models, then the schema goes back to before.
            upgrade(directory=MIGRATIONS)
            user_id = factories.world()["rep_both"].id
            db.session.commit()
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="9ce428d872d6")
            with db.engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO feed_tokens (user_id, token_hash, created_at, "
                        "content_fingerprint, content_changed_at) VALUES "
                        "(:user, :hash, :at, :fingerprint, :at)"
                    ),
                    {
                        "user": user_id,
                        "hash": "a" * 64,
                        "at": "2026-11-01 10:00:00",
                        "fingerprint": "f" * 64,
                    },
                )
            db.session.remove()
            upgrade(directory=MIGRATIONS)
            with db.engine.connect() as connection:
                row = connection.execute(
                    sa.text("SELECT scope, content_fingerprint FROM feed_states")
                ).one()
            assert tuple(row) == ("", "f" * 64)
            downgrade(directory=MIGRATIONS, revision="9ce428d872d6")
            with db.engine.connect() as connection:
                fingerprint = connection.execute(
                    sa.text("SELECT content_fingerprint FROM feed_tokens")
                ).scalar_one()
            assert fingerprint == "f" * 64
            assert "feed_states" not in table_names()
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_corrected_decision_keeps_its_outcome_when_the_corrections_go(backend, tmp_path):
    """Going down drops the corrections' log, not the decision as corrected; coming back up,
    the decision is there with an empty log."""
    from coordination.decisions import services
    from coordination.decisions.models import DecisionCorrection, ItemDecision, Outcome
    from tests import factories
    from tests.measures import factories as mf

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            meeting = factories.meeting(world["platform"])
            measure = mf.measure(mf.plan(), world["both"])
            recorded = services.record_decision(
                mf.on_agenda(measure, meeting), Outcome.ADOPTED, actor=world["secretariat"]
            )
            services.correct_decision(
                recorded, Outcome.DEFERRED, note="Misread.", actor=world["secretariat"]
            )
            db.session.commit()
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="8cc6701b63ed")
            assert "decision_corrections" not in table_names()
            upgrade(directory=MIGRATIONS)
            assert db.session.scalars(sa.select(ItemDecision)).one().outcome is Outcome.DEFERRED
            assert db.session.scalars(sa.select(DecisionCorrection)).all() == []
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_existing_forums_remind_a_week_ahead_and_keep_their_invitations(backend, tmp_path):
    """Forums that exist when reminders arrive get a week; a person's answer and an e-mail
    waiting with its invitation survive the reminders' migration going down and up."""
    from coordination.agencies.models import Forum
    from coordination.meetings.models import MeetingReply, ReplyAnswer
    from coordination.notifications.models import OutboxMessage
    from coordination.notifications.services import enqueue_email
    from tests import factories

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            world["bureau"].reminder_days = 3
            meeting = factories.meeting(world["bureau"])
            db.session.add(
                MeetingReply(meeting=meeting, user=world["rep_both"], answer=ReplyAnswer.ATTENDING)
            )
            enqueue_email("a@example.org", "Invitation", "Hello", calendar="BEGIN:VCALENDAR")
            db.session.commit()
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="201f64a5c10e")
            upgrade(directory=MIGRATIONS)
            assert {forum.reminder_days for forum in db.session.scalars(sa.select(Forum))} == {7}
            reply = db.session.scalars(sa.select(MeetingReply)).one()
            assert reply.answer is ReplyAnswer.ATTENDING
            message = db.session.scalars(sa.select(OutboxMessage)).one()
            assert message.calendar_text == "BEGIN:VCALENDAR"
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_attendance_and_agendas_survive_people_and_standing_items_going(backend, tmp_path):
    """The attendance per agency stays when the people go; a meeting keeps the items it got
    from its forum's standing items when those go; an e-mail waiting with its HTML goes with
    its text."""
    from coordination.agencies.models import Agency
    from coordination.meetings import standing
    from coordination.meetings.models import AgendaItem
    from coordination.minutes import attendance
    from coordination.minutes.models import Attendance, Attendee, AttendeeRole, Presence
    from coordination.notifications.models import OutboxMessage
    from coordination.notifications.services import enqueue_email
    from tests import factories
    from tests.minutes import factories as mf

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            minutes = mf.minutes(factories.meeting(world["bureau"]))
            actor = world["secretariat"]
            aob = standing.add_standing_item(
                world["bureau"], title="AOB", duration_minutes=5, closing=True, actor=actor
            )
            standing.put_standing_items([minutes.meeting], [aob])
            enqueue_email("a@example.org", "Convocation", "Hello", html="<p>Hello</p>")
            world["cabinet"].overseen = [world["both"]]
            attendance.record_attendance(
                minutes, {world["observer"].id: Presence.ABSENT}, actor=actor
            )
            attendance.add_attendee(
                minutes,
                name="Jan Peeters",
                agency_id=world["both"].id,
                role=AttendeeRole.SUBSTITUTE,
                actor=actor,
            )
            db.session.commit()
            observer, both = world["observer"].id, world["both"].id
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="5b0e3c7d2a91")
            upgrade(directory=MIGRATIONS)
            presences = {
                (entry.agency_id, entry.presence)
                for entry in db.session.scalars(sa.select(Attendance))
            }
            assert presences == {(observer, Presence.ABSENT), (both, Presence.PRESENT)}
            assert db.session.scalars(sa.select(Attendee)).all() == []
            item = db.session.scalars(sa.select(AgendaItem)).one()
            assert (item.title.nl, item.standing, item.duration_minutes) == ("AOB", "closing", 5)
            message = db.session.scalars(sa.select(OutboxMessage)).one()
            assert (message.body_text, message.html_text) == ("Hello", None)
            cabinet = db.session.scalars(sa.select(Agency).where(Agency.code == "CABINET")).one()
            assert cabinet.overseen == []  # the secretariat says it again
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_each_database_gets_data_versions_of_its_own(backend, tmp_path):
    """A token per scope, random: two databases never share one (caches key on them), and a
    database migrated down and up again gets new ones."""
    from coordination.core.versions import SCOPES, DataVersion

    def tokens() -> dict[str, str]:
        return dict(db.session.execute(sa.select(DataVersion.scope, DataVersion.token)).all())

    seen = []
    for _ in range(2):
        with fresh_database(backend, tmp_path) as url:
            app = make_app(url)
            with app.app_context():
                upgrade(directory=MIGRATIONS)
                first = tokens()
                assert set(first) == set(SCOPES)
                db.session.remove()
                downgrade(directory=MIGRATIONS, revision="568f50f62ebd")
                assert "data_versions" not in table_names()
                upgrade(directory=MIGRATIONS)
                again = tokens()
                assert set(again.values()).isdisjoint(first.values())
                seen.append(first)
                db.session.remove()
                db.engine.dispose()
    assert set(seen[0].values()).isdisjoint(seen[1].values())
