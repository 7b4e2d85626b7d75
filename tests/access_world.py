"""Two teams with one of everything, for the access matrix (tests/test_access_matrix.py) and the
form fuzzing (tests/test_form_fuzz.py): per team an officer, a supervisor and a coach, a draft
incident with a child, an adult and an injury, an approved referral with an addendum, and a
coach's audit sample with feedback to the officer; one administrator. Everyone signed in.

Built once per module inside a transaction rolled back at the end; each test runs inside a
savepoint of it (``cell_session``), so what one request changes never reaches the next.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import params
from fastapi.routing import iter_route_contexts
from sqlalchemy import Connection
from sqlmodel import Session
from starlette.routing import Mount

from app.accounts.models import AccessGrant, MembershipKind, Team, User
from app.checklist import promptset
from app.checklist import service as checklist
from app.coaching import feedback, sampling
from app.coaching.models import ScopeKind
from app.coaching.scope import Period, Scope
from app.db import get_session
from app.main import app
from app.referrals import addenda
from app.review import quality
from app.review import service as review
from tests.checklist.builders import child_answers, complete_answers
from tests.factories import PASSWORD, make_referral, make_team, make_user, principal
from tests.helpers import Browserless

ROLES = ("anonymous", "officer", "supervisor", "coach", "admin")
TICKED = {c: "yes" for c in quality.CRITERIA}


@dataclass
class Login:
    cookies: dict[str, str]
    csrf: str


@dataclass
class World:
    connection: Connection
    users: dict[tuple[str, str], User] = field(default_factory=dict)  # (role, team) -> user
    logins: dict[tuple[str, str], Login] = field(default_factory=dict)
    # Path parameter values naming team "A"'s and team "B"'s records.
    params: dict[str, dict[str, str]] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # team -> draft's answers

    def client(self, role: str, team: str = "A") -> Browserless:
        """A client signed in as ``role`` of ``team`` (the admin has no team); anonymous: none."""
        client = Browserless(app)
        if role != "anonymous":
            login = self.logins[(role, "A" if role == "admin" else team)]
            for name, value in login.cookies.items():
                client.cookies.set(name, value)
            client.csrf = login.csrf
        return client


def draft_answers() -> dict[str, Any]:
    """Complete answers with an injury on the child (so every kind of screen exists)."""
    child = child_answers(
        **{
            "observed.injury": True,
            "observed.injuries": [
                {"injury.location": "left upper arm", "injury.explanation": "none given"}
            ],
        }
    )
    return complete_answers(children=[child])


def _team_records(session: Session, world: World, team: Team, name: str) -> None:
    officer = make_user(session, roles=["officer"], team=team)
    supervisor = make_user(session, roles=["supervisor"], supervises=[team])
    coach = make_user(session, roles=["coach"], coaches=[team])
    world.users.update({("officer", name): officer, ("supervisor", name): supervisor})
    world.users[("coach", name)] = coach

    who = principal(session, officer)
    incident, _ = checklist.start(session=session, officer=who, client_uuid=uuid.uuid4())
    incident, result = checklist.save(
        session=session, officer=who, incident_id=incident.id, updates=draft_answers()
    )
    assert not result.errors, result.errors
    child = incident.answers["children"][0]

    referral = make_referral(session, officer)
    review.approve(
        session=session,
        supervisor=principal(session, supervisor),
        reference=referral.reference,
        expected_version=referral.version,
        comment="Agreed: the child disclosed abuse.",
        quality=TICKED,
    )
    addenda.add(session=session, principal=who, reference=referral.reference, text="Seen again.")

    today = datetime.now(UTC).date()
    by_coach = principal(session, coach)
    sample = sampling.create(
        session=session,
        coach=by_coach,
        scope=Scope(ScopeKind.TEAM, frozenset({team.id})),
        period=Period("custom", today - timedelta(days=1), today),
        size=1,
    )
    case = sampling.cases(session=session, sample=sample)[0].case
    note = feedback.send(session=session, coach=by_coach, case_id=case.id, text="Well recorded.")

    grant = AccessGrant(user_id=supervisor.id, team_id=team.id, kind=MembershipKind.COACHES)
    session.add(grant)
    session.commit()

    world.answers[name] = copy.deepcopy(incident.answers)
    world.params[name] = {
        "incident_id": str(incident.id),
        "child": str(child["id"]),
        "item": str(child["observed.injuries"][0]["id"]),
        "adult": str(incident.answers["household.adults"][0]["id"]),
        "reference": referral.reference,
        "referral_incident_id": str(referral.incident_id),
        "sample_id": str(sample.id),
        "case_id": str(case.id),
        "feedback_id": str(note.id),
        "user_id": str(officer.id),
        "grant_id": str(grant.id),
    }


def _log_in(session: Session, world: World) -> None:
    app.dependency_overrides[get_session] = lambda: session
    try:
        for (role, team), user in world.users.items():
            client = Browserless(app)
            client.log_in(user.username, PASSWORD)
            cookies = {c.name: c.value for c in client.cookies.jar}
            world.logins[(role, team)] = Login(cookies=cookies, csrf=client.csrf)
    finally:
        app.dependency_overrides.pop(get_session, None)


@pytest.fixture(scope="module")
def world(engine: Any) -> Iterator[World]:
    with engine.connect() as conn, pytest.MonkeyPatch.context() as mp:
        outer = conn.begin()
        mp.setattr(promptset, "current", lambda: promptset.load_version(1))
        built = World(connection=conn)
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            for name in ("A", "B"):
                _team_records(session, built, make_team(session), name)
            built.users[("admin", "A")] = make_user(session, roles=["admin"])
            _log_in(session, built)
        yield built
        outer.rollback()


@pytest.fixture
def cell_session(world: World) -> Iterator[Session]:
    """The app's session for one test: inside a savepoint of the world, rolled back after."""
    savepoint = world.connection.begin_nested()
    with Session(bind=world.connection, join_transaction_mode="create_savepoint") as session:
        app.dependency_overrides[get_session] = lambda: session
        try:
            yield session
        finally:
            app.dependency_overrides.pop(get_session, None)
    savepoint.rollback()


@dataclass(frozen=True)
class AppRoute:
    key: str  # "METHOD /path/{param}", as the app declares it
    method: str
    path: str
    include_in_schema: bool
    form_fields: tuple[str, ...]  # the route's declared Form() parameters


def app_routes() -> list[AppRoute]:
    """Every method of every route the app serves (static files as ``GET /static/{path}``)."""
    found: list[AppRoute] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            found.append(AppRoute(f"GET {route.path}/{{path}}", "GET", route.path, False, ()))
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", str(context.path))
        dependant = getattr(context, "dependant", None)
        fields = tuple(
            p.alias
            for p in (dependant.body_params if dependant is not None else [])
            if isinstance(p.field_info, params.Form)
        )
        for method in sorted(context.methods or ()):
            found.append(
                AppRoute(
                    f"{method} {path}",
                    method,
                    path,
                    bool(getattr(context, "include_in_schema", False)),
                    fields,
                )
            )
    return found


def url_for(route: AppRoute, values: dict[str, str], overrides: dict[str, str]) -> str:
    """The route's URL with real records: ``{name}`` from ``overrides`` or ``values``."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return overrides.get(name) or values[name]

    path = route.path + ("/css/app.css" if route.path == "/static" else "")
    return re.sub(r"\{(\w+)\}", value, path)


@contextmanager
def rolled_back(world: World, session: Session) -> Iterator[None]:
    """One Hypothesis example: whatever it changes is undone after, so each example starts from
    the same world and a failure replays the same way."""
    session.close()
    savepoint = world.connection.begin_nested()
    try:
        yield
    finally:
        session.close()
        savepoint.rollback()
