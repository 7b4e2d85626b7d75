"""Supervisors' quality checks rolled up beside the audit: share of criteria met (yes out of
yes and no; "does not apply" left out), per criterion and per team.

Which checks count: decisions on referrals of the scope's teams (and officer), decided in the
period, and of those only the latest decision on each referral version (a version regraded and
then approved counts once, with the marks the supervisor ended on). Counted in SQL: one query,
one row per team, whatever the number of decisions."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.coaching.rubric import RollUp
from app.coaching.scope import Period, Scope
from app.referrals.models import Referral, ReviewDecision
from app.review.quality import CRITERIA
from app.templating import templates

WORDS_TEMPLATE = "review/_quality.html"  # the one place the criteria are worded


@functools.cache
def words() -> dict[str, str]:
    """Each criterion's title, read from the supervisor's quality check template."""
    module: Any = templates.env.get_template(WORDS_TEMPLATE).module
    return {c: str(module.quality_words[c][0]) for c in CRITERIA}


def roll_up(*, session: Session, scope: Scope, period: Period) -> RollUp:
    result = RollUp()
    if not scope.team_ids:
        return result
    # Only the scope's referrals' decisions are ranked (a referral's versions all belong to it).
    ranked = (
        sa_select(
            col(Referral.team_id).label("team_id"),
            col(ReviewDecision.quality).label("quality"),
            func.row_number()
            .over(
                partition_by=(col(ReviewDecision.referral_id), col(ReviewDecision.version)),
                order_by=(col(ReviewDecision.at).desc(), col(ReviewDecision.id).desc()),
            )
            .label("latest"),
        )
        .join(Referral, col(Referral.id) == col(ReviewDecision.referral_id))
        .where(
            col(ReviewDecision.at) >= period.since,
            col(ReviewDecision.at) < period.until,
            col(Referral.team_id).in_(scope.team_ids),
            # A referral is decided after it was made: lets the planner start from the scope's
            # referrals (an index range) when that is narrower than every team's decisions.
            col(Referral.created_at) < period.until,
        )
    )
    if scope.officer_id is not None:
        ranked = ranked.where(col(Referral.officer_id) == scope.officer_id)
    decisions = ranked.subquery()
    # Each latest check's marks read out of its JSON once (a materialised CTE), then counted.
    marks = (
        sa_select(
            decisions.c.team_id,
            *(decisions.c.quality[c].as_string().label(f"m{n}") for n, c in enumerate(CRITERIA)),
        )
        .where(decisions.c.latest == 1)
        .cte("marks")
        .prefix_with("MATERIALIZED")
    )
    counts = []
    for n in range(len(CRITERIA)):
        mark = marks.c[f"m{n}"]
        counts.append(func.sum(case((mark == "yes", 1), else_=0)))
        counts.append(func.sum(case((mark.in_(("yes", "no")), 1), else_=0)))
    query = sa_select(marks.c.team_id, *counts).group_by(marks.c.team_id)
    for team_id, *sums in session.execute(query):
        for n, criterion in enumerate(CRITERIA):
            met, checked = int(sums[2 * n] or 0), int(sums[2 * n + 1] or 0)
            for tally in (result.overall, result.by_criterion[criterion], result.by_team[team_id]):
                tally.met += met
                tally.scored += checked
    return result
