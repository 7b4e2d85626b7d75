"""Suggested risk grade for a Think Child referral.

Implements "Risk rules (product rule)" from the domain brief:

    Suggested grade = the highest of: high if any high trigger (disclosure, non-mobile baby with
    injury, abuser hurt children, afraid to go home, police protection used, 2+ exploitation
    indicators, custody self-harm risk, fgm/forced marriage/hba, DASH 14+); medium if any other
    risk-marked answer, or 2+ toxic-trio factors, or 3+ previous incidents; else standard.
    The grade's reasons are listed with it.

Risk rules are versioned with the prompt set: an incident is graded by the rules of its prompt
set version for life (v1: ``rules_v1``, the brief above; v2: ``rules_v2``, "Risk rules v2" of
think-child-v2.md). Each rule is one small function in its version's ``RULES``. A rule returns
``Reason`` values carrying a stable reason code only: the words shown to people live with the
rules' version (``reason_words(version)``), not here.

The engine is total: it runs on drafts, so any key may be missing and any value may be of the
wrong type. A value of the wrong type is ignored (never coerced, never raised on).

This module runs the rules (``assess``). Grades, reasons and v1's reason codes are in
``app.checklist.risk.grades``, the rules in ``app.checklist.risk.rules_v1`` and ``rules_v2`` (with
v2's codes), reading the answers in ``app.checklist.risk.facts`` and the words in
``app.checklist.risk.words``; their public names can be imported from here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from app.checklist.risk import rules_v1, rules_v2
from app.checklist.risk.facts import reference_date
from app.checklist.risk.grades import (
    REASON_CODES,
    REASON_GRADES,
    Assessment,
    Grade,
    Reason,
    Rule,
    is_lower,
    max_grade,
)
from app.checklist.risk.words import reason_codes, reason_words

RULES_BY_VERSION: Final[Mapping[int, tuple[Rule, ...]]] = MappingProxyType(
    {1: rules_v1.RULES, 2: rules_v2.RULES}
)

__all__ = [
    "REASON_CODES",
    "REASON_GRADES",
    "RULES_BY_VERSION",
    "Assessment",
    "Grade",
    "Reason",
    "assess",
    "is_lower",
    "max_grade",
    "reason_codes",
    "reason_words",
]


def assess(answers: Mapping[str, Any], *, on: date | None = None, version: int = 1) -> Assessment:
    """The suggested grade for ``answers`` (already pruned of hidden answers) with its reasons,
    by the risk rules of prompt set ``version`` (the incident's version: an incident started
    under v1 is graded by v1's rules to the end). ValueError for a version without rules.

    Ages are measured on the incident date (``incident.datetime``), else ``on``, else today UTC.
    The grade is the highest of the reasons' grades, else standard. Reasons are ordered high
    first, then by rule order (then child order), with duplicates removed.
    """
    rules = RULES_BY_VERSION.get(version)
    if rules is None:
        raise ValueError(f"no risk rules for prompt set version {version!r}")
    if not isinstance(answers, Mapping):
        answers = {}
    when = reference_date(answers, on)
    found: list[Reason] = []
    for rule in rules:
        found.extend(rule(answers, when))
    unique = list(dict.fromkeys(found))
    unique.sort(key=lambda r: -r.grade.rank)  # stable: keeps rule order within a grade
    return Assessment(grade=max_grade(*(r.grade for r in unique)), reasons=tuple(unique))
