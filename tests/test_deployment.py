"""What compose.yaml, the Dockerfile and production.env.example promise (Docker itself cannot
run on the test machines: see README, "Docker Compose"), and production's refusals of them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from app.config import Settings
from tests.helpers import ROOT

STRONG_KEYS = {"secret_key": "s" * 40, "audit_key": "a" * 40}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def _example_env() -> dict[str, str]:
    lines = (ROOT / "production.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name: value for name, value in pairs}


def test_compose_runs_the_app_the_worker_and_postgresql_15_with_a_volume() -> None:
    services = _compose()["services"]
    assert set(services) == {"app", "worker", "db"}
    db = services["db"]
    assert db["image"] == "postgres:15"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert db["healthcheck"]["test"][0] == "CMD-SHELL"
    assert services["worker"]["command"] == ["python", "-m", "app.worker"]
    assert services["worker"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("app", "worker"):
        env = services[name]["environment"]
        assert env["ENVIRONMENT"] == "production"
        # uvicorn believes X-Forwarded-For only from these (tests/accounts/test_forwarded.py).
        assert env["FORWARDED_ALLOW_IPS"] == "${FORWARDED_ALLOW_IPS:-}"
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://thinkchild:${POSTGRES_PASSWORD")
        assert env["DATABASE_URL"].endswith("@db:5432/thinkchild")
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"] == "."
    assert set(_compose()["volumes"]) == {"database", "files"}


def test_the_dockerfile_names_no_database_and_runs_in_production() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENVIRONMENT=production" in dockerfile
    assert "sqlite" not in dockerfile.lower()
    assert "--no-server-header" in dockerfile
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_production_refuses_the_example_env_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    example = _example_env()
    assert {"SECRET_KEY", "AUDIT_KEY", "POSTGRES_PASSWORD"} <= set(example)
    monkeypatch.setenv("ENVIRONMENT", "production")
    url = "postgresql+psycopg://thinkchild:pw@db:5432/thinkchild"
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=url, secret_key=example["SECRET_KEY"], audit_key="a" * 40
        )
    with pytest.raises(ValueError, match="AUDIT_KEY"):
        Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=url, secret_key="s" * 40, audit_key=example["AUDIT_KEY"]
        )
    assert Settings(_env_file=None, database_url=url, **STRONG_KEYS).database_url == url  # type: ignore[call-arg, arg-type]


def test_production_requires_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(ValueError, match="DATABASE_URL must be set in production"):
        Settings(_env_file=None, **STRONG_KEYS)  # type: ignore[call-arg, arg-type]
    monkeypatch.setenv("ENVIRONMENT", "development")
    assert Settings(_env_file=None).database_url.startswith("sqlite:")  # type: ignore[call-arg]
