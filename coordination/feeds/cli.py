"""``flask --app coordination feeds ...``: personal calendar feeds."""

from __future__ import annotations

import click

from coordination.core.cli import CoordinationGroup, fail
from coordination.db import db

cli = CoordinationGroup("feeds", help="Personal calendar feeds.")


@cli.command("url")
@click.argument("email")
def feed_url_command(email: str) -> None:
    """Print a user's calendar feed URL (https://), for support staff.

    Only a hash of each address is kept, so an existing address cannot be shown again: this
    creates a new one, and calendars subscribed with the previous address stop updating.
    """
    from coordination.auth.services import find_user_by_email
    from coordination.feeds.calendars import personal_feed_url
    from coordination.feeds.services import issue_feed_token

    user = find_user_by_email(email)
    if user is None:
        fail(f"no account with e-mail {email!r}")
    if not user.active:
        fail(f"the account {user.email} is deactivated")
    token = issue_feed_token(user, actor=None)
    db.session.commit()
    click.echo(personal_feed_url(token))
