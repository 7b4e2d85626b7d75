"""Supervisors' quality checks rolled up beside the audit: share of criteria met (yes out of
yes and no; "does not apply" left out), per criterion and per team.

Which checks count: decisions on referrals of the scope's teams (and officer), decided in the
period, and of those only the latest decision on each referral version (a version regraded and
then approved counts once, with the marks the supervisor ended on). Counted in SQL over the
roll-up's row a decision (``decision_tally``: its marks as numbers, and when the next decision
on its version superseded it), from one covering index: one row per team comes back."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from app.coaching import rollup
from app.coaching.rollup_tables import MARK_COLUMNS, decision_tally
from app.coaching.rubric import RollUp
from app.coaching.scope import Period, Scope
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
    rollup.catch_up(session)
    d = decision_tally.c
    query = (
        select(
            d.team_id,
            *(f(d[name]) for name in MARK_COLUMNS for f in (func.sum, func.count)),
        )
        .where(
            d.team_id.in_(scope.team_ids),
            d.at >= period.since,
            d.at < period.until,
            # The version's latest decision within the period: none after it before its end.
            or_(d.superseded_at.is_(None), d.superseded_at >= period.until),
        )
        .group_by(d.team_id)
    )
    if scope.officer_id is not None:
        query = query.where(d.officer_id == scope.officer_id)
    for team_id, *sums in session.execute(query):
        for n, criterion in enumerate(CRITERIA):
            met, checked = int(sums[2 * n] or 0), int(sums[2 * n + 1] or 0)
            for tally in (result.overall, result.by_criterion[criterion], result.by_team[team_id]):
                tally.met += met
                tally.scored += checked
    return result
