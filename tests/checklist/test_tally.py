"""Each incident's summary row (app/checklist/tally.py) matches a fresh reading of its answers
after every kind of write: screen saves, autosaves, items added and removed, the API's PUT,
closing at the gate (page and API), submitting (page and API), a supervisor's return, and any
ORM write at all; and no code writes the incident table around the ORM (which would skip it)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.checklist import tally
from app.checklist.models import Incident, IncidentStatus, IncidentSummary
from app.review import service as review
from tests.checklist.builders import child_answers, complete_answers
from tests.checklist.test_flow import add_child, put, start
from tests.checklist.test_flow_items import close_at_the_gate
from tests.checklist.test_flow_save import GATE_YES, post_page
from tests.checklist.test_flow_submit import submit
from tests.factories import make_user, principal
from tests.helpers import Browserless

pytestmark = pytest.mark.db
API = "/api/v1"
APP = Path(__file__).resolve().parents[2] / "app"


def current(session: Session, incident_id: str | uuid.UUID) -> dict[str, Any]:
    """The stored summary, checked against a fresh reading of the stored answers."""
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(str(incident_id)))
    row = session.get(IncidentSummary, uuid.UUID(str(incident_id)))
    assert incident is not None and row is not None
    found = tally.stored(row)
    assert found == tally.fresh(incident)
    return found


def test_a_new_incident_has_its_summary(as_officer: Browserless, session: Session) -> None:
    found = current(session, start(as_officer))
    assert (found["incident_type"], found["child_identified"], found["spoken_to"]) == (
        "not_recorded",
        False,
        0,
    )


def test_screen_saves_and_autosaves(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/incident/1", {"incident.type": "domestic_abuse"})
    assert current(session, incident_id)["incident_type"] == "domestic_abuse"
    post_page(as_officer, f"{base}/s/incident/1", {"incident.type": "crime"}, autosave=True)
    assert current(session, incident_id)["incident_type"] == "crime"
    post_page(as_officer, f"{base}/s/gate/1", {"gate.children_present": "yes"})
    assert current(session, incident_id)["child_identified"] is True


def test_children_added_and_removed(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    put(as_officer, incident_id, GATE_YES)
    before = current(session, incident_id)["applicable"]
    amy = add_child(as_officer, incident_id)
    post_page(as_officer, f"{base}/c/{amy}/s/child/1", {"child.name": "Amy Smith"})
    with_child = current(session, incident_id)["applicable"]
    assert with_child > before
    assert as_officer.form(f"{base}/c/{amy}/remove").status_code == 303
    assert current(session, incident_id)["applicable"] == before


def test_the_apis_put(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    found = current(session, incident_id)
    assert (found["spoken_to"], found["words"], found["applicable"] > 0) == (1, 1, True)
    put(as_officer, incident_id, {"children": []})
    assert current(session, incident_id)["spoken_to"] == 0


def test_closing_at_the_gate_by_page_and_by_api(as_officer: Browserless, session: Session) -> None:
    for by_api in (False, True):
        incident_id = close_at_the_gate(as_officer, by_api=by_api)
        session.expire_all()
        closed = session.get(Incident, uuid.UUID(incident_id))
        assert closed is not None and closed.status == IncidentStatus.NO_CHILD
        assert current(session, incident_id)["child_identified"] is False


def test_submitting_by_page_and_by_api_then_a_return(
    as_officer: Browserless, session: Session
) -> None:
    # Hidden answers are dropped at submission: the frozen answers are summarised again.
    child = child_answers(
        child__spoken_to=False,
        child__not_spoken_reason="Asleep",
        child__spoken_alone=None,
        voice__words="kept in the draft, hidden",
    )
    hidden = complete_answers(children=[child])
    for by_api in (False, True):
        incident_id = start(as_officer)
        put(as_officer, incident_id, hidden)
        if by_api:
            response = as_officer.post(
                f"{API}/incidents/{incident_id}/submit", headers={"X-CSRF-Token": as_officer.csrf}
            )
            assert response.status_code in (200, 201), response.text
        else:
            assert submit(as_officer, incident_id).status_code == 303
        found = current(session, incident_id)
        assert (found["spoken_to"], found["words"]) == (0, 0)
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None and incident.reference
    boss = make_user(session, roles=["supervisor"], supervises=[as_officer.team])
    review.return_to_officer(
        session=session,
        supervisor=principal(session, boss),
        reference=incident.reference,
        expected_version=1,
        comment="Say where the children were.",
    )
    session.expire_all()
    assert session.get(Incident, incident.id).status == IncidentStatus.DRAFT  # type: ignore[union-attr]
    current(session, incident_id)


def test_any_orm_write_keeps_the_summary_current(session: Session) -> None:
    """The choke point: a write path added later, through the ORM, cannot forget it."""
    officer = make_user(session, roles=["officer"])
    incident = Incident(client_uuid=uuid.uuid4(), officer_id=officer.id, prompt_set_version=1)
    session.add(incident)
    session.commit()
    assert current(session, incident.id)["applicable"] is not None
    incident.answers = complete_answers(incident__type="missing_found")
    session.add(incident)
    session.commit()
    assert current(session, incident.id)["incident_type"] == "missing_found"
    incident.answers = {**incident.answers, "incident.address": "  12, Hill Road!"}
    session.add(incident)
    session.flush()  # within the same transaction, before any commit
    assert session.get(IncidentSummary, incident.id).address_key == "12 hill road"  # type: ignore[union-attr]
    session.delete(incident)
    session.commit()
    assert session.get(IncidentSummary, incident.id) is None


def test_a_prompt_set_this_build_lacks_counts_no_completion(session: Session) -> None:
    officer = make_user(session, roles=["officer"])
    incident = Incident(
        client_uuid=uuid.uuid4(),
        officer_id=officer.id,
        prompt_set_version=99,
        answers={"gate.pregnancy": True, "incident.datetime": "2026-11-02T08:00:00"},
    )
    session.add(incident)
    session.commit()
    found = current(session, incident.id)
    assert (found["applicable"], found["child_identified"]) == (None, True)
    # A time without an offset is UK local time (GMT in November), stored in UTC.
    assert found["incident_time"].isoformat() == "2026-11-02T08:00:00+00:00"


BYPASS = re.compile(
    r"\b(insert|update|delete)\(\s*(Incident|IncidentSummary)\b|Incident(Summary)?\.__table__"
)


def test_no_code_writes_incidents_around_the_orm() -> None:
    """Bulk statements on the incident table would skip the summary's flush hook."""
    found = [
        f"{path.relative_to(APP)}: {m.group(0)}"
        for path in APP.rglob("*.py")
        if path.name != "tally.py"  # the choke point itself
        for m in BYPASS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
