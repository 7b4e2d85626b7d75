"""Who may use the officer's pages: only officers (403 for everyone else), and each officer only
their own incidents and referrals (anyone else's are simply not found, 404, and unchanged)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.accounts.models import Team
from app.main import app
from tests.checklist.test_flow import api_incident, put, start, stored, with_injury_and_adult
from tests.checklist.test_flow_submit import submit
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

# Every kind of page and action that names an incident or a referral.
BY_ID: list[tuple[str, str]] = [
    ("GET", "/incidents/{id}"),
    ("GET", "/incidents/{id}/s/incident/1"),
    ("POST", "/incidents/{id}/s/incident/1"),
    ("GET", "/incidents/{id}/children"),
    ("POST", "/incidents/{id}/children/add"),
    ("GET", "/incidents/{id}/c/{child}/s/child/1"),
    ("POST", "/incidents/{id}/c/{child}/s/child/1"),
    ("GET", "/incidents/{id}/c/{child}/s/voice/1"),
    ("POST", "/incidents/{id}/c/{child}/s/voice/1"),
    ("GET", "/incidents/{id}/c/{child}/remove"),
    ("POST", "/incidents/{id}/c/{child}/remove"),
    ("GET", "/incidents/{id}/r/household.adults/{adult}"),
    ("POST", "/incidents/{id}/r/household.adults/{adult}"),
    ("GET", "/incidents/{id}/r/household.adults/{adult}/remove"),
    ("POST", "/incidents/{id}/r/household.adults/{adult}/remove"),
    ("GET", "/incidents/{id}/c/{child}/r/observed.injuries/{injury}"),
    ("POST", "/incidents/{id}/c/{child}/r/observed.injuries/{injury}"),
    ("GET", "/incidents/{id}/c/{child}/r/observed.injuries/{injury}/remove"),
    ("POST", "/incidents/{id}/c/{child}/r/observed.injuries/{injury}/remove"),
    ("GET", "/incidents/{id}/close"),
    ("POST", "/incidents/{id}/close"),
    ("GET", "/incidents/{id}/check"),
    ("POST", "/incidents/{id}/check"),
    ("POST", "/incidents/{id}/submit"),
    ("GET", "/referrals/{ref}"),
]
NO_ID: list[tuple[str, str]] = [("GET", "/incidents"), ("POST", "/incidents")]
FORM = {"_present": ["incident.log_ref", "child.name"], "incident.log_ref": "HACKED"}
FORM |= {"child.name": "HACKED", "action": "submit", "client_uuid": "not-a-uuid"}


@dataclass
class Owned:
    draft: str  # a draft incident with a child, an injury and an adult
    submitted: str  # a submitted incident
    reference: str  # its referral's reference
    child: str  # the draft's child's id
    adult: str  # the draft's adult's id
    injury: str  # the draft's child's injury's id

    def url(self, path: str) -> str:
        return path.format(
            id=self.draft,
            ref=self.reference,
            child=self.child,
            adult=self.adult,
            injury=self.injury,
        )


@pytest.fixture
def owned(as_officer: Browserless) -> Owned:
    draft = start(as_officer)
    put(as_officer, draft, with_injury_and_adult())
    answers = api_incident(as_officer, draft)["answers"]
    (child,) = answers["children"]
    (adult,) = answers["household.adults"]
    (injury,) = child["observed.injuries"]
    done = start(as_officer)
    put(as_officer, done, with_injury_and_adult())
    location = submit(as_officer, done).headers["location"]
    reference = location.removeprefix("/referrals/").split("?")[0]
    return Owned(
        draft=draft,
        submitted=done,
        reference=reference,
        child=child["id"],
        adult=adult["id"],
        injury=injury["id"],
    )


@pytest.fixture
def other(as_officer: Browserless) -> Iterator[Browserless]:
    """A second browser (the test signs it in), beside the owner's."""
    with Browserless(app) as c:
        yield c


def _sign_in(client: Browserless, session: Session, role: str, team: Team) -> None:
    user = make_user(session, roles=[role], team=team, supervises=[team], coaches=[team])
    client.log_in(user.username, PASSWORD)


def _send(client: Browserless, method: str, url: str) -> int:
    response = client.get(url) if method == "GET" else client.form(url, FORM)
    if "html" in response.headers.get("content-type", ""):
        check_page(response.text)
    return response.status_code


def test_another_officer_finds_nothing_and_changes_nothing(
    as_officer: Browserless, owned: Owned, other: Browserless, session: Session
) -> None:
    _sign_in(other, session, "officer", as_officer.team)  # same team, still not theirs
    before = stored(session, owned.draft)
    for method, path in BY_ID:
        assert _send(other, method, owned.url(path)) == 404, (method, path)
    for method, path in [("GET", "/incidents/{id}/check"), ("POST", "/incidents/{id}/submit")]:
        url = path.format(id=owned.submitted)
        assert _send(other, method, url) == 404, (method, path)
    assert stored(session, owned.draft) == before
    mine = other.get("/incidents").text
    assert owned.draft not in mine and owned.reference not in mine
    # The owner still sees everything as it was.
    assert as_officer.get(f"/incidents/{owned.draft}").status_code == 200
    assert as_officer.get(f"/referrals/{owned.reference}").status_code == 200


def test_another_officer_cannot_take_over_a_client_uuid(
    as_officer: Browserless, other: Browserless, session: Session
) -> None:
    client_uuid = uuid.uuid4()
    start(as_officer, client_uuid)
    _sign_in(other, session, "officer", as_officer.team)
    other.get("/incidents")
    response = other.form("/incidents", {"client_uuid": str(client_uuid)})
    assert response.status_code == 404


@pytest.mark.parametrize("reference", ["TC-2026-999999", "nonsense", "tc-2026-000001"])
def test_unknown_references_are_404(as_officer: Browserless, reference: str) -> None:
    response = as_officer.get(f"/referrals/{reference}")
    assert response.status_code == 404
    check_page(response.text)


@pytest.mark.parametrize("role", ["supervisor", "coach", "admin"])
def test_only_officers_may_use_the_checklist_pages(
    as_officer: Browserless, owned: Owned, other: Browserless, session: Session, role: str
) -> None:
    _sign_in(other, session, role, as_officer.team)  # supervises or coaches the owner's team
    before = stored(session, owned.draft)
    for method, path in [*NO_ID, *BY_ID]:
        response = (
            other.get(owned.url(path)) if method == "GET" else other.form(owned.url(path), FORM)
        )
        assert response.status_code == 403, (method, path, response.status_code)
        assert "You do not have permission" in response.text
    assert stored(session, owned.draft) == before


def test_the_owner_may_use_every_page(as_officer: Browserless, owned: Owned) -> None:
    removals_last = sorted(
        BY_ID, key=lambda r: (r[1].endswith("remove"), "/c/{child}/remove" in r[1])
    )
    for method, path in [*NO_ID, *removals_last]:
        status = _send(as_officer, method, owned.url(path))
        assert status in (200, 303, 409, 422), (method, path, status)


SCREEN_POST = re.compile(r".*/(s/[^/]+/\d+|r/[^/]+/[^/]+)")


def test_signed_out_users_are_sent_to_sign_in(owned: Owned, session: Session) -> None:
    with Browserless(app) as anonymous:
        anonymous.get("/login")
        for method, path in [*NO_ID, *BY_ID]:
            url = owned.url(path)
            response = anonymous.get(url) if method == "GET" else anonymous.form(url, FORM)
            if method == "POST" and SCREEN_POST.fullmatch(path):
                # A screen's answers come back with a sign-in prompt (tests/checklist/
                # test_session_expiry.py), never dropped for a trip to the sign-in page.
                assert response.status_code == 401, (method, path)
                assert "/sign-in-to-save" in response.text
                continue
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login")
