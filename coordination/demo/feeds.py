"""Demo calendar feed: a known address for the Federal Police representative.

Real addresses are random and shown once; the demo needs one that the README can print. It is
public by design and exists only where demo data may be loaded (never in production).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordination.auth.services import find_user_by_email
from coordination.feeds.services import get_feed_token, issue_feed_token

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

DEMO_FEED_EMAIL = "fedpol@demo.coordination.be"
#: The demo address is ``<BASE_URL>/feeds/<DEMO_FEED_TOKEN>.ics``.
DEMO_FEED_TOKEN = "demo-FEDPOL-feed-not-a-secret-coordination1"  # noqa: S105 - public demo


def load_feeds(summary: DemoSummary) -> None:
    """Give the demo Federal Police account its known calendar address, once."""
    user = find_user_by_email(DEMO_FEED_EMAIL)
    if user is None or not user.active or get_feed_token(user) is not None:
        return
    issue_feed_token(user, actor=None, token=DEMO_FEED_TOKEN)
    summary.count("calendar addresses")
