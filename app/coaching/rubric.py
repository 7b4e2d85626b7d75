"""The coaches' audit rubric (``rubric.yaml``) and the roll-up of scores: share of criteria met,
per criterion and per team. Supervisors' quality checks roll up the same way (``quality``); a
criterion's ``quality_check`` names the check (app/review/quality.py) that asks the same, so the
dashboard shows the two side by side."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from app.coaching.models import Score
from app.review.quality import CRITERIA

RUBRIC_PATH = Path(__file__).with_name("rubric.yaml")


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    hint: str = ""
    quality_check: str | None = None


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scores: dict[Score, str]
    criteria: list[Criterion] = Field(min_length=1)

    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def by_quality_check(self) -> dict[str, str]:
        """The supervisor's quality check id -> the rubric criterion asking the same."""
        return {c.quality_check: c.id for c in self.criteria if c.quality_check}


@functools.cache
def load() -> Rubric:
    with RUBRIC_PATH.open(encoding="utf-8") as f:
        rubric = Rubric.model_validate(yaml.safe_load(f))
    if len(set(rubric.ids())) != len(rubric.criteria):
        raise ValueError(f"{RUBRIC_PATH}: criterion ids must be unique")
    unknown = set(rubric.by_quality_check()) - set(CRITERIA)
    if unknown:
        raise ValueError(f"{RUBRIC_PATH}: no such quality check: {sorted(unknown)}")
    return rubric


@dataclass(frozen=True)
class ScoreRow:
    """One scored criterion: which team's referral, which criterion, and the score."""

    team_id: uuid.UUID | None
    criterion: str
    score: Score


@dataclass
class Tally:
    met: int = 0
    scored: int = 0  # yes or no; "not applicable" is left out

    def add(self, score: Score) -> None:
        if score is Score.NOT_APPLICABLE:
            return
        self.scored += 1
        self.met += score is Score.YES

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.scored, 1) if self.scored else None


@dataclass
class RollUp:
    overall: Tally = field(default_factory=Tally)
    by_criterion: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_team: dict[uuid.UUID | None, Tally] = field(default_factory=lambda: defaultdict(Tally))


def roll_up(rows: Iterable[ScoreRow]) -> RollUp:
    """Share of criteria met (yes out of yes and no), overall, per criterion and per team."""
    result = RollUp()
    for row in rows:
        result.overall.add(row.score)
        result.by_criterion[row.criterion].add(row.score)
        result.by_team[row.team_id].add(row.score)
    return result
