"""Each dashboard figure on the hand-counted world (tests/coaching/data.py), by period and
scope, and the completion count against a hand count of the questions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from app.checklist.promptset import load_version
from app.coaching import answers, figures, records
from app.coaching.models import ScopeKind
from app.coaching.scope import Period, Scope
from tests.checklist.builders import complete_answers
from tests.coaching.data import NOW, PERIOD, World, no_child

pytestmark = pytest.mark.db


def compute(session: Session, scope: Scope, period: Period = PERIOD) -> dict[str, figures.Figure]:
    return figures.compute(records.load(session=session, scope=scope, period=period), NOW)


def test_completion_counts_every_applicable_question_optional_ones_included() -> None:
    ps = load_version(1)
    assert answers.completion(ps, no_child("crime", "L")) == answers.Completion(8, 7)
    # A hidden answer is not counted: the child's words after "spoken to: no".
    full = complete_answers(children=[{"child.spoken_to": False, "voice.words": '"hi"'}])
    done = answers.completion(ps, full)
    assert done.answered < done.applicable


def test_the_figures_for_every_coached_team(session: Session, world: World) -> None:
    f = compute(session, world.force())
    assert (f["incidents"].count, f["incidents"].incidents) == (
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
    assert f["no_child"].met == world.ids("I3", "I6")
    assert (f["referrals"].count, f["referrals"].total) == (3, 6)
    assert (f["voice_words"].count, f["voice_words"].total) == (1, 2)
    assert f["voice_words"].short == world.ids("I2")
    assert (f["spoken_alone"].count, f["spoken_alone"].total) == (1, 2)
    assert (f["seen"].count, f["seen"].total, f["seen"].short) == (2, 3, world.ids("I5"))
    assert (f["to_submission"].hours, f["to_submission"].count) == (2.0, 3)
    assert f["after_shift"].met == world.ids("I2")
    assert (f["to_review"].hours, f["to_review"].count) == (1.0, 3)
    assert (f["overdue"].count, f["overdue"].total) == (2, 4)
    assert f["overdue"].met == world.ids("I2", "I5")
    assert (f["returned"].count, f["returned"].total, f["returned"].met) == (1, 3, world.ids("I2"))
    assert (f["officer_below"].count, f["officer_below"].met) == (1, world.ids("I2"))
    assert (f["supervisor_changed"].count, f["supervisor_changed"].met) == (1, world.ids("I2"))


def test_completion_adds_up_each_incidents_questions(session: Session, world: World) -> None:
    ps = load_version(1)
    parts = [
        answers.completion(ps, world.incidents[n].answers)
        for n in ["I1", "I2", "I3", "I4", "I5", "I6"]
    ]
    f = compute(session, world.force())["completion"]
    assert (f.count, f.total) == (sum(p.answered for p in parts), sum(p.applicable for p in parts))
    assert parts[2] == answers.Completion(8, 7)  # I3, counted by hand
    assert world.ids("I3") <= f.short


def test_demeanour_counts_only_children_it_applies_to(session: Session, world: World) -> None:
    """Asked only when the child was seen: I5's child was not, so is not counted."""
    f = compute(session, world.force())["demeanour"]
    assert (f.count, f.total, f.short) == (2, 2, set())


def test_team_and_officer_scopes(session: Session, world: World) -> None:
    team_a = compute(session, Scope(ScopeKind.TEAM, frozenset({world.a.id})))
    assert team_a["incidents"].count == 4
    assert team_a["referrals"].count == 2
    officer_b = compute(
        session, Scope(ScopeKind.OFFICER, world.force().team_ids, world.officer_b.id)
    )
    assert officer_b["incidents"].incidents == world.ids("I5", "I6")
    assert (officer_b["overdue"].count, officer_b["overdue"].total) == (1, 1)


def test_period_filters_by_when_the_incident_was_started(session: Session, world: World) -> None:
    first_week = Period("custom", date(2026, 11, 1), date(2026, 11, 7))
    assert compute(session, world.force(), first_week)["incidents"].incidents == world.ids(
        "I1", "I2", "I3"
    )
    october = Period("custom", date(2026, 10, 1), date(2026, 10, 31))
    assert compute(session, world.force(), october)["incidents"].incidents == world.ids("I8")


def test_the_dashboard_reads_each_incidents_answers_once(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures, team and week tables count the same incidents: the answer engine's pruning
    (the costly part, bench/bench_scale.py) runs once an incident, not once a table."""
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
    assert len(pruned) == 6
    assert board.figures == compute(session, world.force())
