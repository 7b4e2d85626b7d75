"""The dashboard's figures, computed from the records of one scope and period. Each figure
keeps the incidents behind it (``incidents``) and, for a share, the incidents that fall short
(``short``), so that every number drills down to a list."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.checklist.models import IncidentStatus
from app.coaching import answers as read
from app.coaching.records import Record
from app.referrals.models import DecisionKind

DUE_AFTER = {"high": timedelta(hours=1), "medium": timedelta(hours=8)}
DUE_DEFAULT = timedelta(hours=24)  # standard
SHIFT = timedelta(hours=10)
RANK = {"standard": 0, "medium": 1, "high": 2}
REVIEW_ENDS = frozenset({DecisionKind.APPROVED, DecisionKind.RETURNED})


@dataclass
class Figure:
    key: str
    count: int = 0  # the number, or the part of ``total`` that meets the measure
    total: int | None = None  # for a share: out of how many
    hours: float | None = None  # for a time: the median, in hours
    incidents: set[uuid.UUID] = field(default_factory=set)  # every incident behind it
    met: set[uuid.UUID] = field(default_factory=set)  # behind ``count``
    short: set[uuid.UUID] = field(default_factory=set)  # behind ``total - count``

    def drill(self, part: str) -> set[uuid.UUID]:
        """The incidents behind one part of the figure: ``met``, ``short`` or ``all``."""
        return {"met": self.met, "short": self.short}.get(part, self.incidents)

    @property
    def percent(self) -> float | None:
        if self.total is None or self.total == 0:
            return None
        return round(100 * self.count / self.total, 1)


def due_after(grade: str) -> timedelta:
    return DUE_AFTER.get(grade, DUE_DEFAULT)


def _median_hours(spans: list[timedelta]) -> float | None:
    if not spans:
        return None
    return round(statistics.median(s.total_seconds() for s in spans) / 3600, 1)


class _Builder:
    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}

    def get(self, key: str, share: bool = False) -> Figure:
        if key not in self.figures:
            self.figures[key] = Figure(key, total=0 if share else None)
        return self.figures[key]

    def count(self, key: str, incident: uuid.UUID) -> None:
        figure = self.get(key)
        figure.count += 1
        figure.incidents.add(incident)
        figure.met.add(incident)

    def share(self, key: str, incident: uuid.UUID, met: bool, weight: int = 1) -> None:
        figure = self.get(key, share=True)
        figure.total = (figure.total or 0) + weight
        figure.incidents.add(incident)
        if met:
            figure.count += weight
            figure.met.add(incident)
        else:
            figure.short.add(incident)


SHARES = (
    "child_identified", "referrals", "completion", "voice_words", "spoken_alone", "seen",
    "demeanour", "overdue", "returned", "officer_below", "supervisor_changed",
)  # fmt: skip


def compute(records: Iterable[Record], now: datetime) -> dict[str, Figure]:
    b = _Builder()
    for key in ("incidents", "no_child", "to_submission", "after_shift", "to_review"):
        b.get(key)
    for key in SHARES:
        b.get(key, share=True)
    to_submission: list[timedelta] = []
    to_review: list[timedelta] = []
    for record in records:
        incident = record.incident
        iid, answers = incident.id, incident.answers
        b.count("incidents", iid)
        b.count("type." + read.incident_type(answers), iid)
        if incident.status == IncidentStatus.NO_CHILD:
            b.count("no_child", iid)
        b.share("child_identified", iid, read.child_identified(answers))
        b.share("referrals", iid, record.referral is not None)
        facts = record.facts
        if facts is not None:
            done = facts.completion
            b.share("completion", iid, True, done.answered)
            if done.applicable > done.answered:
                b.share("completion", iid, False, done.applicable - done.answered)
            for child in facts.children:
                if child.spoken_to:
                    b.share("voice_words", iid, child.words)
                    b.share("spoken_alone", iid, child.alone)
                if child.seen_applies:
                    b.share("seen", iid, child.seen)
                if child.demeanour_applies:
                    b.share("demeanour", iid, child.demeanour)
        if record.referral is None or not record.versions:
            continue
        happened = read.incident_time(answers)
        first = record.versions[0].submitted_at
        if happened is not None:
            span = first - happened
            to_submission.append(span)
            b.count("to_submission", iid)
            if span > SHIFT:
                b.get("to_submission").short.add(iid)
                b.count("after_shift", iid)
        for version in record.versions:
            ended = next(
                (
                    d.at
                    for d in record.decisions
                    if d.version == version.version and d.kind in REVIEW_ENDS
                ),
                None,
            )
            if ended is not None:
                to_review.append(ended - version.submitted_at)
                b.count("to_review", iid)
            due = version.submitted_at + due_after(version.officer_grade)
            waiting = ended is None and version.version == record.referral.version
            late = (ended is not None and ended > due) or (waiting and now > due)
            if ended is not None or waiting:
                b.share("overdue", iid, late)
        kinds = {d.kind for d in record.decisions}
        b.share("returned", iid, DecisionKind.RETURNED in kinds)
        latest = record.versions[-1]
        below = RANK.get(latest.officer_grade, 0) < RANK.get(latest.suggested_grade, 0)
        b.share("officer_below", iid, below)
        b.share("supervisor_changed", iid, DecisionKind.REGRADED in kinds)
    b.get("to_submission").hours = _median_hours(to_submission)
    b.get("to_review").hours = _median_hours(to_review)
    return b.figures
