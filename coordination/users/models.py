"""User and Role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.agencies.models import Agency
from coordination.db import Model, intpk, str200, str255, str_enum, utcnow


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    AGENCY_REP = "agency_rep"
    MINISTER = "minister"
    RAPPORTEUR = "rapporteur"


class User(Model):
    __tablename__ = "users"
    __table_args__ = (
        # Everyone but the secretariat speaks for an agency.
        CheckConstraint("role = 'secretariat' OR agency_id IS NOT NULL", name="agency_required"),
        CheckConstraint("locale IS NULL OR locale IN ('nl', 'fr', 'en')", name="locale_valid"),
    )

    id: Mapped[intpk]
    #: Stored lower-cased: logins are case-insensitive.
    email: Mapped[str255] = mapped_column(unique=True)
    full_name: Mapped[str200]
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    password_hash: Mapped[str255]
    active: Mapped[bool] = mapped_column(default=True)
    #: Preferred interface language; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    agency: Mapped[Agency | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login protocol -------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # Flask-Login's cookie holds the secret of a server-side session instead (auth.sessions),
        # so that sessions can be ended; this id is only what the protocol requires.
        return str(self.id)

    # -----------------------------------------------------------------------------------
    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
