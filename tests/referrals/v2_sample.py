"""A version 2 prompt set for the document tests, made from v1's file with the v2 placements
of think-child-v2.md (per-child concerns, a household domestic abuse section, the new prompts
the document reads), until the published ``think_child_v2.yaml`` replaces it.

``use_sample_v2(monkeypatch)`` makes ``promptset.load_version(2)`` return it.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest

from app.checklist import promptset
from app.checklist.promptset import PromptSet
from app.checklist.promptset.loader import read_mapping

DA_IDS = (
    "concern.da_abuser_hurt_children",
    "concern.da_child_contact_conflict",
    "concern.dash_completed",
    "concern.dash_score",
)


def _yesno(pid: str, label: str, **more: Any) -> dict[str, Any]:
    return {"id": pid, "type": "yesno", "label": label, **more}


def _text(pid: str, label: str, kind: str = "text", **more: Any) -> dict[str, Any]:
    return {"id": pid, "type": kind, "label": label, "max_length": 2000, **more}


def _choice(pid: str, label: str, ids: list[str], kind: str = "choice") -> dict[str, Any]:
    options = [{"id": i, "label": i.replace("_", " ").capitalize()} for i in ids]
    return {"id": pid, "type": kind, "label": label, "options": options}


@functools.cache
def sample_v2() -> PromptSet:
    raw = copy.deepcopy(read_mapping(promptset.version_path(1)))
    raw["version"] = 2
    by_id = {s["id"]: s for s in raw["sections"]}
    born = {
        "any": [
            {"prompt": "child.unborn", "equals": False},
            {"prompt": "child.unborn", "answered": False},
        ]
    }
    child = by_id["child"]["prompts"]
    for p in child:
        if p["id"] == "child.not_yet_mobile":
            p.update(id="child.mobile", label="Can the child crawl or walk on their own?")
    child += [
        _yesno("child.lives_here", "Does the child live at the incident address?"),
        _text(
            "child.tonight_where",
            "Where will the child sleep tonight, and with whom?",
            required=True,
            when=born,
        ),
        _yesno("child.tonight_checked", "Were that person and address checked?", when=born),
        _yesno("child.injury_reported", "Has anyone else reported a mark or injury?"),
    ]
    by_id["voice"]["prompts"].append(
        _choice(
            "voice.disclosure_about",
            "Who did the child say hurt them?",
            ["parent_or_carer", "another_child", "not_said"],
        )
        | {"when": {"prompt": "voice.disclosure", "equals": True}}
    )
    concern = by_id["concern"]
    concern["repeat"] = "children"
    da_prompts = [p for p in concern["prompts"] if p["id"] in DA_IDS]
    concern["prompts"] = [p for p in concern["prompts"] if p["id"] not in DA_IDS]
    for p in da_prompts:
        if p["id"] != "concern.dash_score":
            p.pop("when", None)
    categories = concern["prompts"][0]
    categories["options"].append({"id": "child_on_child", "label": "Abuse by another child"})
    da = {
        "id": "domestic_abuse",
        "title": "Domestic abuse",
        "when": {"prompt": "incident.type", "equals": "domestic_abuse"},
        "prompts": [
            *da_prompts,
            _yesno("concern.da_strangulation", "Any strangulation or suffocation?"),
            _choice("concern.da_risk_level", "Risk level", ["standard", "medium", "high"]),
        ],
    }
    actions = by_id["action"]["prompts"]
    actions[:] = [p for p in actions if p["id"] != "action.encompass_school_told"]
    actions += [
        _text("action.urgent_call_to", "Who did you phone?", "short"),
        {"id": "action.urgent_call_time", "type": "datetime", "label": "When did you phone?"},
        _text("action.urgent_call_agreed", "What was agreed?"),
    ]
    by_id["sharing"]["prompts"] += [
        _choice(
            "sharing.agencies",
            "Who else knows?",
            ["school", "gp", "health_visitor", "none_known"],
            "multi",
        ),
        _text("sharing.agencies_detail", "Names and contact details"),
    ]
    by_id["risk"]["prompts"] += [
        _text("risk.strengths", "What is going well?"),
        _choice(
            "risk.request",
            "What do you ask of social care?",
            ["strategy_discussion", "assessment", "information_only"],
        ),
    ]
    order = ["incident", "gate", "child", "voice", "observed", "concern", "home", "household"]
    rest = [by_id[s] for s in ("action", "sharing", "risk", "declaration")]
    raw["sections"] = [by_id[s] for s in order] + [da] + rest
    return PromptSet.model_validate(raw)


def use_sample_v2(monkeypatch: pytest.MonkeyPatch) -> PromptSet:
    ps = sample_v2()
    real = promptset.load_version

    def load_version(version: int) -> PromptSet:
        return ps if version == 2 else real(version)

    monkeypatch.setattr(promptset, "load_version", load_version)
    return ps
