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
