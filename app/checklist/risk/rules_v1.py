"""The risk rules: one small function per trigger in "Risk rules (product rule)" of the domain
brief, listed in ``RULES`` in order (high triggers first).

A rule takes the answers and the date ages are measured on, and returns ``Reason`` values
carrying a stable reason code only: the words shown to people live in the prompt-set YAML, not
here. ``app.checklist.risk.assess`` runs the rules; the public names here can be imported from
``app.checklist.risk`` too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import MAXYEAR, date
from typing import Any, Final

from app.checklist.risk.facts import (
    as_date,
    date_of,
    each_child,
    is_false,
    is_true,
    number,
    options,
)
from app.checklist.risk.grades import REASON_GRADES, Reason, Rule

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


# --- facts about one child -------------------------------------------------------------------


def _is_under_one(child: Mapping[str, Any], on: date) -> bool:
    """Under 1 year old on ``on``, by ``child.dob`` or ``child.age_estimate`` (years).

    A date of birth after ``on`` (an expected date, or a slip) counts as under one: the rule only
    ever raises the grade, and a person reviews it.
    """
    dob = date_of(child.get("child.dob"))
    if dob is not None and _before_first_birthday(dob, as_date(on)):
        return True
    estimate = number(child, "child.age_estimate")
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
    if is_true(child, "observed.injury"):
        return True
    injuries = child.get("observed.injuries")
    return isinstance(injuries, list | tuple) and any(isinstance(i, Mapping) for i in injuries)


def _is_baby_injured(child: Mapping[str, Any], on: date) -> bool:
    baby = is_true(child, "child.not_yet_mobile") or _is_under_one(child, on)
    return baby and _has_injury(child)


def _reason(code: str, child: str | None = None) -> Reason:
    return Reason(code=code, grade=REASON_GRADES[code], child=child)


def _per_child(
    answers: Mapping[str, Any], code: str, test: Callable[[Mapping[str, Any]], bool]
) -> list[Reason]:
    return [_reason(code, label) for label, child in each_child(answers) if test(child)]


def _when(condition: bool, code: str) -> list[Reason]:
    return [_reason(code)] if condition else []


# --- high ------------------------------------------------------------------------------------


def rule_child_disclosed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "voice.disclosure (yesno: the child told of abuse ...; risk high)": any child's
    ``voice.disclosure`` is yes."""
    return _per_child(answers, "child_disclosed", lambda c: is_true(c, "voice.disclosure"))


def rule_non_mobile_baby_injured(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "Under 1 year old, or not yet mobile, with any mark or injury: risk high
    (non-mobile baby rule)": a child under 1 (by ``child.dob`` on the incident date, or
    ``child.age_estimate`` below 1) or with ``child.not_yet_mobile`` yes, who has
    ``observed.injury`` yes or any injury listed."""
    return _per_child(answers, "baby_injured", lambda c: _is_baby_injured(c, on))


def rule_abuser_hurt_children(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.da_abuser_hurt_children (risk high if yes)"."""
    return _when(is_true(answers, "concern.da_abuser_hurt_children"), "abuser_hurt_children")


def rule_afraid_to_go_home(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "voice.afraid_to_go_home (yesno, risk)"; the risk rules list "afraid to go
    home" as a high trigger."""
    return _per_child(answers, "afraid_to_go_home", lambda c: is_true(c, "voice.afraid_to_go_home"))


def rule_police_protection(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "action.police_protection (yesno: Children Act 1989 s46 used; ... risk high)"."""
    return _when(is_true(answers, "action.police_protection"), "police_protection")


def rule_exploitation_indicators(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.exploitation_indicators multi (...); 2+ risk high": two or more
    distinct known indicators."""
    indicators = options(answers, "concern.exploitation_indicators", EXPLOITATION_INDICATOR_OPTIONS)
    return _when(len(indicators) >= EXPLOITATION_INDICATORS_FROM, "exploitation_indicators")


def rule_custody_self_harm(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.custody_self_harm_risk (yesno; risk high)"."""
    return _when(is_true(answers, "concern.custody_self_harm_risk"), "custody_self_harm")


def rule_fgm_forced_marriage_hba(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "fgm_forced_marriage_hba: risk high": the category is selected in
    ``concern.categories``."""
    selected = options(answers, "concern.categories", frozenset({FGM_CATEGORY}))
    return _when(bool(selected), "fgm_forced_marriage_hba")


def rule_dash_high(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.dash_score (0-27; 14+ risk)"; the risk rules list "DASH 14+" as a high
    trigger."""
    score = number(answers, "concern.dash_score")
    return _when(score is not None and score >= DASH_HIGH_FROM, "dash_high")


# --- medium ----------------------------------------------------------------------------------


def rule_child_not_seen(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "child.seen (yesno; if no: child.not_seen_reason, risk)": ``child.seen`` is no,
    except for an unborn child (``child.unborn`` yes), who cannot be seen."""
    return _per_child(
        answers,
        "child_not_seen",
        lambda c: is_false(c, "child.seen") and not is_true(c, "child.unborn"),
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
    return _per_child(answers, "medical_needed", lambda c: is_true(c, "observed.medical_needed"))


def rule_carer_incapable(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "home.carer_capable (yesno; if no: home.carer_incapacity ..., risk)": the carer
    is not capable."""
    return _when(is_false(answers, "home.carer_capable"), "carer_incapable")


def rule_toxic_trio(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "household.toxic_trio (multi: domestic_abuse, substance_misuse,
    parental_mental_health; two or more: risk)"."""
    factors = options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS)
    return _when(len(factors) >= TOXIC_TRIO_FROM, "toxic_trio")


def rule_previous_incidents(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "household.previous_incidents_12m (number; 3 or more: risk)"."""
    count = number(answers, "household.previous_incidents_12m")
    return _when(count is not None and count >= PREVIOUS_INCIDENTS_FROM, "previous_incidents")


def rule_custody_over_24h(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """Brief: "concern.custody_hours (number; over 24 risk)"."""
    hours = number(answers, "concern.custody_hours")
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
