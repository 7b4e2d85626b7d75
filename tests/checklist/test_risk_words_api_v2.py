"""The offline app words the risk suggestion it works out in the browser
(``static/js/risk/assess.mjs`` gives codes only): ``GET /api/v1/prompt-set``, which the service
worker keeps, carries the words for every reason code of that prompt set's rules."""

from __future__ import annotations

import pytest

from app.checklist import promptset
from app.checklist.risk import reason_codes, reason_words
from tests.helpers import Browserless

pytestmark = pytest.mark.db


def test_the_current_prompt_set_words_every_reason_of_its_rules(as_officer: Browserless) -> None:
    body = as_officer.get("/api/v1/prompt-set").json()
    assert body["version"] == 2
    assert body["risk_reasons"] == dict(reason_words(2))
    assert set(body["risk_reasons"]) == reason_codes(2)
    assert body["risk_reasons"]["da_victim_pregnant"] == "the victim is pregnant"


def test_a_v1_prompt_set_words_v1_reasons(
    as_officer: Browserless, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While v1 was current, the same route gave v1's words (the prompt set's risk_reasons)."""
    monkeypatch.setattr(promptset, "current", lambda: promptset.load_version(1))
    body = as_officer.get("/api/v1/prompt-set").json()
    assert body["version"] == 1
    assert body["risk_reasons"] == dict(reason_words(1))
    assert set(body["risk_reasons"]) == reason_codes(1)
