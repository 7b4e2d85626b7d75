"""The access matrix, generated from the app's route table: every route x every role x its own
team's records and another team's. A route the app serves without a rule in ``ACCESS`` fails.

The app's conventions (app/accounts/deps.py, app/referrals/access.py): not signed in, a page
sends to the sign-in page (303) and the API answers 401; a signed-in user without the route's
role gets 403; a record they may not read does not exist for them (404), so another team's
referral, another officer's incident, another coach's sample are 404, never 403. With the
right role and their own team's record, anything but 401/403/404 and 5xx (an empty form may be
refused with 400/409/422: the request got past every gate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from sqlmodel import Session

from tests.access_world import ROLES, AppRoute, World, app_routes, cell_session, url_for, world

pytestmark = pytest.mark.db
__all__ = ["cell_session", "world"]  # the fixtures, used by name

OFFICER, SUPERVISOR, COACH, ADMIN = "officer", "supervisor", "coach", "admin"
SIGNED_IN = frozenset({OFFICER, SUPERVISOR, COACH, ADMIN})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]  # who gets through (anonymous: only when ``public``)
    scoped: bool = False  # names a record: another team's (officer's, coach's) is 404
    refused: int = 403  # what a signed-in user without the role gets (404: no such record)
    public: bool = False  # anyone, signed in or not
    bearer: bool = False  # the MASH's own bearer token, never a session: 401 for everyone
    api: str = ""  # the JSON API: "read" (GET) or "write"
    pending: bool = False  # a step of signing in (the code after the password): no one else


def api(rule: Rule, kind: str) -> Rule:
    return replace(rule, api=kind)


def only(*roles: str, scoped: bool = False) -> Rule:
    return Rule(frozenset(roles), scoped=scoped)


PUBLIC = Rule(SIGNED_IN, public=True)
ANY_USER = Rule(SIGNED_IN)
# Referral documents: any signed-in user may ask; only those with a purpose find it.
READERS = Rule(frozenset({OFFICER, SUPERVISOR, COACH}), scoped=True, refused=404)

ACCESS: dict[str, Rule] = {
    "GET /static/{path}": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /login": PUBLIC,
    "POST /login": PUBLIC,
    "GET /api/v1/schema/referral-v1.json": PUBLIC,
    "GET /api/v1/schema/referral-v{version}.json": PUBLIC,
    "GET /": ANY_USER,
    "POST /logout": PUBLIC,  # without a session it just shows the sign-in page
    "GET /account/password": ANY_USER,
    "POST /account/password": ANY_USER,
    # The second factor: the code after the password (a pending session), enrolment, the rule
    "GET /login/code": Rule(SIGNED_IN, pending=True),
    "POST /login/code": Rule(SIGNED_IN, pending=True),
    "GET /account/second-factor": ANY_USER,
    "POST /account/second-factor": ANY_USER,
    "GET /admin/second-factor": only(ADMIN),
    "POST /admin/second-factor": only(ADMIN),
    "POST /admin/users/{user_id}/second-factor/reset": only(ADMIN),
    # The installable app: no personal data in any of these
    "GET /manifest.webmanifest": PUBLIC,
    "GET /sw.js": PUBLIC,
    "GET /offline": PUBLIC,
    "GET /offline/needs-connection": PUBLIC,
    "GET /offline/conflicts": PUBLIC,
    "GET /api/v1/session": api(ANY_USER, "read"),
    # Quick hide: lock the session at once, unlock it with the password
    "POST /lock": ANY_USER,
    "GET /unlock": ANY_USER,
    "POST /unlock": ANY_USER,
    # Administration
    "GET /admin/users": only(ADMIN),
    "GET /admin/users/new": only(ADMIN),
    "POST /admin/users/new": only(ADMIN),
    "GET /admin/users/{user_id}": only(ADMIN),
    "POST /admin/users/{user_id}": only(ADMIN),
    "POST /admin/users/{user_id}/status": only(ADMIN),
    "POST /admin/users/{user_id}/unlock": only(ADMIN),
    "POST /admin/users/{user_id}/password": only(ADMIN),
    "GET /admin/teams": only(ADMIN),
    "POST /admin/teams": only(ADMIN),
    "GET /admin/audit": only(ADMIN),
    "GET /admin/access-requests": only(ADMIN),
    "POST /admin/access-requests/{grant_id}": only(ADMIN),
    # The officer's checklist: their own incidents only
    "GET /incidents": only(OFFICER),
    "POST /incidents": only(OFFICER),
    "GET /incidents/{incident_id}": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/s/{section_id}/{page}": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/s/{section_id}/{page}": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/c/{child}/s/{section_id}/{page}": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/c/{child}/s/{section_id}/{page}": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/children": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/children/add": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/r/{repeat}/{item}": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/r/{repeat}/{item}": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/c/{child}/r/{repeat}/{item}": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/c/{child}/r/{repeat}/{item}": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/c/{child}/remove": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/c/{child}/remove": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/r/{repeat}/{item}/remove": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/r/{repeat}/{item}/remove": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove": only(OFFICER, scoped=True),
    # A screen posted after the session ended: sign in there and its answers are saved (the
    # save's own checks then apply; a post without a screen of the incident is refused: 400)
    "POST /incidents/{incident_id}/sign-in-to-save": PUBLIC,
    "GET /incidents/{incident_id}/close": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/close": only(OFFICER, scoped=True),
    "GET /incidents/{incident_id}/check": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/check": only(OFFICER, scoped=True),
    "POST /incidents/{incident_id}/submit": only(OFFICER, scoped=True),
    "GET /referrals/{reference}": only(OFFICER, scoped=True),
    "POST /referrals/{reference}/addenda": only(OFFICER, scoped=True),
    # The officer's JSON API
    "GET /api/v1/prompt-set": api(only(OFFICER), "read"),
    "POST /api/v1/incidents": api(only(OFFICER), "write"),
    "GET /api/v1/incidents/{incident_id}": api(only(OFFICER, scoped=True), "read"),
    "PUT /api/v1/incidents/{incident_id}/answers": api(only(OFFICER, scoped=True), "write"),
    "POST /api/v1/incidents/{incident_id}/submit": api(only(OFFICER, scoped=True), "write"),
    "POST /api/v1/incidents/{incident_id}/close": api(only(OFFICER, scoped=True), "write"),
    # The referral document and its history: whoever has a purpose (access.purpose)
    "GET /referrals/{reference}/document": READERS,
    "GET /referrals/{reference}/document.pdf": READERS,
    "GET /referrals/{reference}/document.json": READERS,
    "GET /referrals/{reference}/changes": READERS,
    # Supervisors: their teams' referrals
    "GET /review": only(SUPERVISOR),
    "GET /review/{reference}": only(SUPERVISOR, scoped=True),
    "POST /review/{reference}/decision": only(SUPERVISOR, scoped=True),
    "POST /review/{reference}/addenda": only(SUPERVISOR, scoped=True),
    "POST /review/{reference}/redeliver": only(SUPERVISOR, scoped=True),
    # Coaches: their teams, their own samples; officers: feedback to them
    "GET /coaching": only(COACH),
    "GET /coaching/export/{table_id}.csv": only(COACH),
    "GET /coaching/incidents": only(COACH),
    "GET /coaching/incidents/{incident_id}": only(COACH, scoped=True),
    "GET /coaching/samples": only(COACH),
    "POST /coaching/samples": only(COACH),
    "GET /coaching/samples/{sample_id}": only(COACH, scoped=True),
    "GET /coaching/samples/cases/{case_id}": only(COACH, scoped=True),
    "POST /coaching/samples/cases/{case_id}": only(COACH, scoped=True),
    "POST /coaching/samples/cases/{case_id}/feedback": only(COACH, scoped=True),
    "GET /coaching/training": only(COACH),
    "GET /coaching/training/{user_id}": only(COACH, scoped=True),
    "POST /coaching/training/{user_id}": only(COACH, scoped=True),
    "POST /coaching/training/{user_id}/remove": only(COACH, scoped=True),
    "GET /feedback": only(OFFICER),
    "POST /feedback/{feedback_id}/acknowledge": only(OFFICER, scoped=True),
    # The MASH reports outcomes with its own bearer token (app/coaching/api.py)
    "POST /api/v1/referrals/{reference}/outcome": Rule(frozenset(), bearer=True),
}

# Path parameters that are not records: the same for every team.
FIXED = {"section_id": "incident", "page": "1", "table_id": "figures", "version": "2"}
# A route's own parameter values: a fixed value, or "@name" for the team's record ``name``.
PARAMS: dict[str, dict[str, str]] = {
    "/incidents/{incident_id}/c/{child}/s/{section_id}/{page}": {"section_id": "child"},
    "/incidents/{incident_id}/r/{repeat}/{item}": {"repeat": "household.adults", "item": "@adult"},
    "/incidents/{incident_id}/r/{repeat}/{item}/remove": {
        "repeat": "household.adults",
        "item": "@adult",
    },
    "/incidents/{incident_id}/c/{child}/r/{repeat}/{item}": {"repeat": "observed.injuries"},
    "/incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove": {"repeat": "observed.injuries"},
    "/coaching/incidents/{incident_id}": {"incident_id": "@referral_incident_id"},
}

# Path parameters that name a record of one team (tests/access_world.py builds one of each).
RECORD_PARAMS = {"incident_id", "child", "item", "reference", "sample_id", "case_id"}
RECORD_PARAMS |= {"feedback_id", "user_id"}
ROUTES = app_routes()
UNRULED = [r.key for r in ROUTES if r.key not in ACCESS]


def test_every_route_has_an_access_rule() -> None:
    assert not UNRULED, (
        f"route {UNRULED[0]} has no access rule: add it to ACCESS in tests/test_access_matrix.py"
        f" (all without one: {UNRULED})"
    )
    stale = set(ACCESS) - {r.key for r in ROUTES}
    assert not stale, f"ACCESS names routes the app no longer has: {sorted(stale)}"


def _cells() -> list[object]:
    cells = []
    for route in ROUTES:
        rule = ACCESS.get(route.key)
        if rule is None:
            continue  # reported by test_every_route_has_an_access_rule
        for role in ROLES:
            names_record = bool(RECORD_PARAMS & set(re.findall(r"\{(\w+)\}", route.path)))
            for whose in ("own", "other") if names_record and role != "anonymous" else ("own",):
                cells.append(pytest.param(route, role, whose, id=f"{route.key} | {role} | {whose}"))
    return cells


def expected(rule: Rule, role: str, whose: str) -> str:
    if rule.bearer:
        return "401"
    if rule.public:
        return "allowed"
    if rule.pending:  # only a session owing that step gets it: everyone here is sent to sign in
        return "sign-in"
    if role == "anonymous":
        if rule.api:  # JSON: 401; a write is refused by the CSRF check first (403, documented)
            return "401" if rule.api == "read" else "403"
        return "sign-in"
    if role not in rule.roles:
        return str(rule.refused)
    if rule.scoped and whose == "other":
        return "404"
    return "allowed"


def outcome(status: int, location: str) -> str:
    if status >= 500:
        return f"server error {status}"
    if status == 401 and location == SIGN_IN_PROMPT:  # a screen's post: signing in, in place
        return "sign-in"
    if status == 401:
        return "401"
    if status == 303 and (location == "/login" or location.startswith("/login?next=")):
        return "sign-in"
    if status in (403, 404):
        return str(status)
    return "allowed"


def _request(world: World, route: AppRoute, role: str, whose: str) -> tuple[int, str]:
    team = "A" if whose == "own" else "B"
    values = {**FIXED, **world.params[team]}
    overrides = {
        k: values[v[1:]] if v.startswith("@") else v for k, v in PARAMS.get(route.path, {}).items()
    }
    url = url_for(route, values, overrides)
    client = world.client(role)  # always team A's people: "other" is team B's records
    headers = {"X-CSRF-Token": client.csrf} if client.csrf else {}
    if route.method == "GET":
        response = client.get(url)
    elif route.path.startswith("/api/"):
        body = BODIES.get(route.key, {"client_uuid": FIXED_UUID})
        response = client.request(route.method, url, json=body, headers=headers)
    else:
        response = client.form(url, {})
    if response.status_code == 401 and "/sign-in-to-save" in response.text:
        return 401, SIGN_IN_PROMPT
    return response.status_code, response.headers.get("location", "")


# A screen posted without a live session answers 401 with its answers and a sign-in prompt on
# the page (app/checklist/resume.py) rather than sending to the sign-in page.
SIGN_IN_PROMPT = "(sign-in prompt on the page)"
FIXED_UUID = "00000000-0000-4000-8000-000000000001"
# JSON bodies of the right shape (a body of the wrong shape is refused before any gate: 422).
BODIES: dict[str, dict[str, object]] = {
    "PUT /api/v1/incidents/{incident_id}/answers": {"answers": {}},
    "POST /api/v1/incidents/{incident_id}/close": {"reason": "No child lives or stays here"},
    "POST /api/v1/incidents/{incident_id}/submit": {},
}


@pytest.mark.parametrize(("route", "role", "whose"), _cells())
def test_access(
    route: AppRoute, role: str, whose: str, world: World, cell_session: Session
) -> None:
    rule = ACCESS[route.key]
    status, location = _request(world, route, role, whose)
    want, got = expected(rule, role, whose), outcome(status, location)
    assert got == want, (
        f"{route.key} as {role} on {whose} team's record: expected {want}, got {status} "
        f"({got}) {location}"
    )


WRITES = [r for r in ROUTES if r.method != "GET" and r.key in ACCESS and not ACCESS[r.key].bearer]
CSRF_REASON = "Your session may have expired, or the page was open for too long."


@pytest.mark.parametrize("route", WRITES, ids=[r.key for r in WRITES])
def test_every_write_without_the_csrf_token_is_refused(
    route: AppRoute, world: World, cell_session: Session
) -> None:
    """By someone the route lets in, on their own team's record: refused for want of the token
    alone, whether the app-wide check refuses it or the route's own (a checklist screen checks
    it in its own thread, before anything else)."""
    rule = ACCESS[route.key]
    role = OFFICER if rule.public or OFFICER in rule.roles else sorted(rule.roles)[0]
    values = {**FIXED, **world.params["A"]}
    overrides = {
        k: values[v[1:]] if v.startswith("@") else v for k, v in PARAMS.get(route.path, {}).items()
    }
    url = url_for(route, values, overrides)
    client = world.client(role)
    if route.path.startswith("/api/"):
        body = BODIES.get(route.key, {"client_uuid": FIXED_UUID})
        response = client.request(route.method, url, json=body)
        assert (response.status_code, response.json()) == (403, {"error": "csrf"}), route.key
        return
    # Another site's form (a screen's post from this site's own page is answered with its
    # answers and a sign-in prompt instead: app/checklist/resume.py).
    headers = {"Sec-Fetch-Site": "cross-site"}
    response = client.post(url, data={"csrf_token": "not-the-token"}, headers=headers)
    assert response.status_code == 403, (route.key, response.status_code)
    assert CSRF_REASON in response.text, route.key
