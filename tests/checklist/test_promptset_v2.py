"""Prompt set v2: published beside v1 and pinned; its sections, caps and the guidance items."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.checklist import promptset
from app.checklist.promptset import (
    PUBLISHED_VERSIONS,
    PromptSet,
    PromptSetError,
    PromptType,
    load_prompt_set,
    load_version,
    version_path,
)
from tests.checklist.builders_v2 import complete_answers_v2, problems_v2

V2 = version_path(2)
V2_SHA256 = "6abe3308028c47f1c17dab73f285299b46eb225a4b94e98d49f5c55a83ee43f2"


@pytest.fixture(scope="module")
def ps() -> PromptSet:
    return load_version(2)


def test_published_v2_is_never_edited() -> None:
    assert hashlib.sha256(V2.read_bytes()).hexdigest() == V2_SHA256, (
        "think_child_v2.yaml changed: published prompt sets are never edited: add v3 instead"
    )


def test_v2_is_published_and_current(ps: PromptSet) -> None:
    assert PUBLISHED_VERSIONS == (1, 2)
    assert (ps.id, ps.version) == ("think_child", 2)
    assert promptset.current() is ps  # a v2 test module: not pinned to v1


def test_sections_in_the_contract_order(ps: PromptSet) -> None:
    assert [s.id for s in ps.sections] == [
        "incident",
        "gate",
        "child",
        "voice",
        "observed",
        "concern",
        "home",
        "household",
        "domestic_abuse",
        "action",
        "sharing",
        "risk",
        "declaration",
    ]
    assert {s.id for s in ps.repeat_sections["children"]} == {
        "child",
        "voice",
        "observed",
        "concern",
    }


def test_concerns_are_per_child_and_domestic_abuse_is_household(ps: PromptSet) -> None:
    per_child = [
        "concern.categories",
        "concern.exploitation_indicators",
        "concern.nrm_referral",
        "concern.missing_episodes_90d",
        "concern.found_where",
        "concern.custody_hours",
        "concern.custody_transfer_to_la",
        "concern.fm_fgm_actions",
        "concern.prevent_referral",
    ]
    for pid in per_child:
        assert ps.scope_of(pid) == ("children",), pid
    for pid in ["concern.da_strangulation", "concern.da_risk_tool", "concern.dash_score"]:
        assert ps.scope_of(pid) == () and ps.section_of(pid).id == "domestic_abuse"
    options = ps.prompt("concern.categories").option_ids
    assert {"child_on_child", "child_to_parent_violence"} <= set(options)


def test_mobility_is_asked_positively(ps: PromptSet) -> None:
    assert "child.not_yet_mobile" not in ps.all_prompt_ids()
    mobile = ps.prompt("child.mobile")
    assert mobile.type is PromptType.YESNO
    assert mobile.label.startswith("Can the child crawl")


def test_retired_and_new_prompts(ps: PromptSet) -> None:
    ids = ps.all_prompt_ids()
    assert "action.encompass_school_told" not in ids
    assert {
        "incident.crime_ref",
        "incident.bwv",
        "incident.bwv_ref",
        "child.lives_here",
        "child.tonight_where",
        "child.tonight_checked",
        "child.injury_reported",
        "voice.disclosure_about",
        "voice.disclosure_sexual",
        "adult.risk_to_children",
        "action.pp_designated_officer",
        "action.urgent_call_to",
        "action.urgent_call_time",
        "action.urgent_call_agreed",
        "sharing.agencies",
        "risk.strengths",
        "risk.request",
    } <= ids
    label = ps.prompt("household.previous_incidents_12m").label
    assert "domestic abuse or child-concern incidents" in label


def test_sharing_basis_comes_first_with_safeguarding_the_default_wording(ps: PromptSet) -> None:
    sharing = ps.section("sharing")
    assert sharing.prompts[0].id == "sharing.basis"
    basis = ps.prompt("sharing.basis")
    assert basis.option_ids == ["safeguarding_of_children", "consent", "other"]
    assert basis.options[0].label == "To safeguard a child at risk"


def test_lists_have_caps(ps: PromptSet) -> None:
    assert ps.max_items("children") == 20
    assert ps.max_items("household.adults") == 20
    assert ps.max_items("observed.injuries") == 30
    assert ps.section("child").max_items == 20
    assert ps.prompt("household.adults").max_items == 20
    assert ps.prompt("observed.injuries").max_items == 30


def test_the_builder_is_a_clean_complete_v2_referral() -> None:
    assert problems_v2(complete_answers_v2()) == {}


# --- guidance items --------------------------------------------------------------------------


def _with_guidance(extra: dict[str, Any]) -> dict[str, Any]:
    data = yaml.safe_load(V2.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["sections"][0]["prompts"].append(
        {"id": "incident.card", "type": "guidance", "label": "Card", "guidance": "Words"} | extra
    )
    return data


def _load(tmp_path: Path, data: dict[str, Any]) -> PromptSet:
    path = tmp_path / "think_child_v2.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_prompt_set(path)


def test_a_guidance_item_loads(tmp_path: Path) -> None:
    ps = _load(tmp_path, _with_guidance({}))
    assert ps.prompt("incident.card").type is PromptType.GUIDANCE


@pytest.mark.parametrize(
    "extra", [{"required": True}, {"hint": "h"}, {"risk": "high"}, {"sensitive": True}]
)
def test_a_guidance_item_is_never_answered(tmp_path: Path, extra: dict[str, Any]) -> None:
    with pytest.raises(PromptSetError, match="a guidance item is never answered"):
        _load(tmp_path, _with_guidance(extra))


def test_a_guidance_item_needs_words(tmp_path: Path) -> None:
    data = _with_guidance({})
    del data["sections"][0]["prompts"][-1]["guidance"]
    with pytest.raises(PromptSetError, match="needs guidance"):
        _load(tmp_path, data)


def test_a_condition_cannot_name_a_guidance_item(tmp_path: Path) -> None:
    data = _with_guidance({})
    data["sections"][0]["prompts"].append(
        {
            "id": "incident.after",
            "type": "short",
            "label": "After",
            "when": {"prompt": "incident.card", "answered": True},
        }
    )
    with pytest.raises(PromptSetError, match="a guidance item that is never answered"):
        _load(tmp_path, data)
