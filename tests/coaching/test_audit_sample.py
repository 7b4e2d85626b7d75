"""Audit of a sample: seeded and reproducible, scored against the rubric, rolled up into the
dashboard, and feedback that only its officer sees and acknowledges."""

from __future__ import annotations

import pytest
import time_machine
from sqlmodel import Session, select

from app.coaching import rubric, sampling
from app.coaching.models import AuditCase, AuditSample, Feedback, Score
from app.referrals.models import Referral
from app.review.quality import CRITERIA
from tests.coaching.data import NOW, PERIOD, QUERY, World
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def test_the_same_seed_draws_the_same_referrals(session: Session, world: World) -> None:
    pool = sampling.candidates(session=session, scope=world.force(), period=PERIOD)
    assert {r.id for r in pool} == {world.referrals[n].id for n in ("I1", "I2", "I5")}
    assert sampling.draw(pool, 7, 2) == sampling.draw(pool, 7, 2)
    assert (
        len({tuple(r.id for r in sampling.draw(pool, s, 2)) for s in range(20)}) > 1
    )  # seeds differ


def draw(coach: Browserless, size: str = "2") -> str:
    with time_machine.travel(NOW, tick=False):
        response = coach.form(f"/coaching/samples?{QUERY}", {"size": size})
    assert response.status_code == 303, response.text[:500]
    return str(response.headers["location"])


def test_a_drawn_sample_stores_its_seed_and_redraws_the_same(
    coach: Browserless, session: Session, world: World
) -> None:
    page = coach.get(draw(coach))
    check_page(page.text)
    sample = session.exec(select(AuditSample)).one()
    cases = session.exec(select(AuditCase).where(AuditCase.sample_id == sample.id)).all()
    stored = [c.referral_id for c in sorted(cases, key=lambda c: c.position)]
    pool = sampling.candidates(session=session, scope=world.force(), period=PERIOD)
    assert [r.id for r in sampling.draw(pool, sample.seed, 2)] == stored
    assert f"Seed {sample.seed}" in page.text


def test_a_sample_size_that_is_not_a_number_is_explained(coach: Browserless, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        page = coach.form(f"/coaching/samples?{QUERY}", {"size": "lots"})
    assert page.status_code == 422
    assert "a whole number from 1 to 50" in page.text


def scores(**chosen: str) -> dict[str, str]:
    form = {c: "na" for c in rubric.load().ids()}
    return form | chosen


def test_scoring_needs_every_criterion_and_rolls_up(
    coach: Browserless, session: Session, world: World
) -> None:
    draw(coach, "3")
    case = session.exec(
        select(AuditCase).join(Referral).where(Referral.id == world.referrals["I1"].id)
    ).one()
    partial = coach.form(f"/coaching/samples/cases/{case.id}", {"child_seen": "yes"})
    assert partial.status_code == 422
    assert "Score “Child identified with full details”" in partial.text
    assert 'value="yes" checked' in partial.text  # what was chosen is kept
    saved = coach.form(
        f"/coaching/samples/cases/{case.id}",
        scores(child_identified="yes", child_seen="yes", words_verbatim="no")
        | {"words_verbatim-comment": "Words paraphrased"},
    )
    assert saved.status_code == 303
    session.refresh(case)
    assert case.scored_at is not None
    rows = sampling.score_rows(session=session, scope=world.force(), period=PERIOD)
    result = rubric.roll_up(rows)
    assert (result.overall.met, result.overall.scored) == (2, 3)
    assert result.by_criterion["words_verbatim"].percent == 0.0
    assert (result.by_team[world.a.id].met, result.by_team[world.a.id].scored) == (2, 3)
    with time_machine.travel(NOW, tick=False):
        html = coach.get(f"/coaching?{QUERY}").text
    criteria = html[html.index('id="audit_criteria"') :]
    assert "The child&#39;s words recorded exactly, in quotes" in criteria
    teams = html[html.index('id="audit_teams"') :]
    assert f"{world.a.name}</th>" in teams and "66.7" in teams[: teams.index("</table>")]


def test_roll_up_counts_yes_out_of_yes_and_no() -> None:
    rows = [
        rubric.ScoreRow(None, "child_seen", Score.YES),
        rubric.ScoreRow(None, "child_seen", Score.NO),
        rubric.ScoreRow(None, "child_seen", Score.NOT_APPLICABLE),
    ]
    assert rubric.roll_up(rows).by_criterion["child_seen"].percent == 50.0


def test_each_rubric_quality_check_is_a_supervisors_criterion() -> None:
    mapping = rubric.load().by_quality_check()
    assert mapping["child_seen"] == "child_seen"
    assert mapping["demeanour_recorded"] == "demeanour"
    assert set(mapping) <= set(CRITERIA)


def test_feedback_reaches_only_its_officer_who_acknowledges_it(
    coach: Browserless, client: Browserless, session: Session, world: World
) -> None:
    draw(coach, "3")
    case = session.exec(
        select(AuditCase).join(Referral).where(Referral.id == world.referrals["I2"].id)
    ).one()
    empty = coach.form(f"/coaching/samples/cases/{case.id}/feedback", {"text": "  "})
    assert empty.status_code == 422
    sent = coach.form(
        f"/coaching/samples/cases/{case.id}/feedback", {"text": "Record the child's own words."}
    )
    assert sent.status_code == 303
    item = session.exec(select(Feedback)).one()
    assert item.officer_id == world.officer_a.id
    # Another officer sees nothing and cannot acknowledge it.
    other = make_user(session, roles=["officer"], team=world.a)
    client.cookies.clear()
    client.log_in(other.username, PASSWORD)
    assert "Record the child" not in client.get("/feedback").text
    assert client.form(f"/feedback/{item.id}/acknowledge").status_code == 404
    # Its officer sees it on their home page and acknowledges it.
    client.cookies.clear()
    world.officer_a.password_hash = other.password_hash
    session.add(world.officer_a)
    session.commit()
    client.log_in(world.officer_a.username, PASSWORD)
    home = client.get("/incidents")
    assert "Your coach has sent you feedback (1 to read)" in home.text
    page = client.get("/feedback")
    check_page(page.text)
    assert "Record the child&#39;s own words." in page.text
    assert client.form(f"/feedback/{item.id}/acknowledge").status_code == 303
    session.refresh(item)
    assert item.acknowledged_at is not None
    assert "Your coach has sent you feedback" not in client.get("/incidents").text
