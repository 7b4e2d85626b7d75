"""Fail-closed production: the default environment, no demo accounts, the first admin from the
command line with a forced change, no API schema outside development, no Server header."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app import startup
from app.accounts import bootstrap
from app.accounts.models import User
from app.config import Environment, Settings, get_settings
from app.db import get_session
from app.main import create_app
from app.seed import seed_demo
from tests.factories import make_user
from tests.helpers import ROOT, Browserless

STRONG = "violet tractor sings loudly"


def test_environment_defaults_to_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENVIRONMENT")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        secret_key="s" * 40,  # type: ignore[arg-type]
        audit_key="a" * 40,  # type: ignore[arg-type]
    )
    assert settings.environment is Environment.PRODUCTION
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_demo_database_is_named_as_the_reason(session: Session) -> None:
    seed_demo(session, get_settings().demo_password)
    problems = startup.demo_account_problems(session=session)
    assert "demo accounts admin1" in problems[0]
    assert "demo password" in problems[1] and "officer1" in problems[1]


def test_an_account_renamed_but_with_the_demo_password_is_refused(session: Session) -> None:
    make_user(session, username="renamed", password=get_settings().demo_password)
    make_user(session, username="fine", password=STRONG)
    problems = startup.demo_account_problems(session=session)
    assert problems == ["these accounts have the demo password: renamed"]


@pytest.fixture
def production(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Production settings, with the start-up check and the app's sessions on a fresh database
    (the suite's cached engine is left alone)."""
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("AUDIT_KEY", "a" * 40)
    monkeypatch.setattr(startup, "get_engine", lambda: fresh_engine)
    get_settings.cache_clear()
    try:
        yield fresh_engine
    finally:
        monkeypatch.setenv("ENVIRONMENT", "test")
        monkeypatch.undo()
        get_settings.cache_clear()


def test_production_refuses_to_start_with_the_demo_accounts(production: Engine) -> None:
    with Session(production) as s:
        seed_demo(s, "think-child-demo")
    app = create_app()
    with pytest.raises(startup.UnsafeToStart, match="demo accounts admin1"), TestClient(app):
        pass


def test_production_starts_with_a_first_admin_and_hides_the_schema(production: Engine) -> None:
    with Session(production) as s:
        bootstrap.create_first_admin(session=s, username="chief", password=STRONG)
    app = create_app()

    def fresh_session() -> Iterator[Session]:
        with Session(production) as s:
            yield s

    app.dependency_overrides[get_session] = fresh_session
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/openapi.json").status_code == 404
        assert client.get("/api/docs").status_code == 404


def test_the_schema_is_served_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "development")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.setenv("ENVIRONMENT", "test")
        get_settings.cache_clear()
    with TestClient(app) as client:
        assert client.get("/openapi.json").status_code == 200


def test_the_app_sends_no_server_header(client: Browserless) -> None:
    for path in ("/login", "/healthz", "/static/no-such-file", "/no-such-page"):
        assert "server" not in client.get(path).headers


def _create_admin(url: str, name: str, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.accounts", "create-admin", name, "--password-stdin"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        input=password + "\n",
        capture_output=True,
        text=True,
    )


def test_create_admin_command(fresh_engine: Engine, fresh_url: str) -> None:
    weak = _create_admin(fresh_url, "chief", "qwerty123456")
    assert weak.returncode == 1 and "common" in weak.stdout
    made = _create_admin(fresh_url, "chief", STRONG)
    assert made.returncode == 0, made.stdout + made.stderr
    again = _create_admin(fresh_url, "second", STRONG)
    assert again.returncode == 1 and "exists already" in again.stdout
    with Session(fresh_engine) as s:
        chief = s.exec(select(User).where(User.username == "chief")).one()
        assert chief.must_change_password


def test_the_first_admin_must_change_the_password_first(
    client: Browserless, session: Session
) -> None:
    bootstrap.create_first_admin(session=session, username="chief", password=STRONG)
    client.log_in("chief", STRONG)
    for path in ("/admin/users", "/admin/audit", "/incidents"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/account/password"
    page = client.get("/account/password")
    assert "Choose your own before you go on" in page.text
    done = client.form(
        "/account/password",
        {
            "current_password": STRONG,
            "new_password": "amber kettle drifts north",
            "confirm_password": "amber kettle drifts north",
        },
    )
    assert done.status_code == 303
    assert client.get("/admin/users").status_code == 200
