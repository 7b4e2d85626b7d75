"""Users, roles, teams and server-side sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel, String

from app.models_base import UTCDateTime, utcnow


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    COACH = "coach"
    ADMIN = "admin"


class MembershipKind(StrEnum):
    MEMBER = "member"  # an officer belongs to one team
    SUPERVISES = "supervises"
    COACHES = "coaches"


class Team(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=50, unique=True, index=True)
    display_name: str = Field(max_length=100)
    collar_number: str = Field(default="", max_length=20)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    # Set for the first admin (`python -m app.accounts create-admin`): nothing but changing the
    # password is allowed until it is changed.
    must_change_password: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"

    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    role: Role = Field(sa_column=Column(String(20), primary_key=True))


class TeamMembership(SQLModel, table=True):
    __tablename__ = "team_membership"

    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    team_id: uuid.UUID = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    kind: MembershipKind = Field(sa_column=Column(String(20), primary_key=True))


class UserSession(SQLModel, table=True):
    """A server-side session. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the cookie token
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="app_user.id", index=True, ondelete="CASCADE"
    )
    csrf_token: str = Field(max_length=64)
    # The password was right but the second factor's code is still owed: nothing but the code
    # page (and signing out) is open to this session (app/accounts/deps.py).
    pending_second_factor: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )
    # Quick hide: the screen was blanked; nothing but unlocking (the user's password again) and
    # signing out is open to this session until then.
    locked: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Recent sign-in attempts from one address: for one user name, or (user name "") for every
    name together. Names are counted whether they exist or not, so nothing tells which exist.
    A row stops counting at `expires_at` and is purged after (app/accounts/throttle.py)."""

    __tablename__ = "login_throttle"

    address: str = Field(primary_key=True, max_length=64)
    username: str = Field(primary_key=True, max_length=50)
    attempts: int = 0
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SecondFactor(SQLModel, table=True):
    """A user's authenticator app (TOTP, RFC 6238). Unconfirmed (`confirmed_at` None) until the
    user types a code from it; only a confirmed one is asked for at sign-in."""

    __tablename__ = "second_factor"

    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    secret: str = Field(max_length=64)  # base32
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The last 30-second time step whose code was accepted: a code is good once only.
    last_used_step: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecoveryCode(SQLModel, table=True):
    """One of the ten codes shown once at enrolment; only its SHA-256 is kept; good once."""

    __tablename__ = "recovery_code"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SecondFactorRule(SQLModel, table=True):
    """Whether a role must use a second factor. A role without a row takes the default
    (app/accounts/second_factor_rules.py: supervisors, coaches and admins)."""

    __tablename__ = "second_factor_rule"

    role: Role = Field(sa_column=Column(String(20), primary_key=True))
    required: bool
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AccessGrant(SQLModel, table=True):
    """An administrator's own request to supervise or coach a team (access to its children's
    records): held here, not applied, until another administrator approves it."""

    __tablename__ = "access_grant"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    team_id: uuid.UUID = Field(foreign_key="team.id", ondelete="CASCADE")
    kind: MembershipKind = Field(sa_column=Column(String(20), nullable=False))
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved: bool | None = None
