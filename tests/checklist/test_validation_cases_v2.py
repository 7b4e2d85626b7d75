"""The shared validation cases (``tests/checklist/validation_cases.json``) hold for the Python
answer engine and risk rules; ``tests/browser/test_validation_v2.py`` runs the same file in
Chromium against ``static/js/offline/rules.mjs`` and ``required.mjs``, so the offline screens
validate, suggest a grade and ask for what follows from it as the server does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.checklist.validation_cases_v2 import CASES_FILE, EXAMPLES, server_result

CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def test_the_file_holds_every_example_in_order() -> None:
    assert [c["name"] for c in CASES] == [name for name, _ in EXAMPLES]


def test_the_cases_cover_each_kind_of_error() -> None:
    messages = " ".join(m for c in CASES for m in c["errors"].values())
    for words in (
        "real date",
        "today or in the past",
        "under 18",
        "yes or no",
        "options shown",
        "cannot select",
        "characters or fewer",
        "as words",
        "or less",
        "or more",
        "as a number",
        "right form",
        "You can add up to",
    ):
        assert words in messages, words
    assert any(c["errors"] == {} for c in CASES)
    assert any("gate.no_child_reason" in c["missing"] for c in CASES)


def test_the_cases_cover_each_check_that_follows_the_suggestion() -> None:
    extras = {p for c in CASES for p in c["extras"]}
    assert extras == {
        "risk.override_reason",
        "action.urgent_call_to",
        "action.urgent_call_time",
        "action.urgent_call_agreed",
        "declaration.confirmed",
    }
    assert {c["grade"] for c in CASES} == {"standard", "medium", "high"}
    assert any(r["child"] and "(" in r["child"] for c in CASES for r in c["reasons"])  # v2 label
    lower = [c for c in CASES if c["answers"].get("risk.officer_grade") in ("standard", "medium")]
    assert any("risk.override_reason" in c["extras"] for c in lower)
    assert any("risk.override_reason" not in c["extras"] for c in lower)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_validation_case(case: dict[str, Any]) -> None:
    keys = ("errors", "missing", "grade", "reasons", "extras")
    assert server_result(case["answers"], case["today"]) == {k: case[k] for k in keys}
