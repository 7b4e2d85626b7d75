"""Test harness: a migrated database per run, a rolled-back transaction per test, logins.

DATABASE_URL selects the database (the PostgreSQL run sets it); otherwise a fresh SQLite file.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="thinkchild-test-"))
os.environ["ENVIRONMENT"] = "test"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp / 'test.db'}")
# Cheap argon2 parameters keep the suite fast; production uses OWASP's (see app/config.py).
os.environ["ARGON2_MEMORY_KIB"] = "64"
os.environ["ARGON2_TIME_COST"] = "1"
os.environ["SESSION_TOUCH_SECONDS"] = "0"
os.environ["PDF_CACHE_DIR"] = str(_tmp / "pdf-cache")

import pytest  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db import get_engine, get_session, make_engine  # noqa: E402
from app.main import app  # noqa: E402
from tests.factories import PASSWORD, make_team, make_user  # noqa: E402
from tests.helpers import Browserless, migrate  # noqa: E402


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    eng = get_engine()
    if eng.dialect.name == "postgresql":
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(eng)
    _no_second_factor_required(eng)
    yield eng
    eng.dispose()


def _no_second_factor_required(eng: Engine) -> None:
    """Supervisors, coaches and admins must use a second factor by default; most tests sign in
    with a password only. The second factor's own tests (tests/accounts/test_second_factor.py)
    require it again inside their transaction, and check the default on a fresh database."""
    from app.accounts.models import Role, SecondFactorRule

    with Session(eng) as s:
        s.add_all(SecondFactorRule(role=role, required=False) for role in Role)
        s.commit()


@pytest.fixture
def fresh_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A new, empty database beside the suite's one."""
    if engine.dialect.name != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"tc_fresh_{uuid.uuid4().hex[:12]}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    """A new database, migrated, with the second factor not required (as the suite's one)."""
    eng = make_engine(fresh_url)
    migrate(eng)
    _no_second_factor_required(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def bare_engine(fresh_url: str) -> Iterator[Engine]:
    """A new database just as the migrations leave it (the product's defaults)."""
    eng = make_engine(fresh_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A real session whose every commit is a savepoint inside a transaction rolled back after."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
            yield s
        outer.rollback()


@pytest.fixture
def client(session: Session) -> Iterator[Browserless]:
    app.dependency_overrides[get_session] = lambda: session
    with Browserless(app) as c:
        yield c
    app.dependency_overrides.clear()


@pytest.fixture
def settings() -> Iterator[object]:
    yield get_settings()


def _login_as(client: Browserless, session: Session, *roles: str) -> Browserless:
    team = make_team(session)
    user = make_user(session, roles=roles, team=team, supervises=[team], coaches=[team])
    client.log_in(user.username, PASSWORD)
    client.user = user
    client.team = team
    return client


@pytest.fixture
def as_officer(client: Browserless, session: Session) -> Browserless:
    return _login_as(client, session, "officer")


@pytest.fixture
def as_supervisor(client: Browserless, session: Session) -> Browserless:
    return _login_as(client, session, "supervisor")


@pytest.fixture
def as_coach(client: Browserless, session: Session) -> Browserless:
    return _login_as(client, session, "coach")


@pytest.fixture
def as_admin(client: Browserless, session: Session) -> Browserless:
    return _login_as(client, session, "admin")


def _tests_v2(request: pytest.FixtureRequest) -> bool:
    """A v2 test module: its file name says v2 (``test_flow_v2.py``, ``test_risk_v2.py``)."""
    return "v2" in Path(str(request.node.path)).stem


@pytest.fixture(autouse=True)
def _prompt_set_v1_unless_v2_test(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Existing tests keep testing v1 incidents: ``promptset.current()`` (what a new incident
    is answered under) is v1 for them. Tests in a module whose name has ``v2`` get the real
    current version."""
    if _tests_v2(request):
        return
    from app.checklist import promptset

    monkeypatch.setattr(promptset, "current", lambda: promptset.load_version(1))
