"""Slowing down password guessing without locking anybody out.

Failures are counted per key: the address at one IP, the IP itself (a wider budget), or the
address on a browser where its owner signed in before (a known device). Past a few free
failures, each one doubles the wait before the next attempt under that key, up to a cap; the
wait is told to the user. A successful login never counts and clears its keys, and on a known
device only the device's own key applies: an attacker hammering the address from elsewhere
slows only themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from coordination.auth.models import LoginThrottle
from coordination.db import db


@dataclass(frozen=True)
class Budget:
    #: Failures allowed before any wait.
    free: int
    #: The wait after the first failure beyond ``free``; it doubles with each one after.
    first_wait: timedelta
    longest_wait: timedelta
    #: Failures older than this are forgotten.
    memory: timedelta

    def wait_after(self, failures: int) -> timedelta:
        beyond = failures - self.free
        if beyond <= 0:
            return timedelta(0)
        doubled = self.first_wait * 2 ** min(beyond - 1, 20)
        return min(doubled, self.longest_wait)


#: One address from one IP address, or from one known device: a person mistyping.
ACCOUNT = Budget(5, timedelta(seconds=2), timedelta(minutes=15), timedelta(hours=1))
#: Every address tried from one IP address: a shared office NAT has many honest users.
ADDRESS = Budget(50, timedelta(seconds=2), timedelta(minutes=15), timedelta(hours=1))
#: Codes of a second factor for one account.
SECOND_FACTOR = Budget(5, timedelta(seconds=5), timedelta(minutes=15), timedelta(hours=1))


@dataclass(frozen=True)
class Key:
    name: str
    budget: Budget


def login_keys(
    email: str, ip_address: str | None, *, device_user_id: int | None, device: str | None
) -> list[Key]:
    """The keys a login attempt counts under: a known device's own key, else the address at
    this IP and the IP."""
    if device_user_id is not None and device:
        return [Key(f"device:{device_user_id}:{device}", ACCOUNT)]
    ip = ip_address or "unknown"
    return [Key(f"account-ip:{email}:{ip}"[:320], ACCOUNT), Key(f"ip:{ip}"[:320], ADDRESS)]


def remaining_wait(keys: list[Key], now: datetime) -> timedelta | None:
    """How long the attempt must wait (the longest of its keys), or None when it may go on."""
    names = [key.name for key in keys]
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(names)))
    waits = [
        row.blocked_until - now for row in rows if row.blocked_until and row.blocked_until > now
    ]
    return max(waits) if waits else None


def record_failure(keys: list[Key], now: datetime) -> None:
    """Count a failed attempt under each key (forgetting failures older than its memory)."""
    for key in keys:
        row = _locked_row(key.name, now)
        if row.last_failure_at < now - key.budget.memory:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        wait = key.budget.wait_after(row.failures)
        row.blocked_until = now + wait if wait else None


def _locked_row(name: str, now: datetime) -> LoginThrottle:
    """The key's row, locked until the transaction ends (simultaneous attempts count both)."""
    row = db.session.get(LoginThrottle, name, with_for_update=True)
    if row is not None:
        return row
    row = LoginThrottle(key=name, failures=0, last_failure_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # a simultaneous attempt made it first
        return db.session.get_one(LoginThrottle, name, with_for_update=True)
    return row


def clear(keys: list[Key]) -> None:
    """A successful attempt: its keys start afresh (the IP's wider budget is kept)."""
    names = [key.name for key in keys if key.budget is not ADDRESS]
    if names:
        db.session.execute(
            delete(LoginThrottle).where(LoginThrottle.key.in_(names)),
            execution_options={"synchronize_session": False},
        )


def seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))
