"""What a checklist screen and an autosave ask of the database: the signed-in user in one
query (with the officer's unread feedback for the navigation), the incident read once (an
autosave's read locks the row), nothing read again after the save's commit, and no navigation
counts for a fragment."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from tests.checklist.test_flow import start
from tests.helpers import Browserless, statements

pytestmark = pytest.mark.db

FROM_INCIDENT = re.compile(r"\bFROM incident\b")


@pytest.fixture
def quiet_session(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    """The session was touched just now: no last-seen write (which would expire every row)."""
    monkeypatch.setattr(settings, "session_touch_seconds", 3600)


def _screen_url(as_officer: Browserless) -> str:
    return f"/incidents/{start(as_officer)}/s/incident/1"


@pytest.mark.usefixtures("quiet_session")
def test_a_screen_reads_the_user_once_and_the_incident_once(
    as_officer: Browserless, engine: Engine
) -> None:
    url = _screen_url(as_officer)
    with statements(engine) as seen:
        assert as_officer.get(url).status_code == 200
    assert len([s for s in seen if "FROM user_session" in s]) == 1
    assert not [s for s in seen if "FROM app_user" in s and "user_session" not in s]
    assert len([s for s in seen if FROM_INCIDENT.search(s)]) == 1
    # The officer's unread feedback (the navigation's count) comes with the session.
    assert [s for s in seen if "FROM feedback" in s and "FROM user_session" in s]
    assert not [s for s in seen if "FROM feedback" in s and "FROM user_session" not in s]
    assert len([s for s in seen if s.lstrip().startswith("SELECT")]) == 2


@pytest.mark.usefixtures("quiet_session")
def test_an_autosave_reads_the_incident_once_locked_and_nothing_after_saving(
    as_officer: Browserless, engine: Engine
) -> None:
    url = _screen_url(as_officer)
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-1", "autosave": "1"}
    with statements(engine) as seen:
        response = as_officer.form(url, form, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Saved at" in response.text
    reads = [s for s in seen if FROM_INCIDENT.search(s)]
    assert len(reads) == 1, reads
    if engine.dialect.name == "postgresql":
        assert "FOR UPDATE" in reads[0]
    saved = next(i for i, s in enumerate(seen) if s.startswith("UPDATE incident"))
    after = [s for s in seen[saved + 1 :] if s.lstrip().startswith("SELECT")]
    assert not [s for s in after if "audit_head" not in s], after  # only the audit chain's
    # No navigation in a fragment: no query but the session's own counts the feedback.
    assert not [s for s in seen if "FROM feedback" in s and "FROM user_session" not in s]
    # What the fragment says is what was stored (taken before the commit, not read after).
    revision = re.compile(r'id="form-revision" value="(\d+)"')
    fragment, page = revision.search(response.text), revision.search(as_officer.get(url).text)
    assert fragment and page and fragment[1] == page[1] != "0"
