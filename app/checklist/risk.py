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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

__all__ = [
    "REASON_CODES",
    "REASON_GRADES",
    "RULES",
    "Assessment",
    "Grade",
    "Reason",
    "Rule",
    "assess",
    "is_lower",
    "max_grade",
    "reference_date",
]


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

    ``child`` is the child's name (``child.name``, stripped) when the reason is about one child,
    and ``None`` when it is about the household or incident, or when that child's name is blank.
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

# Reason codes and the grade each carries. The order is the rule order.
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

# Option ids from the prompt set (domain brief sections 7 and 8).
TOXIC_TRIO_OPTIONS: Final[frozenset[str]] = frozenset(
    {"domestic_abuse", "substance_misuse", "parental_mental_health"}
)
EXPLOITATION_INDICATOR_OPTIONS: Final[frozenset[str]] = frozenset(
    {
        "older_partner",
        "unexplained_gifts_cash_phones",
        "missing_episodes",
        "found_far_from_home",
        "drugs_or_cash_carried",
        "association_with_known_offenders",
    }
)
FGM_CATEGORY: Final = "fgm_forced_marriage_hba"

DASH_HIGH_FROM: Final = 14
EXPLOITATION_INDICATORS_FROM: Final = 2
TOXIC_TRIO_FROM: Final = 2
PREVIOUS_INCIDENTS_FROM: Final = 3
CUSTODY_HOURS_OVER: Final = 24


# --- reading answers without trusting them -----------------------------------------------------


def _is_true(container: Mapping[str, Any], key: str) -> bool:
    return container.get(key) is True


def _is_false(container: Mapping[str, Any], key: str) -> bool:
    return container.get(key) is False


def _number(container: Mapping[str, Any], key: str) -> int | float | None:
    """A JSON number, or None. Booleans and non-finite floats are not numbers here."""
    value = container.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def _options(container: Mapping[str, Any], key: str, known: frozenset[str]) -> frozenset[str]:
    """The distinct known option ids of a multi answer (unknown or non-string items ignored)."""
    value = container.get(key)
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item in known)


def _parse_date(value: object) -> date | None:
    """A date from "YYYY-MM-DD" or an ISO 8601 datetime string (its date as written)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(text).date()
    except (ValueError, TypeError, OverflowError):
        return None


def _as_date(value: date) -> date:
    # A datetime is a date, but cannot be compared with one: keep only its date.
    return value.date() if isinstance(value, datetime) else value


def reference_date(answers: Mapping[str, Any], on: date | None = None) -> date:
    """The date ages are measured on: the date of ``incident.datetime`` as written, else ``on``,
    else today (UTC)."""
    incident = _parse_date(answers.get("incident.datetime"))
    if incident is not None:
        return incident
    if isinstance(on, date):
        return _as_date(on)
    return datetime.now(UTC).date()


def _children(answers: Mapping[str, Any]) -> Iterator[tuple[str | None, Mapping[str, Any]]]:
    """Each child's (label, answers); entries that are not dicts are skipped."""
    children = answers.get("children")
    if not isinstance(children, list | tuple):
        return
    for child in children:
        if isinstance(child, Mapping):
            yield _child_label(child), child


def _child_label(child: Mapping[str, Any]) -> str | None:
    name = child.get("child.name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return None


def _is_under_one(child: Mapping[str, Any], on: date) -> bool:
    """Under 1 year old on ``on``, by ``child.dob`` or ``child.age_estimate`` (years).

    A date of birth after ``on`` (an expected date, or a slip) counts as under one: the rule only
    ever raises the grade, and a person reviews it.
    """
    dob = _parse_date(child.get("child.dob"))
    if dob is not None and _before_first_birthday(dob, _as_date(on)):
        return True
    estimate = _number(child, "child.age_estimate")
    return estimate is not None and estimate < 1


def _before_first_birthday(dob: date, on: date) -> bool:
    if dob.year >= MAXYEAR:
        return True
    try:
        first_birthday = dob.replace(year=dob.year + 1)
    except ValueError:  # born 29 February: one year old on 1 March
        first_birthday = date(dob.year + 1, 3, 1)
    return on < first_birthday


def _has_injury(child: Mapping[str, Any]) -> bool:
    """``observed.injury`` is yes, or at least one injury is listed."""
    if _is_true(child, "observed.injury"):
        return True
    injuries = child.get("observed.injuries")
    return isinstance(injuries, list | tuple) and any(isinstance(i, Mapping) for i in injuries)


def _is_baby_injured(child: Mapping[str, Any], on: date) -> bool:
    baby = _is_true(child, "child.not_yet_mobile") or _is_under_one(child, on)
    return baby and _has_injury(child)


def _reason(code: str, child: str | None = None) -> Reason:
    return Reason(code=code, grade=REASON_GRADES[code], child=child)


def _per_child(
    answers: Mapping[str, Any], code: str, test: Callable[[Mapping[str, Any]], bool]
) -> list[Reason]:
    return [_reason(code, label) for label, child in _children(answers) if test(child)]


def _when(condition: bool, code: str) -> list[Reason]:
    return [_reason(code)] if condition else []


# --- high ------------------------------------------------------------------------------------


def rule_child_disclosed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "voice.disclosure (yesno: the child told of abuse ...; risk high)": any child's
    ``voice.disclosure`` is yes."""
    return _per_child(answers, "child_disclosed", lambda c: _is_true(c, "voice.disclosure"))


def rule_non_mobile_baby_injured(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "Under 1 year old, or not yet mobile, with any mark or injury: risk high
    (non-mobile baby rule)": a child under 1 (by ``child.dob`` on the incident date, or
    ``child.age_estimate`` below 1) or with ``child.not_yet_mobile`` yes, who has
    ``observed.injury`` yes or any injury listed."""
    return _per_child(answers, "baby_injured", lambda c: _is_baby_injured(c, on))


def rule_abuser_hurt_children(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.da_abuser_hurt_children (risk high if yes)"."""
    return _when(_is_true(answers, "concern.da_abuser_hurt_children"), "abuser_hurt_children")


def rule_afraid_to_go_home(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "voice.afraid_to_go_home (yesno, risk)"; the risk rules list "afraid to go
    home" as a high trigger."""
    return _per_child(
        answers, "afraid_to_go_home", lambda c: _is_true(c, "voice.afraid_to_go_home")
    )


def rule_police_protection(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "action.police_protection (yesno: Children Act 1989 s46 used; ... risk high)"."""
    return _when(_is_true(answers, "action.police_protection"), "police_protection")


def rule_exploitation_indicators(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.exploitation_indicators multi (...); 2+ risk high": two or more
    distinct known indicators."""
    indicators = _options(
        answers, "concern.exploitation_indicators", EXPLOITATION_INDICATOR_OPTIONS
    )
    return _when(len(indicators) >= EXPLOITATION_INDICATORS_FROM, "exploitation_indicators")


def rule_custody_self_harm(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.custody_self_harm_risk (yesno; risk high)"."""
    return _when(_is_true(answers, "concern.custody_self_harm_risk"), "custody_self_harm")


def rule_fgm_forced_marriage_hba(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "fgm_forced_marriage_hba: risk high": the category is selected in
    ``concern.categories``."""
    selected = _options(answers, "concern.categories", frozenset({FGM_CATEGORY}))
    return _when(bool(selected), "fgm_forced_marriage_hba")


def rule_dash_high(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.dash_score (0-27; 14+ risk)"; the risk rules list "DASH 14+" as a high
    trigger."""
    score = _number(answers, "concern.dash_score")
    return _when(score is not None and score >= DASH_HIGH_FROM, "dash_high")


# --- medium ----------------------------------------------------------------------------------


def rule_child_not_seen(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "child.seen (yesno; if no: child.not_seen_reason, risk)": ``child.seen`` is no,
    except for an unborn child (``child.unborn`` yes), who cannot be seen."""
    return _per_child(
        answers,
        "child_not_seen",
        lambda c: _is_false(c, "child.seen") and not _is_true(c, "child.unborn"),
    )


def rule_injury_observed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "observed.injury (yesno; if yes: observed.injuries[] ...; risk)": an injury seen
    (``observed.injury`` yes or an injury listed), unless the non-mobile baby rule already covers
    that child."""
    return _per_child(
        answers,
        "injury_observed",
        lambda c: _has_injury(c) and not _is_baby_injured(c, on),
    )


def rule_medical_needed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "observed.medical_needed yesno; risk"."""
    return _per_child(answers, "medical_needed", lambda c: _is_true(c, "observed.medical_needed"))


def rule_carer_incapable(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "home.carer_capable (yesno; if no: home.carer_incapacity ..., risk)": the carer
    is not capable."""
    return _when(_is_false(answers, "home.carer_capable"), "carer_incapable")


def rule_toxic_trio(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "household.toxic_trio (multi: domestic_abuse, substance_misuse,
    parental_mental_health; two or more: risk)"."""
    factors = _options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS)
    return _when(len(factors) >= TOXIC_TRIO_FROM, "toxic_trio")


def rule_previous_incidents(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "household.previous_incidents_12m (number; 3 or more: risk)"."""
    count = _number(answers, "household.previous_incidents_12m")
    return _when(count is not None and count >= PREVIOUS_INCIDENTS_FROM, "previous_incidents")


def rule_custody_over_24h(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.custody_hours (number; over 24 risk)"."""
    hours = _number(answers, "concern.custody_hours")
    return _when(hours is not None and hours > CUSTODY_HOURS_OVER, "custody_over_24h")


RULES: Final[tuple[Rule, ...]] = (
    rule_child_disclosed,
    rule_non_mobile_baby_injured,
    rule_abuser_hurt_children,
    rule_afraid_to_go_home,
    rule_police_protection,
    rule_exploitation_indicators,
    rule_custody_self_harm,
    rule_fgm_forced_marriage_hba,
    rule_dash_high,
    rule_child_not_seen,
    rule_injury_observed,
    rule_medical_needed,
    rule_carer_incapable,
    rule_toxic_trio,
    rule_previous_incidents,
    rule_custody_over_24h,
)


def assess(answers: Mapping[str, Any], *, on: date | None = None) -> Assessment:
    """The suggested grade for ``answers`` (already pruned of hidden answers) with its reasons.

    Ages are measured on the incident date (``incident.datetime``), else ``on``, else today UTC.
    The grade is the highest of the reasons' grades, else standard. Reasons are ordered high
    first, then by rule order (then child order), with duplicates removed.
    """
    if not isinstance(answers, Mapping):
        answers = {}
    when = reference_date(answers, on)
    found: list[Reason] = []
    for rule in RULES:
        found.extend(rule(answers, when))
    unique = list(dict.fromkeys(found))
    unique.sort(key=lambda r: -r.grade.rank)  # stable: keeps rule order within a grade
    return Assessment(grade=max_grade(*(r.grade for r in unique)), reasons=tuple(unique))
