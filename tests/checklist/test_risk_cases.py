"""The shared risk cases (``tests/checklist/risk_cases.json``) are what the Python rules say
today: a rule changed without writing the table again (``make risk-cases``) fails here. The
browser test ``tests/browser/test_risk_js.py`` runs the same table through
``static/js/risk/assess.mjs`` in Chromium."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from app.checklist.risk import assess, reason_codes
from tests.checklist import risk_cases
from tests.checklist.risk_cases import CASES_FILE, GENERATED_PER_VERSION

CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def _python_says(case: dict[str, Any]) -> dict[str, Any]:
    result = assess(case["answers"], on=date.fromisoformat(case["on"]), version=case["version"])
    return {
        "grade": result.grade.value,
        "reasons": [
            {"code": r.code, "grade": r.grade.value, "child": r.child} for r in result.reasons
        ],
    }


def test_every_case_is_what_the_python_rules_say() -> None:
    wrong = [c["name"] for c in CASES if _python_says(c) != c["expected"]]
    assert len(CASES) > 2 * GENERATED_PER_VERSION
    assert wrong == []


def test_the_table_is_the_one_the_generator_writes() -> None:
    """Same seed, same prompt sets, same rules: the same file, byte for byte."""
    assert risk_cases.dumps(risk_cases.build()) == CASES_FILE.read_text(encoding="utf-8")


def test_names_are_unique() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("version", [1, 2])
def test_every_reason_code_of_each_version_appears(version: int) -> None:
    given = {r["code"] for c in CASES if c["version"] == version for r in c["expected"]["reasons"]}
    assert given == reason_codes(version)
    for code in reason_codes(version):  # and its own smallest case gives it
        (own,) = [c for c in CASES if c["name"] == f"v{version} code {code}"]
        assert code in {r["code"] for r in own["expected"]["reasons"]}


@pytest.mark.parametrize("version", [1, 2])
def test_each_grade_and_the_generated_cases_are_there(version: int) -> None:
    mine = [c for c in CASES if c["version"] == version]
    assert {c["expected"]["grade"] for c in mine} == {"standard", "medium", "high"}
    generated = [c for c in mine if " generated " in c["name"]]
    assert len(generated) == GENERATED_PER_VERSION
    assert {c["expected"]["grade"] for c in generated} == {"standard", "medium", "high"}
    children = [c["answers"].get("children") for c in generated]
    assert any(isinstance(k, list) and len(k) >= 3 for k in children)  # several children
    assert any(k is not None and not isinstance(k, list) for k in children)  # a wrong type


def test_the_named_cases_of_both_briefs_are_there() -> None:
    by_name = {c["name"]: c["expected"] for c in CASES}
    brief = by_name["v1 named: brief: child disclosed; police protection used"]
    assert [r["code"] for r in brief["reasons"]] == ["child_disclosed", "police_protection"]
    # issue 9: v2 says high where v1 said standard; the baby not seen is high, not medium
    for name in ("pregnant domestic abuse victim", "non-fatal strangulation", "neglected home"):
        assert by_name[f"v2 named: {name}"]["grade"] == "high"
        assert by_name[f"v1 named: {name}"]["grade"] == "standard"
    baby = by_name["v2 named: baby of 4 months not seen"]
    assert baby["reasons"] == [
        {"code": "child_not_seen_baby", "grade": "high", "child": "Amy (4 months)"}
    ]
    assert by_name["v2 named: child pushed by another child"]["grade"] == "medium"
    assert by_name["v2 named: brief v2: Amy (4 months) was not seen; no safe sleep"] == {
        "grade": "high",
        "reasons": [
            {"code": "child_not_seen_baby", "grade": "high", "child": "Amy (4 months)"},
            {"code": "unsafe_sleep_baby", "grade": "medium", "child": "Amy (4 months)"},
        ],
    }
    assert by_name["v2 named: brief v2: a linked child living elsewhere not seen"]["grade"] == (
        "standard"
    )
    assert sum(1 for n in by_name if n.startswith("v2 named: ")) >= 9 + 6 + 3


def test_ages_are_measured_on_the_incident_date_in_the_table() -> None:
    """The same child injured at 11 months and at 1 year: the incident date decides, not `on`."""
    by_name = {c["name"]: c for c in CASES}
    before = by_name["v1 named: born 29 February 2024, injured on 2025-02-28"]["expected"]
    after = by_name["v1 named: born 29 February 2024, injured on 2025-03-01"]["expected"]
    assert [r["code"] for r in before["reasons"]] == ["baby_injured"]
    assert [r["code"] for r in after["reasons"]] == ["injury_observed"]
