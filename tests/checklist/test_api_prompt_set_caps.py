"""The prompt set from the JSON API carries every list's cap and the words for a list at its
cap, so that the offline screens (static/js/offline/rules.mjs) refuse the list the server would,
in the server's words. This module is pinned to v1, whose file sets no caps of its own: they
come from app/checklist/prompts/limits.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from app.checklist import promptset
from tests.helpers import Browserless

pytestmark = pytest.mark.db


def _body(client: Browserless) -> dict[str, Any]:
    response = client.get("/api/v1/prompt-set")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_every_list_has_its_cap(as_officer: Browserless) -> None:
    body = _body(as_officer)
    ps = promptset.load_version(body["version"])
    assert body["version"] == 1
    for section in body["sections"]:
        if section.get("repeat"):
            assert section["max_items"] == ps.max_items(section["repeat"]) == 20
    repeats = {
        p["id"]: p["max_items"]
        for s in body["sections"]
        for p in s["prompts"]
        if p["type"] == "repeat"
    }
    assert repeats == {"observed.injuries": 30, "household.adults": 20}


def test_the_words_for_a_full_list(as_officer: Browserless) -> None:
    words = _body(as_officer)["messages"]["too_many_items"]
    assert words == promptset.list_limits()["messages"]["too_many_items"]
    assert "{max_items}" in words and "{label}" in words
