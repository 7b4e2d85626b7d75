"""Risk grades and what the risk rules return: ``Grade`` (ordered by severity), ``Reason``,
``Assessment``, and the reason codes with the grade each carries.

The rules are in ``app.checklist.risk.rules_v1``; ``app.checklist.risk.assess`` runs them. The
public names here can be imported from ``app.checklist.risk`` too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final


class Grade(StrEnum):
    """A risk grade. Grades compare by severity: ``Grade.HIGH > Grade.MEDIUM > Grade.STANDARD``.

    Comparison with a plain string works when the string is a grade's value
    (``Grade.HIGH > "medium"``); comparing with anything else raises ``TypeError``.
    """

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for standard, 1 for medium, 2 for high."""
        return _RANKS[self.value]

    def __lt__(self, other: object) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= _rank_of(other)


_RANKS: Final[Mapping[str, int]] = MappingProxyType(
    {Grade.STANDARD.value: 0, Grade.MEDIUM.value: 1, Grade.HIGH.value: 2}
)


def _rank_of(value: object) -> int:
    if isinstance(value, str) and value in _RANKS:
        return _RANKS[value]
    raise TypeError(f"cannot order a Grade against {type(value).__name__} {value!r}")


def max_grade(*grades: Grade) -> Grade:
    """The most severe of ``grades``; ``Grade.STANDARD`` when none are given."""
    return max(grades, key=lambda g: g.rank, default=Grade.STANDARD)


def is_lower(a: Grade, b: Grade) -> bool:
    """True when ``a`` is less severe than ``b`` (e.g. an officer lowering the suggestion)."""
    return a.rank < b.rank


@dataclass(frozen=True)
class Reason:
    """Why a grade was suggested.

    ``child`` names the child the reason is about, and is ``None`` for a reason about the
    household or incident. Under rules v1 it is the child's name (``child.name``, stripped;
    ``None`` when blank); under rules v2 it is the child's label with age, "Amy (4 months)" (see
    ``facts.labelled_children``).
    """

    code: str
    grade: Grade
    child: str | None = None


@dataclass(frozen=True)
class Assessment:
    """The suggested grade and its reasons (high first, then rule order, no duplicates)."""

    grade: Grade
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes in order (a code repeats when it applies to several children)."""
        return tuple(r.code for r in self.reasons)


Rule = Callable[[Mapping[str, Any], date], list[Reason]]

# Reason codes of rules v1 and the grade each carries. The order is the rule order. (Rules v2
# have their own, in ``rules_v2``.)
REASON_GRADES: Final[Mapping[str, Grade]] = MappingProxyType(
    {
        "child_disclosed": Grade.HIGH,
        "baby_injured": Grade.HIGH,
        "abuser_hurt_children": Grade.HIGH,
        "afraid_to_go_home": Grade.HIGH,
        "police_protection": Grade.HIGH,
        "exploitation_indicators": Grade.HIGH,
        "custody_self_harm": Grade.HIGH,
        "fgm_forced_marriage_hba": Grade.HIGH,
        "dash_high": Grade.HIGH,
        "child_not_seen": Grade.MEDIUM,
        "injury_observed": Grade.MEDIUM,
        "medical_needed": Grade.MEDIUM,
        "carer_incapable": Grade.MEDIUM,
        "toxic_trio": Grade.MEDIUM,
        "previous_incidents": Grade.MEDIUM,
        "custody_over_24h": Grade.MEDIUM,
    }
)
REASON_CODES: Final[frozenset[str]] = frozenset(REASON_GRADES)
