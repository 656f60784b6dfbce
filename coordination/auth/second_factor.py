"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

Required for the secretariat (they publish to every agency), available to everyone. A code is
accepted once (its 30-second step is remembered) and within one step of the server's clock;
wrong codes are throttled like passwords (``auth.throttle``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, select

from coordination.audit.services import record_event
from coordination.auth.models import RecoveryCode, SecondFactor
from coordination.db import db
from coordination.users.models import Role, User

#: The name the authenticator app shows above the codes.
ISSUER = "Coordination THB"
RECOVERY_CODES = 10
STEP_SECONDS = 30


def is_required(user: User) -> bool:
    return user.role is Role.SECRETARIAT


def confirmed_factor(user: User) -> SecondFactor | None:
    factor = db.session.get(SecondFactor, user.id)
    return factor if factor is not None and factor.confirmed_at is not None else None


def start_enrolment(user: User) -> SecondFactor:
    """The secret for the user's app: a new one, or the one the enrolment page already showed
    (the user may have scanned it before a wrong first code)."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(factor)
    return factor


def provisioning_uri(factor: SecondFactor, user: User) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The enrolment QR code as an SVG data URI (drawn here: no image service learns it)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, dark="#000000", light="#ffffff")


def _accepted_step(factor: SecondFactor, code: str, now: datetime) -> int | None:
    """The time step the code belongs to, if it is valid now and was not used before."""
    code = "".join(character for character in code if character.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(factor.secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1, current + 1):  # one step of clock drift either way
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            if factor.last_used_step is not None and step <= factor.last_used_step:
                return None
            return step
    return None


def confirm_enrolment(user: User, code: str, now: datetime) -> list[str] | None:
    """Confirm the app with its first code; returns the recovery codes (shown once), or None
    when the code is wrong."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is None:
        return None
    step = _accepted_step(factor, code, now)
    if step is None:
        return None
    factor.confirmed_at = now
    factor.last_used_step = step
    record_event("auth.second_factor_enrolled", actor=user, obj=user)
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns them in clear, once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return codes


def _recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits each, ten of them, each used once
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str) -> str:
    normalised = code.strip().lower().replace(" ", "").replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def verify(user: User, code: str, now: datetime) -> bool:
    """A code from the app, or an unused recovery code (which is then used up)."""
    factor = confirmed_factor(user)
    if factor is None:
        return False
    step = _accepted_step(factor, code, now)
    if step is not None:
        factor.last_used_step = step
        return True
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = now
    record_event("auth.recovery_code_used", actor=user, obj=user)
    return True


def remove_second_factor(user: User, *, actor: User | None) -> bool:
    """Forget the user's app and recovery codes (lost phone, or the user's choice)."""
    removed = db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    changed = bool(getattr(removed, "rowcount", 0))
    if changed:
        record_event("auth.second_factor_removed", actor=actor, obj=user)
    return changed
