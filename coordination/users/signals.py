"""Signals other domains listen to, so that users/ never imports them (imports flow one way)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the deactivated ``User`` as sender and ``actor=`` the user who did it, inside the
#: same transaction: receivers make their changes in it (e.g. the feeds revoke the address).
user_deactivated = _signals.signal("user-deactivated")
