"""Suggested risk grade for a Think Child referral.

Implements "Risk rules (product rule)" from the domain brief:

    Suggested grade = the highest of: high if any high trigger (disclosure, non-mobile baby with
    injury, abuser hurt children, afraid to go home, police protection used, 2+ exploitation
    indicators, custody self-harm risk, fgm/forced marriage/hba, DASH 14+); medium if any other
    risk-marked answer, or 2+ toxic-trio factors, or 3+ previous incidents; else standard.
    The grade's reasons are listed with it.

Each rule is one small function in ``RULES``. A rule returns ``Reason`` values carrying a stable
reason code only: the words shown to people live in the prompt-set YAML, not here.

The engine is total: it runs on drafts, so any key may be missing and any value may be of the
wrong type. A value of the wrong type is ignored (never coerced, never raised on).

This module runs the rules (``assess``). Grades, reasons and reason codes are in
``app.checklist.risk.grades``, the rules in ``app.checklist.risk.rules_v1`` and reading the answers
in ``app.checklist.risk.facts``; their public names can be imported from here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.checklist.risk.facts import reference_date
from app.checklist.risk.grades import (
    REASON_CODES,
    REASON_GRADES,
    Assessment,
    Grade,
    Reason,
    is_lower,
    max_grade,
)
from app.checklist.risk.rules_v1 import RULES

# The rules each prompt-set version is graded by (a version not listed: v1's).
_RULES_BY_VERSION = {1: RULES}

__all__ = [
    "REASON_CODES",
    "REASON_GRADES",
    "Assessment",
    "Grade",
    "Reason",
    "assess",
    "is_lower",
    "max_grade",
]


def assess(answers: Mapping[str, Any], *, on: date | None = None, version: int = 1) -> Assessment:
    """The suggested grade for ``answers`` (already pruned of hidden answers) with its reasons,
    by the rules of prompt-set ``version`` (v1's rules for every version until v2's land).

    Ages are measured on the incident date (``incident.datetime``), else ``on``, else today UTC.
    The grade is the highest of the reasons' grades, else standard. Reasons are ordered high
    first, then by rule order (then child order), with duplicates removed.
    """
    if not isinstance(answers, Mapping):
        answers = {}
    when = reference_date(answers, on)
    found: list[Reason] = []
    for rule in _RULES_BY_VERSION.get(version, RULES):
        found.extend(rule(answers, when))
    unique = list(dict.fromkeys(found))
    unique.sort(key=lambda r: -r.grade.rank)  # stable: keeps rule order within a grade
    return Assessment(grade=max_grade(*(r.grade for r in unique)), reasons=tuple(unique))
