"""``flask --app coordination search ...``: the search index."""

from __future__ import annotations

import click

from coordination.core.cli import CoordinationGroup
from coordination.db import db

cli = CoordinationGroup("search", help="The search index.")


@cli.command("reindex")
def reindex_command() -> None:
    """Write the whole search index again from the data (after a restore by hand, a repair,
    or a change of what is indexed). Searches keep working meanwhile: the old index is
    replaced when the new one commits."""
    from coordination.search.index import rebuild_index

    written = rebuild_index()
    db.session.commit()
    click.echo(f"Search index rebuilt: {written} entries.")


@cli.command("read-documents")
def read_documents_command() -> None:
    """Read the words of every uploaded document still waiting for it (PDF, DOCX, ODT), as the
    background worker does a few at a time; each in a child process with time and memory
    limits."""
    from coordination.search.extraction import read_all_waiting_documents

    done = read_all_waiting_documents()
    click.echo(f"Documents read: {done}.")
