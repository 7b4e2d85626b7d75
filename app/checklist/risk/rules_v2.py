"""Risk rules v2 (think-child-v2.md, "Risk rules v2"): the rules run for incidents answered
under prompt set v2, in order (high first), and the reason codes with the grade each carries.

All v1 rules stand with the brief's changes; each rule is one named, typed function whose
docstring names its source in brackets ([APP], [WT23], [DASH], [DARA], [HOC 17/2008], [PACE],
[CSPRP], ...). The high rules are in ``rules_v2_high``, the medium ones in ``rules_v2_medium``,
the facts they read in ``facts_v2``. The words for each code are in ``words_v2.yaml`` (read with
``app.checklist.risk.reason_words(2)``).

A reason about one child names that child with their age ("Amy (4 months)"); a household reason
names no child.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from app.checklist.risk import rules_v2_high as high
from app.checklist.risk import rules_v2_medium as medium
from app.checklist.risk.grades import Grade, Rule

RULES: Final[tuple[Rule, ...]] = (
    # high: about one child
    high.rule_child_disclosed,
    high.rule_sexual_abuse_concern,
    high.rule_baby_injured,
    high.rule_baby_not_seen,
    high.rule_afraid_to_go_home,
    high.rule_exploitation_serious_sign,
    high.rule_exploitation_indicators,
    high.rule_missing_found_at_risk,
    high.rule_custody_self_harm,
    high.rule_custody_overnight_no_transfer,
    high.rule_custody_strip_search_no_aa,
    high.rule_fgm_forced_marriage_hba,
    high.rule_unsafe_sleep_impaired_carer,
    high.rule_tonight_carer_not_checked,
    # high: the household
    high.rule_abuser_hurt_children,
    high.rule_police_protection,
    high.rule_da_strangulation,
    high.rule_da_weapon,
    high.rule_da_threats_to_kill,
    high.rule_da_victim_pregnant,
    high.rule_da_risk_high,
    high.rule_neglect_severe,
    high.rule_carer_not_checked,
    high.rule_adult_risk_to_children,
    # medium: about one child
    medium.rule_disclosure_about_child,
    medium.rule_child_on_child,
    medium.rule_child_to_parent_violence,
    medium.rule_baby_in_da,
    medium.rule_unsafe_sleep_baby,
    medium.rule_child_protection_plan,
    medium.rule_looked_after,
    medium.rule_child_in_need,
    medium.rule_missing_often,
    medium.rule_radicalisation,
    medium.rule_custody_no_appropriate_adult,
    medium.rule_custody_over_24h,
    medium.rule_child_not_seen,
    medium.rule_injury_observed,
    medium.rule_medical_needed,
    # medium: the household
    medium.rule_da_risk_medium,
    medium.rule_da_separation,
    medium.rule_da_stalking,
    medium.rule_neglect_conditions,
    medium.rule_weapons_in_home,
    medium.rule_carer_incapable,
    medium.rule_toxic_trio,
    medium.rule_previous_incidents,
)

_H, _M = Grade.HIGH, Grade.MEDIUM

# Reason codes v2 with their grade, in rule order, and whether the reason names a child.
_TABLE: Final[tuple[tuple[str, Grade, bool], ...]] = (
    ("child_disclosed", _H, True),
    ("sexual_abuse_concern", _H, True),
    ("baby_injured", _H, True),
    ("child_not_seen_baby", _H, True),
    ("afraid_to_go_home", _H, True),
    ("exploitation_serious_sign", _H, True),
    ("exploitation_indicators", _H, True),
    ("missing_found_at_risk", _H, True),
    ("custody_self_harm", _H, True),
    ("custody_overnight_no_transfer", _H, True),
    ("custody_strip_search_no_aa", _H, True),
    ("fgm_forced_marriage_hba", _H, True),
    ("unsafe_sleep_impaired_carer", _H, True),
    ("tonight_carer_not_checked", _H, True),
    ("abuser_hurt_children", _H, False),
    ("police_protection", _H, False),
    ("da_strangulation", _H, False),
    ("da_weapon", _H, False),
    ("da_threats_to_kill", _H, False),
    ("da_victim_pregnant", _H, False),
    ("da_risk_high", _H, False),
    ("neglect_severe", _H, False),
    ("carer_not_checked", _H, False),
    ("adult_risk_to_children", _H, False),
    ("disclosure_about_child", _M, True),
    ("child_on_child", _M, True),
    ("child_to_parent_violence", _M, True),
    ("baby_in_da", _M, True),
    ("unsafe_sleep_baby", _M, True),
    ("child_protection_plan", _M, True),
    ("looked_after", _M, True),
    ("child_in_need", _M, True),
    ("missing_often", _M, True),
    ("radicalisation", _M, True),
    ("custody_no_appropriate_adult", _M, True),
    ("custody_over_24h", _M, True),
    ("child_not_seen", _M, True),
    ("injury_observed", _M, True),
    ("medical_needed", _M, True),
    ("da_risk_medium", _M, False),
    ("da_separation", _M, False),
    ("da_stalking", _M, False),
    ("neglect_conditions", _M, False),
    ("weapons_in_home", _M, False),
    ("carer_incapable", _M, False),
    ("toxic_trio", _M, False),
    ("previous_incidents", _M, False),
)
REASON_GRADES: Final[Mapping[str, Grade]] = MappingProxyType(
    {code: grade for code, grade, _ in _TABLE}
)
REASON_CODES: Final[frozenset[str]] = frozenset(REASON_GRADES)
CHILD_REASON_CODES: Final[frozenset[str]] = frozenset(code for code, _, child in _TABLE if child)
