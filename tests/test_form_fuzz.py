"""Hypothesis fuzzing of every HTML form post the app serves (its POST routes outside the
OpenAPI schema, from the route table), as the role the route is for (its rule in the access
matrix), with a valid CSRF token: field values in any script, very long ones within the body
limit, fields left out, fields sent twice, fields nobody asked for. Never a server error. For the
checklist's screens, a complete draft is fuzzed one screen at a time, and every answer outside
that screen must be exactly as stored before.

Field names come from the route's declared ``Form()`` parameters and from the controls of the
page at the same URL (with that page's own values offered beside random ones, so valid saves
happen too). Fixed, derandomized example counts keep it to seconds.
"""

from __future__ import annotations

import copy
import html
import re
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.checklist import promptset, screens
from app.checklist.models import Incident
from tests.access_world import (
    AppRoute,
    World,
    app_routes,
    cell_session,
    rolled_back,
    url_for,
    world,
)
from tests.test_access_matrix import ACCESS, FIXED, PARAMS

pytestmark = pytest.mark.db
__all__ = ["cell_session", "world"]  # the fixtures, used by name

ROUTES = app_routes()
GET_PATHS = {r.path for r in ROUTES if r.method == "GET"}
FORM_ROUTES = [
    r
    for r in ROUTES
    if r.method == "POST" and not r.include_in_schema and not r.path.startswith("/api/")
]
# The checklist's screens: fuzzed by test_a_fuzzed_screen_changes_only_its_own_answers.
SCREEN_PATHS = {
    "/incidents/{incident_id}/s/{section_id}/{page}",
    "/incidents/{incident_id}/c/{child}/s/{section_id}/{page}",
    "/incidents/{incident_id}/r/{repeat}/{item}",
    "/incidents/{incident_id}/c/{child}/r/{repeat}/{item}",
    "/incidents/{incident_id}/check",
}
ORDER = ("officer", "supervisor", "coach", "admin")
FUZZ = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
CHARS = ["a", "é", "😀", "\u202e", " ", "\r\n"]  # Latin, accented, emoji, bidi override, space
LONG = st.builds(lambda c, n: c * n, st.sampled_from(CHARS), st.integers(1000, 4000))
ODD = st.sampled_from(
    ["", " ", "0", "-1", "yes", "no", "true", "add:x", "mine", "1e309", "99999999999999999999",
     "2026-02-30", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd"]
)  # fmt: skip
VALUE = st.one_of(TEXT, LONG, ODD)

CONTROL = re.compile(r"<(input|textarea|select|button|option)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def controls(page: str) -> dict[str, list[str]]:
    """Each form control's name on the page, with the values the page offers for it."""
    found: dict[str, list[str]] = {}
    select = ""
    for tag, attrs in CONTROL.findall(page):
        a = {k: html.unescape(v) for k, v in ATTR.findall(attrs)}
        if tag.lower() == "option":
            if select and "value" in a:
                found[select].append(a["value"])
            continue
        name = a.get("name", "")
        if not name or name == "csrf_token":
            continue
        found.setdefault(name, [])
        select = name if tag.lower() == "select" else ""
        if "value" in a:
            found[name].append(a["value"])
    return found


def fuzzed_form(data: st.DataObject, fields: dict[str, list[str]]) -> dict[str, list[str]]:
    names = sorted(fields) + data.draw(st.lists(TEXT.filter(bool), max_size=2), label="extra")
    form: dict[str, list[str]] = {}
    for name in names:
        offered = fields.get(name) or []
        value = st.one_of(st.sampled_from(offered), VALUE) if offered else VALUE
        # Left out, sent once or twice, or (a hidden field) as the page has it.
        fuzzed = st.lists(value, max_size=2)
        sent = data.draw(st.one_of(st.just(offered), fuzzed) if offered else fuzzed, label=name)
        if sent:
            form[name] = sent
    return form


def poster(route: AppRoute) -> str:
    rule = ACCESS[route.key]
    if rule.public and route.path == "/login":
        return "anonymous"
    return next(role for role in ORDER if role in rule.roles)


def _url(world: World, route: AppRoute) -> str:
    values = {**FIXED, **world.params["A"]}
    overrides = {
        k: values[v[1:]] if v.startswith("@") else v for k, v in PARAMS.get(route.path, {}).items()
    }
    return url_for(route, values, overrides)


def test_the_form_routes_come_from_the_route_table() -> None:
    keys = {r.key for r in FORM_ROUTES}
    assert {"POST /login", "POST /review/{reference}/decision", "POST /admin/users/new"} <= keys
    assert {f"POST {p}" for p in SCREEN_PATHS} <= keys
    assert all(poster(r) for r in FORM_ROUTES)


@pytest.mark.parametrize(
    "route", [r for r in FORM_ROUTES if r.path not in SCREEN_PATHS], ids=lambda r: r.key
)
def test_a_fuzzed_form_post_is_never_a_server_error(
    route: AppRoute, world: World, cell_session: Session
) -> None:
    client = world.client(poster(route))
    url = _url(world, route)
    page = client.get(url) if route.path in GET_PATHS else None
    fields = controls(page.text) if page is not None and page.status_code == 200 else {}
    fields.update({name: fields.get(name, []) for name in route.form_fields})

    @FUZZ
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        if not client.csrf:
            client.get("/login")  # the sign-in form's token, as the page would have it
        form = fuzzed_form(data, fields)
        response = client.post(url, data={**form, "csrf_token": client.csrf})
        assert response.status_code < 500, f"{route.key}: {response.status_code} for {form!r}"

    post()


def _all_screens(answers: dict[str, Any]) -> list[screens.Screen]:
    ps = promptset.load_version(1)
    child = str(answers["children"][0]["id"])
    injury = str(answers["children"][0]["observed.injuries"][0]["id"])
    adult = str(answers["household.adults"][0]["id"])
    details = ps.section("child")
    adults, injuries = "household.adults", "observed.injuries"
    return [
        *screens.flow(ps, answers),
        *(
            screens.Screen(details, page, screens.Place(child=child))
            for page in range(screens.section_pages(ps, "child"))
        ),
        screens.Screen(ps.section_of(adults), 0, screens.Place(None, adults, adult)),
        screens.Screen(ps.section_of(injuries), 0, screens.Place(child, injuries, injury)),
        screens.check_screen(ps),
    ]


def outside(
    ps: promptset.PromptSet, screen: screens.Screen, answers: dict[str, Any], before: Any
) -> Any:
    """The answers with this screen's own answers taken out: what a post to it must not touch.
    A list on the screen may gain an item ("Add another"); its items from ``before`` stay."""
    rest = copy.deepcopy(answers)
    scope = screen.place.get(rest) if screen.place != screens.Place() else rest
    had = screen.place.get(before) if screen.place != screens.Place() else before
    for p in screen.prompts(ps):
        if scope is None:
            break
        if p.type is not promptset.PromptType.REPEAT:
            scope.pop(p.id, None)
        elif isinstance(scope.get(p.id), list):
            old = {i.get("id") for i in (had or {}).get(p.id) or [] if isinstance(i, dict)}
            scope[p.id] = [i for i in scope[p.id] if isinstance(i, dict) and i.get("id") in old]
    return rest


def test_a_fuzzed_screen_changes_only_its_own_answers(world: World, cell_session: Session) -> None:
    client = world.client("officer")
    incident_id = world.params["A"]["incident_id"]
    ps = promptset.load_version(1)
    all_screens = _all_screens(world.answers["A"])
    assert {s.url(incident_id).split("/")[3] for s in all_screens} >= {"s", "c", "r", "check"}

    def stored() -> dict[str, Any]:
        cell_session.expire_all()
        incident = cell_session.get(Incident, uuid.UUID(incident_id))
        assert incident is not None
        return copy.deepcopy(incident.answers)

    @settings(FUZZ, max_examples=40)
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        screen = data.draw(st.sampled_from(all_screens), label="screen")
        url = screen.url(incident_id)
        with rolled_back(world, cell_session):
            page = client.get(url)
            assert page.status_code == 200, url
            before = stored()
            assert before == world.answers["A"]  # each example starts from the same draft
            form = fuzzed_form(data, controls(page.text))
            response = client.post(url, data={**form, "csrf_token": client.csrf})
            assert response.status_code < 500, f"{url}: {response.status_code} for {form!r}"
            after = stored()

        kept = outside(ps, screen, before, before)
        assert outside(ps, screen, after, before) == kept, url

    post()
