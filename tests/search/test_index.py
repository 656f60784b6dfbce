"""The index follows every write in its own transaction: a search right after the write (no
commit, no reindex) finds the new text and no longer the old; deletions and rollbacks take
the rows along; what a row shows of its meeting, minutes or measure follows them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_login import login_user

from coordination.core.texts import Texts
from coordination.db import db
from coordination.minutes.models import MinutesStatus
from coordination.minutes.services import publish_minutes
from coordination.search import queries
from coordination.search.index import entries_of, rebuild_index
from coordination.search.models import Audience, SearchEntry, SearchKind
from coordination.search.queries import SearchFilters
from tests.search.builders import build_search_world


def build_module_data() -> dict:
    return build_search_world()


@pytest.fixture
def world(module_data):
    return module_data


def finds(app, user, text: str) -> set[tuple[SearchKind, int]]:
    with app.test_request_context():
        login_user(user)
        results = queries.search(user, SearchFilters(text=text), "nl")
    return {(result.kind, result.object_id) for group in results.groups for result in group.results}


def rows(kind: SearchKind, object_id: int) -> list[SearchEntry]:
    return list(
        db.session.scalars(
            sa.select(SearchEntry)
            .where(SearchEntry.kind == kind, SearchEntry.object_id == object_id)
            .order_by(SearchEntry.language)
        )
    )


def test_an_edit_is_found_in_the_same_transaction(app, world):
    item = world["item"]
    item.title = Texts(nl="Arbeidsuitbuiting in de vleesverwerking", fr="Exploitation en abattoir")
    db.session.flush()
    secretariat = world["secretariat"]
    assert (SearchKind.AGENDA_ITEM, item.id) in finds(app, secretariat, "vleesverwerking")
    assert (SearchKind.AGENDA_ITEM, item.id) in finds(app, secretariat, "abattoir")
    assert (SearchKind.AGENDA_ITEM, item.id) not in finds(app, secretariat, "bouwsector")


def test_a_new_object_is_found_before_any_commit(app, world):
    from tests import factories

    item = factories.agenda_item(world["bureau_meeting"], Texts(nl="Zeevisserij", fr="Pêche"))
    assert (SearchKind.AGENDA_ITEM, item.id) in finds(app, world["rep_bureau"], "zeevisserij")
    assert [row.language for row in rows(SearchKind.AGENDA_ITEM, item.id)] == ["fr", "nl"]


def test_a_language_removed_takes_its_row(app, world):
    measure = world["measure"]
    measure.title = replace(measure.title, fr=None)
    measure.description = Texts()
    db.session.flush()
    assert [row.language for row in rows(SearchKind.MEASURE, measure.id)] == ["nl"]
    assert (SearchKind.MEASURE, measure.id) not in finds(app, world["secretariat"], "contrôleurs")


def test_deleting_removes_the_rows(app, world):
    document, item = world["document"], world["item"]
    db.session.delete(document)
    db.session.delete(item)
    db.session.flush()
    assert rows(SearchKind.DOCUMENT, document.id) == []
    assert rows(SearchKind.AGENDA_ITEM, item.id) == []
    assert (SearchKind.DOCUMENT, document.id) not in finds(app, world["secretariat"], "kerncijfers")


def test_a_deleted_meeting_takes_every_row_of_its_own(app, world):
    meeting = world["platform_meeting"]
    db.session.delete(world["platform_minutes"])
    db.session.flush()
    db.session.delete(meeting)
    db.session.flush()
    left = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SearchEntry)
        .where(SearchEntry.meeting_id == meeting.id)
    )
    assert left == 0
    assert finds(app, world["secretariat"], "kustwacht") == {
        (SearchKind.AGENDA_ITEM, world["item"].id)
    }


def test_a_rollback_takes_the_rows_back(app, world):
    item = world["item"]
    item.title = Texts(nl="Tijdelijke titel paardenmarkt")
    db.session.flush()
    assert (SearchKind.AGENDA_ITEM, item.id) in finds(app, world["secretariat"], "paardenmarkt")
    db.session.rollback()
    assert finds(app, world["secretariat"], "paardenmarkt") == set()
    assert (SearchKind.AGENDA_ITEM, item.id) in finds(app, world["secretariat"], "bouwsector")


def test_publishing_minutes_makes_their_parts_findable(app, world):
    draft = world["draft"]
    reader = world["rep_bureau"]
    assert finds(app, reader, "kerstmarkt") == set()
    draft.status = MinutesStatus.APPROVED
    draft.approved_at = draft.created_at
    db.session.flush()
    assert finds(app, reader, "kerstmarkt") == set()
    publish_minutes(draft, actor=world["secretariat"], notify=False)
    db.session.flush()
    assert finds(app, reader, "kerstmarkt") == {
        (SearchKind.MINUTES, draft.id),
        (SearchKind.DECISION, world["draft_decision"].id),
        (SearchKind.FOLLOW_UP, world["draft_action"].id),
    }
    assert {row.audience for row in rows(SearchKind.DECISION, world["draft_decision"].id)} == {
        Audience.FORUM
    }


def test_a_moved_meeting_moves_the_rows_of_its_parts(app, world):
    meeting = world["bureau_meeting"]
    meeting.starts_at += timedelta(days=7)
    meeting.ends_at += timedelta(days=7)
    meeting.local_date = date(2025, 3, 19)
    meeting.title = Texts(nl="Verplaatste vergadering", fr="Réunion déplacée")
    db.session.flush()
    for kind, name in (
        (SearchKind.AGENDA_ITEM, "item"),
        (SearchKind.DOCUMENT, "document"),
        (SearchKind.MINUTES, "minutes"),
        (SearchKind.DECISION, "decision"),
        (SearchKind.FOLLOW_UP, "follow_up"),
    ):
        for row in rows(kind, world[name].id):
            assert row.day == date(2025, 3, 19), kind
            assert "placée" in (row.context or "") or "Verplaatst" in (row.context or ""), kind
    assert (SearchKind.MEETING, meeting.id) in finds(app, world["rep_bureau"], "19/03/2025")


def test_a_membership_that_ends_hides_what_came_after(app, world):
    from coordination.agencies.models import ForumMembership

    membership = db.session.scalar(
        sa.select(ForumMembership).where(
            ForumMembership.agency_id == world["bureau_only"].id,
            ForumMembership.forum_id == world["bureau"].id,
        )
    )
    membership.until = date(2025, 3, 1)
    db.session.flush()
    assert finds(app, world["rep_bureau"], "zeehaven") == set()


def test_a_measure_renamed_renames_its_reports(app, world):
    measure = world["measure"]
    measure.code = "6.9"
    measure.title = Texts(nl="Nieuwe titel", fr="Nouveau titre")
    db.session.flush()
    for report in (world["report"], world["french_report"]):
        (row,) = rows(SearchKind.PROGRESS_REPORT, report.id)
        assert row.code == "6.9"
        assert row.context == "6.9 Nieuwe titel / Nouveau titre"
    assert (SearchKind.PROGRESS_REPORT, world["report"].id) in finds(app, world["rep_both"], "6.9")


def test_the_rebuilt_index_is_the_index_kept_by_the_writes(app, world):
    def snapshot() -> list[tuple]:
        columns = [column for column in SearchEntry.__table__.columns if column.name != "id"]
        return sorted(db.session.execute(sa.select(*columns)).all(), key=repr)

    kept = snapshot()
    written = rebuild_index()
    assert written == len(kept)
    assert snapshot() == kept
    assert (SearchKind.MEETING, world["bureau_meeting"].id) in finds(
        app, world["rep_bureau"], "zeehaven"
    )


def test_the_reindex_command(app, world, runner):
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt:" in result.output


def test_indexed_text_cannot_carry_the_engines_marks(app, world):
    item = world["item"]
    item.title = Texts(nl="Schone \ue000titel\ue001")
    assert all("\ue000" not in row["title"] for row in entries_of(item))


def test_a_confidential_place_is_never_indexed(app, world):
    meeting = world["bureau_meeting"]
    meeting.place = Texts.same("Geheim opvanghuis Zonnebloem")
    meeting.place_confidential = True
    db.session.flush()
    assert finds(app, world["secretariat"], "zonnebloem") == set()


def test_the_indexed_columns_are_columns_of_their_models():
    from coordination.search.index import INDEXED_COLUMNS, KINDS

    assert set(INDEXED_COLUMNS) == set(KINDS)
    for model, columns in INDEXED_COLUMNS.items():
        assert set(columns) <= set(sa.inspect(model).columns.keys()), model


def test_a_change_outside_the_indexed_columns_writes_nothing(app, world, count_queries):
    meeting = world["bureau_meeting"]
    meeting.sequence += 1
    with count_queries() as counter:
        db.session.flush()
    assert not [statement for statement in counter.statements if "search_entries" in statement]
