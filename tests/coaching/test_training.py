"""Think Child training: hand-counted completion per team, drill-down to the officers, CSV equal
to the table, the chart's text, scope (a coach sees and records only their teams' officers),
date checks in plain words, the audit of every change, and everyone else refused.

The world: team A has three active officers (two trained) and a disabled one (trained, not
counted) and a supervisor (not an officer); team B has two officers (one trained); team C, not
coached, has one trained officer. So A is 2 of 3 (66.7%), B 1 of 2 (50%)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlmodel import Session, col, select

from app.accounts.models import Team, User
from app.audit.models import AuditEvent
from app.coaching import training
from app.coaching.models import TrainingRecord
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class Trained:
    a: Team
    b: Team
    c: Team
    coach: User
    a1: User  # trained 1 March 2026
    a2: User  # trained 15 October 2026
    a3: User  # not trained
    b1: User  # trained
    b2: User  # not trained
    c1: User  # trained, team C (not coached)


def _trained(session: Session, officer: User, on: date, by: User) -> None:
    session.add(TrainingRecord(officer_id=officer.id, completed_on=on, recorded_by=by.id))


@pytest.fixture
def trained(session: Session) -> Trained:
    a, b, c = make_team(session), make_team(session), make_team(session)
    coach = make_user(session, roles=["coach"], coaches=[a, b])
    people = [make_user(session, roles=["officer"], team=t) for t in (a, a, a, b, b, c)]
    a1, a2, a3, b1, b2, c1 = people
    gone = make_user(session, roles=["officer"], team=a, active=False)
    make_user(session, roles=["supervisor"], supervises=[a])
    for officer, on in ((a1, date(2026, 3, 1)), (a2, date(2026, 10, 15)), (gone, date(2026, 1, 5))):
        _trained(session, officer, on, coach)
    _trained(session, b1, date(2026, 6, 30), coach)
    _trained(session, c1, date(2026, 6, 30), coach)
    session.commit()
    return Trained(a, b, c, coach, a1, a2, a3, b1, b2, c1)


@pytest.fixture
def as_coach(client: Browserless, trained: Trained) -> Browserless:
    client.log_in(trained.coach.username, PASSWORD)
    return client


def _texts(row: str) -> list[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_completion_per_team_is_counted_by_hand(session: Session, trained: Trained) -> None:
    found = training.completion(session=session, teams=[trained.a, trained.b])
    assert [(c.team.id, c.officers, c.trained, c.percent) for c in found] == [
        (trained.a.id, 3, 2, 66.7),
        (trained.b.id, 2, 1, 50.0),
    ]
    empty = make_team(session)
    assert training.completion(session=session, teams=[empty])[0].percent is None


def test_the_dashboard_table_its_csv_and_its_chart(as_coach: Browserless, trained: Trained) -> None:
    page = as_coach.get("/coaching")
    assert page.status_code == 200
    check_page(page.text)
    table = _table(page.text, "training")
    row_a = table[table.rindex("<tr", 0, table.index(f">{trained.a.name}<")) :].split("</tr>")[0]
    assert _texts(row_a) == [trained.a.name, "3", "2", "1", "66.7"]
    assert f"/coaching/training?team={trained.a.id}&amp;show=untrained" in row_a
    assert f">{trained.c.name}<" not in table
    desc = page.text[page.text.index('<desc id="chart-training-desc">') :]
    desc = desc[: desc.index("</desc>")]
    assert f"{trained.a.name}: 66.7%" in desc and f"{trained.b.name}: 50%" in desc
    assert '<title id="chart-training-title">' in page.text

    export = as_coach.get("/coaching/export/training.csv")
    assert export.status_code == 200
    assert export.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["Team", "Officers", "Trained", "Not yet trained", "Trained (%)"]
    assert sorted(rows[1:]) == sorted(
        [[trained.a.name, "3", "2", "1", "66.7"], [trained.b.name, "2", "1", "1", "50"]]
    )


def test_each_number_drills_down_to_the_officers(as_coach: Browserless, trained: Trained) -> None:
    untrained = as_coach.get(f"/coaching/training?team={trained.a.id}&show=untrained")
    assert untrained.status_code == 200
    check_page(untrained.text)
    assert trained.a3.display_name in untrained.text
    for other in (trained.a1, trained.a2, trained.b2, trained.c1):
        assert other.display_name not in untrained.text
    done = as_coach.get(f"/coaching/training?team={trained.a.id}&show=trained").text
    assert trained.a1.display_name in done and trained.a2.display_name in done
    assert trained.a3.display_name not in done
    assert "1 March 2026" in done
    every = as_coach.get("/coaching/training").text
    for person in (trained.a1, trained.a2, trained.a3, trained.b1, trained.b2):
        assert person.display_name in every
    assert trained.c1.display_name not in every


def test_a_coach_sees_and_records_only_their_teams(
    as_coach: Browserless, session: Session, trained: Trained
) -> None:
    assert as_coach.get(f"/coaching/training?team={trained.c.id}").status_code == 403
    assert as_coach.get(f"/coaching/training/{trained.c1.id}").status_code == 404
    asked = {"day": "2", "month": "2", "year": "2026"}
    assert as_coach.form(f"/coaching/training/{trained.c1.id}", asked).status_code == 404
    remove = as_coach.form(f"/coaching/training/{trained.c1.id}/remove")
    assert remove.status_code == 404
    assert as_coach.get(f"/coaching/training/{uuid.uuid4()}").status_code == 404
    assert as_coach.get("/coaching/training/not-an-id").status_code == 404
    session.expire_all()
    kept = session.exec(
        select(TrainingRecord).where(TrainingRecord.officer_id == trained.c1.id)
    ).one()
    assert kept.completed_on == date(2026, 6, 30)


def _events(session: Session, officer: User) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.object_id == str(officer.id), col(AuditEvent.action).startswith("coaching.")
    )
    return list(session.exec(query.order_by(col(AuditEvent.seq))))


def test_record_correct_and_remove_each_audited(
    as_coach: Browserless, session: Session, trained: Trained
) -> None:
    url = f"/coaching/training/{trained.a3.id}"
    with time_machine.travel(TODAY, tick=False):
        saved = as_coach.form(url, {"day": "20", "month": "11", "year": "2026"})
        assert saved.status_code == 303
        page = as_coach.get(saved.headers["location"])
        check_page(page.text)
        assert "Training date saved" in page.text and "20 November 2026" in page.text
        assert as_coach.form(url, {"day": "9", "month": "11", "year": "2026"}).status_code == 303
        assert as_coach.form(url, {"day": "9", "month": "11", "year": "2026"}).status_code == 303
        removed = as_coach.form(f"{url}/remove")
        assert removed.headers["location"] == f"{url}?done=removed"
        assert "Not yet trained" in as_coach.get(removed.headers["location"]).text
        again = as_coach.form(f"{url}/remove")
        assert again.headers["location"] == url  # nothing left to remove: nothing audited
    session.expire_all()
    assert (
        session.exec(
            select(TrainingRecord).where(TrainingRecord.officer_id == trained.a3.id)
        ).first()
        is None
    )
    events = _events(session, trained.a3)
    assert [(e.action, e.detail) for e in events] == [
        ("coaching.training_recorded", {"completed_on": "2026-11-20"}),
        ("coaching.training_corrected", {"was": "2026-11-20", "completed_on": "2026-11-09"}),
        ("coaching.training_removed", {"was": "2026-11-09"}),
    ]
    assert {(e.actor_id, e.actor_name) for e in events} == {
        (trained.coach.id, trained.coach.username)
    }


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date the officer completed the training"),
        ("31", "2", "2026", "The date must be a real date, for example 27 3 2026"),
        ("x", "1", "2026", "The date must be a real date, for example 27 3 2026"),
        ("1", "1", "26", "The date must be a real date, for example 27 3 2026"),
        ("\u0661", "1", "2026", "The date must be a real date, for example 27 3 2026"),
        ("21", "11", "2026", "The date cannot be in the future"),
        ("1", "1", "1999", "The date must be in the year 2000 or later"),
    ],
)
def test_a_bad_date_is_explained_and_loses_nothing(
    as_coach: Browserless,
    session: Session,
    trained: Trained,
    day: str,
    month: str,
    year: str,
    message: str,
) -> None:
    with time_machine.travel(TODAY, tick=False):
        page = as_coach.form(
            f"/coaching/training/{trained.a1.id}", {"day": day, "month": month, "year": year}
        )
    assert page.status_code == 422
    check_page(page.text)
    assert message in page.text
    assert 'href="#completed-day"' in page.text and 'id="completed-day"' in page.text
    assert f'name="year" type="text" value="{year}"' in page.text or year == ""
    session.expire_all()
    kept = session.exec(
        select(TrainingRecord).where(TrainingRecord.officer_id == trained.a1.id)
    ).one()
    assert kept.completed_on == date(2026, 3, 1)
    assert _events(session, trained.a1) == []


@pytest.mark.parametrize("roles", [["officer"], ["supervisor"], ["admin"]])
def test_officers_supervisors_and_admins_are_refused(
    client: Browserless, session: Session, trained: Trained, roles: list[str]
) -> None:
    user = make_user(session, roles=roles, team=trained.a, supervises=[trained.a])
    client.log_in(user.username, PASSWORD)
    for url in ("/coaching/training", f"/coaching/training/{trained.a3.id}"):
        assert client.get(url).status_code == 403, url
    asked = {"day": "1", "month": "1", "year": "2026"}
    assert client.form(f"/coaching/training/{trained.a3.id}", asked).status_code == 403
    assert client.form(f"/coaching/training/{trained.a1.id}/remove").status_code == 403
    assert client.get("/coaching/export/training.csv").status_code == 403
    session.expire_all()
    assert (
        session.exec(
            select(TrainingRecord).where(TrainingRecord.officer_id == trained.a3.id)
        ).first()
        is None
    )
