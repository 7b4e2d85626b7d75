"""The shared validation cases (``tests/checklist/validation_cases.json``) hold for the Python
answer engine; ``tests/browser/test_validation_v2.py`` runs the same file in Chromium against
``static/js/offline/rules.mjs``, so the offline screens validate as the server does."""

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


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_validation_case(case: dict[str, Any]) -> None:
    assert server_result(case["answers"], case["today"]) == {
        "errors": case["errors"],
        "missing": case["missing"],
    }
