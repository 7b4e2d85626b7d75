"""The shared condition cases (``tests/checklist/conditions.json``) hold in Python; the browser
test ``tests/browser/test_conditions_v2.py`` runs the same cases in Chromium against
``static/js/checklist.mjs``, so both runtimes decide what shows the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from app.checklist.answers import is_visible
from app.checklist.promptset import When

CASES_FILE = Path(__file__).with_name("conditions.json")
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
WHEN: TypeAdapter[When] = TypeAdapter(When)


def test_the_cases_cover_each_kind_of_condition() -> None:
    kinds = {next(iter(c["when"])) if len(c["when"]) == 1 else "single" for c in CASES}
    assert {"all", "any", "none", "single"} <= kinds
    assert any(c["item"] is not None for c in CASES)
    assert any("children" in c["answers"] and c["item"] is None for c in CASES)
    assert {c["expected"] for c in CASES} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_condition_case(case: dict[str, Any]) -> None:
    when = WHEN.validate_python(case["when"])
    assert is_visible(when, case["item"], case["answers"]) is case["expected"]
