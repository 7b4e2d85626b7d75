"""Each dashboard figure on the hand-counted world (tests/coaching/data.py), by period and
scope, and the completion count against a hand count of the questions."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from app.checklist import facts as answers
from app.checklist.promptset import load_version
from app.coaching import figures
from app.coaching.models import ScopeKind
from app.coaching.scope import Period, Scope
from tests.checklist.builders import complete_answers
from tests.coaching.data import NOW, PERIOD, World, no_child

pytestmark = pytest.mark.db


def compute(session: Session, scope: Scope, period: Period = PERIOD) -> dict[str, figures.Figure]:
    return figures.compute(session=session, scope=scope, period=period, now=NOW)


def behind(
    session: Session, scope: Scope, key: str, part: str = "all", period: Period = PERIOD
) -> set[uuid.UUID]:
    """The incidents behind one part of a figure (its drill-down)."""
    query = figures.incidents(
        session=session, scope=scope, period=period, now=NOW, figure=key, part=part
    )
    return set(session.scalars(query))


def test_completion_counts_every_applicable_question_optional_ones_included() -> None:
    ps = load_version(1)
    assert answers.completion(ps, no_child("crime", "L")) == answers.Completion(8, 7)
    # A hidden answer is not counted: the child's words after "spoken to: no".
    full = complete_answers(children=[{"child.spoken_to": False, "voice.words": '"hi"'}])
    done = answers.completion(ps, full)
    assert done.answered < done.applicable


def test_the_figures_for_every_coached_team(session: Session, world: World) -> None:
    force = world.force()
    f = compute(session, force)
    assert (f["incidents"].count, behind(session, force, "incidents")) == (
        6,
        world.ids(*["I1", "I2", "I3", "I4", "I5", "I6"]),
    )
    assert {k: v.count for k, v in f.items() if k.startswith("type.")} == {
        "type.domestic_abuse": 2,
        "type.crime": 2,
        "type.concern_for_welfare": 1,
        "type.missing_found": 1,
    }
    assert (f["child_identified"].count, f["child_identified"].total) == (4, 6)
    assert behind(session, force, "no_child", "met") == world.ids("I3", "I6")
    assert (f["referrals"].count, f["referrals"].total) == (3, 6)
    assert (f["voice_words"].count, f["voice_words"].total) == (1, 2)
    assert behind(session, force, "voice_words", "short") == world.ids("I2")
    assert (f["spoken_alone"].count, f["spoken_alone"].total) == (1, 2)
    assert (f["seen"].count, f["seen"].total) == (2, 3)
    assert behind(session, force, "seen", "short") == world.ids("I5")
    assert (f["to_submission"].hours, f["to_submission"].count) == (2.0, 3)
    assert behind(session, force, "after_shift", "met") == world.ids("I2")
    assert (f["to_review"].hours, f["to_review"].count) == (1.0, 3)
    assert (f["overdue"].count, f["overdue"].total) == (2, 4)
    assert behind(session, force, "overdue", "met") == world.ids("I2", "I5")
    assert (f["returned"].count, f["returned"].total) == (1, 3)
    assert behind(session, force, "returned", "met") == world.ids("I2")
    assert f["officer_below"].count == 1
    assert behind(session, force, "officer_below", "met") == world.ids("I2")
    assert f["supervisor_changed"].count == 1
    assert behind(session, force, "supervisor_changed", "met") == world.ids("I2")


def test_completion_adds_up_each_incidents_questions(session: Session, world: World) -> None:
    ps = load_version(1)
    parts = [
        answers.completion(ps, world.incidents[n].answers)
        for n in ["I1", "I2", "I3", "I4", "I5", "I6"]
    ]
    f = compute(session, world.force())["completion"]
    assert (f.count, f.total) == (sum(p.answered for p in parts), sum(p.applicable for p in parts))
    assert parts[2] == answers.Completion(8, 7)  # I3, counted by hand
    assert world.ids("I3") <= behind(session, world.force(), "completion", "short")


def test_demeanour_counts_only_children_it_applies_to(session: Session, world: World) -> None:
    """Asked only when the child was seen: I5's child was not, so is not counted."""
    f = compute(session, world.force())["demeanour"]
    assert (f.count, f.total, f.short) == (2, 2, 0)
    assert behind(session, world.force(), "demeanour", "short") == set()


def test_team_and_officer_scopes(session: Session, world: World) -> None:
    team_a = compute(session, Scope(ScopeKind.TEAM, frozenset({world.a.id})))
    assert team_a["incidents"].count == 4
    assert team_a["referrals"].count == 2
    only_b = Scope(ScopeKind.OFFICER, world.force().team_ids, world.officer_b.id)
    officer_b = compute(session, only_b)
    assert behind(session, only_b, "incidents") == world.ids("I5", "I6")
    assert (officer_b["overdue"].count, officer_b["overdue"].total) == (1, 1)


def test_period_filters_by_when_the_incident_was_started(session: Session, world: World) -> None:
    first_week = Period("custom", date(2026, 11, 1), date(2026, 11, 7))
    assert behind(session, world.force(), "incidents", period=first_week) == world.ids(
        "I1", "I2", "I3"
    )
    october = Period("custom", date(2026, 10, 1), date(2026, 10, 31))
    assert behind(session, world.force(), "incidents", period=october) == world.ids("I8")


def test_the_dashboard_reads_no_answers_but_the_incidents_it_lists(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures, team and week tables count the incidents' summary rows with SQL: the answer
    engine's pruning (the costly part, bench/bench_scale.py) never runs for the dashboard."""
    from app.checklist import answers as engine
    from app.coaching import dashboard

    pruned: list[object] = []
    real = engine.prune_hidden

    def counting(ps: object, given: object) -> object:
        pruned.append(given)
        return real(ps, given)  # type: ignore[arg-type]

    monkeypatch.setattr(answers.engine, "prune_hidden", counting)
    board = dashboard.build(
        session=session,
        scope=world.force(),
        period=PERIOD,
        teams=[world.a, world.b],
        now=NOW,
    )
    assert board.figures["incidents"].count == 6
    assert pruned == []
    assert board.figures == compute(session, world.force())


def test_officer_below_reads_each_referrals_own_latest_version(
    session: Session, world: World
) -> None:
    """A one-version referral graded below its suggestion counts, beside I2's two versions."""
    from app.referrals.models import ReferralStatus
    from tests.coaching.data import _incident, _referral, at

    extra = _incident(
        session, world.officer_a, world.a,
        complete_answers(incident__datetime="2026-11-03T08:00:00+00:00"),
        "draft", at(3, 9),
    )  # fmt: skip
    _referral(session, extra, [(at(3, 10), "high", "standard")], ReferralStatus.SUBMITTED)
    session.commit()
    f = compute(session, world.force())
    assert (f["officer_below"].count, f["officer_below"].total) == (2, 4)
    assert behind(session, world.force(), "officer_below", "met") == world.ids("I2") | {extra.id}


def test_each_team_and_week_adds_up_as_its_own_view(session: Session, world: World) -> None:
    """The team and week tables come from the view's one grouped count: each team's and each
    week's figures are those of the team's (or the week's) own view."""
    from app.coaching import dashboard

    weeks = dashboard.weeks_of(PERIOD)
    counted = figures.tally(
        session=session,
        scope=world.force(),
        period=PERIOD,
        now=NOW,
        week_ends=dashboard.week_ends(weeks),
    )
    keys = ("incidents", "referrals", "completion", "voice_words")

    def seen(found: dict[str, figures.Figure]) -> list[tuple[int, int | None, int]]:
        return [(found[k].count, found[k].total, found[k].short) for k in keys]

    for team in (world.a, world.b):
        own = compute(session, Scope(ScopeKind.TEAM, frozenset({team.id})))
        assert seen(counted.by_team[team.id]) == seen(own)
    by_week = [counted.by_week.get(n, figures.empty()) for n in range(len(weeks))]
    assert [w["incidents"].count for w in by_week] == [0, 3, 2, 1]
    for n, week in enumerate(weeks[1:], start=1):
        own = compute(session, world.force(), Period("custom", week, week + timedelta(days=6)))
        assert seen(counted.by_week[n]) == seen(own)


def test_the_dashboards_counts_run_without_jit_compiling(session: Session, world: World) -> None:
    """PostgreSQL's JIT compiling of the big count cost more than the count (bench/README.md)."""
    from sqlalchemy import text

    from app.coaching import sql

    compute(session, world.force())
    if session.get_bind().dialect.name == "postgresql":
        assert session.execute(text("SHOW jit")).scalar() == "off"
    else:
        assert session.get_bind().dialect.name not in sql.NO_JIT
