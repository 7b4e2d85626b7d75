"""Supervisors' quality checks rolled up beside the audit, on the hand-counted world plus the
marks below: per criterion and per team, within the scope and period, counting only the latest
decision on each referral version, and shown as a table, a CSV and a chart.

Counted (force, 1 to 20 November): I1 v1 approved (A), I2 v1 returned (A), I2 v2 approved (A),
I5 v1 approved on 11 November (B). Not counted: I2 v2 regraded (an approved decision came later
on the same version), I5 decided on 21 November (after the period), I7 (team C, not coached).

  criterion           I1   I2v1 I2v2 I5   met/checked
  child_seen          yes  yes  -    no   2/3
  spoken_alone        yes  no   yes  -    2/3   (the superseded regrade said no: 2/4 if counted)
  words_recorded      yes  no   no   -    1/3
  demeanour_recorded  yes  -    -    -    1/1
  immediate_safety    yes  -    -    -    1/1
  s46_considered      yes  -    -    -    1/1
  crime_recorded      -    -    -    -    0/0
  da_risk_tool        no   -    -    -    0/1
  encompass           yes  -    -    -    1/1
Team A: 7/8 + 1/3 + 1/2 = 9/13 (69.2%). Team B: 0/1 (0%). ("-" is not_applicable.)
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.coaching import quality
from app.coaching.models import AuditCase, AuditSample, AuditScore, ScopeKind, Score
from app.coaching.scope import Period, Scope
from app.referrals.models import DecisionKind, Referral, ReviewDecision
from app.review.quality import CRITERIA
from tests.coaching.data import NOW, PERIOD, QUERY, World, at
from tests.factories import make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def marks(**given: str) -> dict[str, str]:
    return {c: "not_applicable" for c in CRITERIA} | given


ALL_YES = marks(**{c: "yes" for c in CRITERIA}) | {
    "crime_recorded": "not_applicable",
    "da_risk_tool": "no",
}


def _set(session: Session, referral: Referral, version: int, kind: str, **m: str) -> None:
    query = select(ReviewDecision).where(
        ReviewDecision.referral_id == referral.id,
        ReviewDecision.version == version,
        ReviewDecision.kind == kind,
    )
    for d in session.exec(query):
        d.quality = marks(**m) if m else ALL_YES
        session.add(d)


@pytest.fixture
def checked(session: Session, world: World) -> World:
    r = world.referrals
    _set(session, r["I1"], 1, DecisionKind.APPROVED)
    _set(session, r["I2"], 1, DecisionKind.RETURNED, child_seen="yes", spoken_alone="no",
         words_recorded="no")  # fmt: skip
    _set(session, r["I2"], 2, DecisionKind.REGRADED, spoken_alone="no")
    _set(session, r["I2"], 2, DecisionKind.APPROVED, spoken_alone="yes", words_recorded="no")
    sup = make_user(session, roles=["supervisor"], supervises=[world.b, world.c])
    for referral, when, m in (
        (r["I5"], at(11, 9), marks(child_seen="no")),
        (r["I5"], at(21, 9), marks(child_seen="yes")),  # after the period
        (r["I7"], at(4, 9), marks(child_seen="no")),  # team C: not coached
    ):
        session.add(
            ReviewDecision(
                referral_id=referral.id,
                version=1,
                kind=DecisionKind.APPROVED,
                actor_id=sup.id,
                quality=m,
                at=when,
            )
        )
    session.commit()
    return world


def test_checks_roll_up_per_criterion_and_per_team(session: Session, checked: World) -> None:
    result = quality.roll_up(session=session, scope=checked.force(), period=PERIOD)
    assert {c: (t.met, t.scored) for c, t in result.by_criterion.items()} == {
        "child_seen": (2, 3),
        "spoken_alone": (2, 3),
        "words_recorded": (1, 3),
        "demeanour_recorded": (1, 1),
        "immediate_safety": (1, 1),
        "s46_considered": (1, 1),
        "crime_recorded": (0, 0),
        "da_risk_tool": (0, 1),
        "encompass": (1, 1),
    }
    assert (result.by_team[checked.a.id].met, result.by_team[checked.a.id].scored) == (9, 13)
    assert result.by_team[checked.a.id].percent == 69.2
    assert (result.by_team[checked.b.id].met, result.by_team[checked.b.id].scored) == (0, 1)
    assert (result.overall.met, result.overall.scored) == (9, 14)
    assert checked.c.id not in result.by_team


def test_checks_follow_the_scope_and_period(session: Session, checked: World) -> None:
    officer_b = Scope(
        ScopeKind.OFFICER, frozenset({checked.a.id, checked.b.id}), checked.officer_b.id
    )
    mine = quality.roll_up(session=session, scope=officer_b, period=PERIOD)
    assert (mine.overall.met, mine.overall.scored) == (0, 1)
    early = Period("custom", date(2026, 11, 1), date(2026, 11, 5))  # I1 v1 and I2 v1 only
    found = quality.roll_up(session=session, scope=checked.force(), period=early)
    assert (found.overall.met, found.overall.scored) == (8, 11)
    team_b = Scope(ScopeKind.TEAM, frozenset({checked.b.id}))
    late = Period("custom", date(2026, 11, 21), date(2026, 11, 21))
    after = quality.roll_up(session=session, scope=team_b, period=late)
    assert (after.overall.met, after.overall.scored) == (1, 1)


def _audit(session: Session, world: World) -> None:
    """An audit of I1: child seen yes, demeanour no."""
    coach = make_user(session, roles=["coach"])
    sample = AuditSample(
        coach_id=coach.id, scope_kind=ScopeKind.FORCE, period_from=PERIOD.start,
        period_to=PERIOD.end, seed=1, size=1,
    )  # fmt: skip
    session.add(sample)
    session.flush()
    case = AuditCase(
        sample_id=sample.id, referral_id=world.referrals["I1"].id, position=0, version=1
    )
    session.add(case)
    session.flush()
    session.add(AuditScore(case_id=case.id, criterion="child_seen", score=Score.YES))
    session.add(AuditScore(case_id=case.id, criterion="demeanour", score=Score.NO))
    session.commit()


def test_the_dashboard_shows_checks_beside_the_audit(
    coach: Browserless, session: Session, checked: World
) -> None:
    _audit(session, checked)
    with time_machine.travel(NOW, tick=False):
        page = coach.get(f"/coaching?{QUERY}")
        exported = coach.get(f"/coaching/export/quality_criteria.csv?{QUERY}")
        by_team = coach.get(f"/coaching/export/quality_teams.csv?{QUERY}")
        teams = coach.get(f"/coaching/export/teams.csv?{QUERY}")
    assert page.status_code == 200
    check_page(page.text)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Criterion",
        "Met",
        "Checked (yes or no)",
        "Per cent",
        "Audit of the same (%)",
    ]
    assert rows[1:] == [
        ["Every child seen", "2", "3", "66.7", "100"],
        ["Spoken to alone, or why not", "2", "3", "66.7", ""],
        ["The child's words recorded", "1", "3", "33.3", ""],
        ["How the child seemed recorded", "1", "1", "100", "0"],
        ["Immediate safety", "1", "1", "100", ""],
        ["Police protection considered", "1", "1", "100", ""],
        ["Crime recorded after a disclosure", "0", "0", "", ""],
        ["Domestic abuse risk tool used", "0", "1", "0", ""],
        ["Operation Encompass", "1", "1", "100", ""],
    ]
    html = page.text
    table = html[html.index('id="quality_criteria"') :]
    assert "Every child seen" in table and "66.7" in table[: table.index("</table>")]
    assert sorted(list(csv.reader(io.StringIO(by_team.content.decode("utf-8-sig"))))[1:]) == sorted(
        [[checked.a.name, "9", "13", "69.2"], [checked.b.name, "0", "1", "0"]]
    )
    team_rows = list(csv.reader(io.StringIO(teams.content.decode("utf-8-sig"))))
    assert team_rows[0][-1] == "Quality checks met (%)"
    assert {row[0]: row[-1] for row in team_rows[1:]} == {
        checked.a.name: "69.2",
        checked.b.name: "0",
    }
    assert "Supervisors&#39; quality checks met in each team (%)</title>" in html
    assert f"{checked.a.name}: 69.2%" in html


def _ranked_in_sql(session: Session, scope: Scope, period: Period) -> tuple[int, int]:
    """The roll-up worked out straight from the decisions, as before there was a roll-up:
    rank each version's decisions within the period, keep the latest, read its marks."""
    latest = (
        sa_select(
            col(ReviewDecision.quality).label("quality"),
            func.row_number()
            .over(
                partition_by=(col(ReviewDecision.referral_id), col(ReviewDecision.version)),
                order_by=(col(ReviewDecision.at).desc(), col(ReviewDecision.id).desc()),
            )
            .label("n"),
        )
        .join(Referral, col(Referral.id) == col(ReviewDecision.referral_id))
        .where(
            col(ReviewDecision.at) >= period.since,
            col(ReviewDecision.at) < period.until,
            col(Referral.team_id).in_(scope.team_ids),
        )
        .subquery()
    )
    met = scored = 0
    for (found,) in session.execute(sa_select(latest.c.quality).where(latest.c.n == 1)):
        marked = [found.get(c) for c in CRITERIA] if isinstance(found, dict) else []
        met += marked.count("yes")
        scored += marked.count("yes") + marked.count("no")
    return met, scored


def test_the_roll_up_agrees_with_ranking_the_decisions_for_every_window(
    session: Session, checked: World
) -> None:
    """Every window of 1, 3 and 10 days in November, whichever decisions it cuts between."""
    scope = checked.force()
    seen = set()
    for length in (1, 3, 10):
        for first in range(1, 26):
            period = Period(
                "custom", date(2026, 11, first), date(2026, 11, first) + timedelta(days=length - 1)
            )
            result = quality.roll_up(session=session, scope=scope, period=period)
            found = (result.overall.met, result.overall.scored)
            assert found == _ranked_in_sql(session, scope, period), period
            seen.add(found)
    assert len(seen) > 3  # the windows cut the decisions in several ways
