"""Demonstration data that looks like the real world (MISSION.md).

``load_demo_data`` is idempotent: everything is looked up by a stable key (agency code, forum
code, e-mail ...) and created only when missing, so running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coordination.demo.people import DEMO_PASSWORD, DEMO_SECOND_FACTOR_KEY, load_accounts

__all__ = ["DEMO_PASSWORD", "DEMO_SECOND_FACTOR_KEY", "DemoSummary", "load_demo_data"]


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    #: (e-mail, description) of each demo account.
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def count(self, kind: str, number: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + number

    def describe(self) -> str:
        if not any(self.created.values()):
            return "demo data already loaded: nothing to do"
        return "created " + ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n)


def load_demo_data() -> DemoSummary:
    """Create whatever part of the demo data is missing; returns what was created."""
    # Imported here: these loaders read their content (data/*.toml) when imported, and the app
    # imports this package for its command line at every start, production included.
    from coordination.demo.decisions import load_decisions
    from coordination.demo.feeds import load_feeds
    from coordination.demo.measures import load_measures
    from coordination.demo.meetings import load_meetings
    from coordination.demo.minutes import load_minutes
    from coordination.demo.structure import load_agencies_and_forums

    summary = DemoSummary()
    load_agencies_and_forums(summary)
    load_accounts(summary)
    load_meetings(summary)
    # The action plan's history links to the demo meetings: they must exist first.
    load_measures(summary)
    load_feeds(summary)
    # After the meetings' loader: minutes are written for the past meetings it created.
    load_minutes(summary)
    # Last: a decision reaches the minutes of its meeting.
    load_decisions(summary)
    return summary
