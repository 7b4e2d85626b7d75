"""The prompt-set file: the published v1 holds every id in the domain brief, and a broken file
stops start-up with a message naming the file and the problem."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.checklist import promptset
from app.checklist.promptset import (
    MESSAGE_FIELDS,
    PUBLISHED_VERSIONS,
    PromptSet,
    PromptSetError,
    PromptType,
    load_prompt_set,
    load_version,
    version_path,
)

V1 = version_path(1)
V1_SHA256 = "b4beb6a6e0a9f6db4b1cdcf103c4aba8ac5df09d3af3644ed68c78de09514bc2"

# Every prompt id named in the domain brief, by section, and the product's additions.
BRIEF_IDS = {
    "incident": [
        "incident.log_ref",
        "incident.type",
        "incident.datetime",
        "incident.address",
        "incident.summary",
    ],
    "gate": ["gate.children_present", "gate.pregnancy", "gate.no_child_reason"],
    "child": [
        "child.name",
        "child.dob",
        "child.age_estimate",
        "child.sex",
        "child.address_if_different",
        "child.school",
        "child.language_needs",
        "child.disability_needs",
        "child.known_to_social_care",
        "child.present",
        "child.location_during",
        "child.seen",
        "child.not_seen_reason",
        "child.spoken_to",
        "child.not_spoken_reason",
        "child.spoken_alone",
    ],
    "voice": [
        "voice.words",
        "voice.who_present",
        "voice.wishes_feelings",
        "voice.afraid_to_go_home",
        "voice.disclosure",
        "voice.disclosure_time",
    ],
    "observed": [
        "observed.demeanour",
        "observed.appearance",
        "observed.carer_interaction",
        "observed.injury",
        "observed.injuries",
        "injury.location",
        "injury.size",
        "injury.colour",
        "injury.skin_broken",
        "injury.explanation",
        "observed.medical_needed",
    ],
    "home": [
        "home.conditions",
        "home.sensed",
        "home.carer_capable",
        "home.carer_incapacity",
        "home.care_arranged",
        "home.carer_checks_done",
    ],
    "household": [
        "household.adults",
        "adult.name",
        "adult.dob",
        "adult.relationship",
        "adult.parental_responsibility",
        "adult.lives_there",
        "adult.is_suspect",
        "household.toxic_trio",
        "household.previous_incidents_12m",
    ],
    "concern": [
        "concern.categories",
        "concern.da_abuser_hurt_children",
        "concern.da_child_contact_conflict",
        "concern.dash_completed",
        "concern.dash_score",
        "concern.exploitation_indicators",
        "concern.missing_episodes_90d",
        "concern.found_where",
        "concern.custody_appropriate_adult",
        "concern.custody_hours",
        "concern.custody_self_harm_risk",
        "concern.custody_transfer_to_la",
    ],
    "action": [
        "action.police_protection",
        "action.pp_time",
        "action.pp_place_of_safety",
        "action.pp_designated_officer_informed",
        "action.pp_la_informed",
        "action.pp_child_informed_wishes",
        "action.pp_parents_informed",
        "action.pp_reason",
        "action.taken",
    ],
    "sharing": [
        "sharing.consent_sought",
        "sharing.consent_given",
        "sharing.basis",
        "sharing.basis_reason",
        "sharing.decided_by",
        "sharing.parents_told",
        "sharing.parents_not_told_reason",
    ],
    "risk": ["risk.officer_grade", "risk.rationale", "risk.override_reason"],
    "declaration": [],
}
PRODUCT_IDS = {
    "child": ["child.not_yet_mobile", "child.unborn", "child.due_date"],
    "action": ["action.encompass_school_told"],
    "declaration": ["declaration.confirmed"],
}

BRIEF_OPTIONS = {
    "incident.type": [
        "domestic_abuse",
        "concern_for_welfare",
        "missing_found",
        "crime",
        "custody_arrest",
        "sudden_death",
        "antisocial_behaviour",
        "other",
    ],
    "child.sex": ["female", "male", "other", "not_known"],
    "child.known_to_social_care": ["yes", "no", "unknown"],
    "home.conditions": [
        "unclean",
        "no_food",
        "no_heating",
        "no_safe_sleep",
        "drugs_or_paraphernalia",
        "weapons",
        "dangerous_dogs",
        "exposed_hazards",
        "overcrowded",
        "none_of_these",
    ],
    "home.carer_incapacity": ["intoxicated", "drugs", "mental_health", "absent", "other"],
    "household.toxic_trio": ["domestic_abuse", "substance_misuse", "parental_mental_health"],
    "concern.categories": [
        "physical",
        "emotional",
        "sexual",
        "neglect",
        "domestic_abuse_witnessed",
        "exploitation_sexual",
        "exploitation_criminal",
        "missing",
        "online_harm",
        "fgm_forced_marriage_hba",
        "radicalisation",
        "child_in_custody",
    ],
    "concern.exploitation_indicators": [
        "older_partner",
        "unexplained_gifts_cash_phones",
        "missing_episodes",
        "found_far_from_home",
        "drugs_or_cash_carried",
        "association_with_known_offenders",
    ],
    "action.taken": [
        "alternative_carer",
        "medical_attention",
        "arrest",
        "social_care_called_now",
        "dash_completed",
        "marac_referral",
        "missing_report",
        "school_notified_encompass",
        "none",
    ],
    "sharing.basis": ["risk_of_significant_harm", "safeguarding_of_children", "other"],
    "risk.officer_grade": ["standard", "medium", "high"],
}

BRIEF_TYPES = {
    PromptType.YESNO: [
        "gate.children_present",
        "gate.pregnancy",
        "child.present",
        "child.seen",
        "child.spoken_to",
        "child.spoken_alone",
        "child.not_yet_mobile",
        "child.unborn",
        "voice.afraid_to_go_home",
        "voice.disclosure",
        "observed.injury",
        "injury.skin_broken",
        "observed.medical_needed",
        "home.carer_capable",
        "home.carer_checks_done",
        "adult.parental_responsibility",
        "adult.lives_there",
        "adult.is_suspect",
        "concern.custody_appropriate_adult",
        "concern.custody_self_harm_risk",
        "action.police_protection",
        "action.encompass_school_told",
        "sharing.consent_sought",
        "sharing.consent_given",
        "sharing.parents_told",
        "declaration.confirmed",
    ],
    PromptType.CHOICE: [
        "incident.type",
        "child.sex",
        "child.known_to_social_care",
        "home.carer_incapacity",
        "sharing.basis",
        "risk.officer_grade",
    ],
    PromptType.MULTI: [
        "home.conditions",
        "household.toxic_trio",
        "concern.categories",
        "concern.exploitation_indicators",
        "action.taken",
    ],
    PromptType.NUMBER: [
        "child.age_estimate",
        "household.previous_incidents_12m",
        "concern.dash_score",
        "concern.missing_episodes_90d",
        "concern.custody_hours",
    ],
    PromptType.DATE: ["child.dob", "child.due_date", "adult.dob"],
    PromptType.DATETIME: ["incident.datetime", "voice.disclosure_time", "action.pp_time"],
    PromptType.SHORT: ["incident.log_ref"],
    PromptType.TEXT: [
        "incident.summary",
        "gate.no_child_reason",
        "voice.words",
        "observed.demeanour",
        "home.sensed",
        "sharing.basis_reason",
        "risk.rationale",
        "risk.override_reason",
    ],
    PromptType.REPEAT: ["observed.injuries", "household.adults"],
}

RISK_REASON_CODES = {
    "child_disclosed",
    "baby_injured",
    "abuser_hurt_children",
    "afraid_to_go_home",
    "police_protection",
    "exploitation_indicators",
    "custody_self_harm",
    "fgm_forced_marriage_hba",
    "dash_high",
    "child_not_seen",
    "injury_observed",
    "medical_needed",
    "carer_incapable",
    "toxic_trio",
    "previous_incidents",
    "custody_over_24h",
}


@pytest.fixture(scope="module")
def ps() -> PromptSet:
    return load_version(1)


# --- the published v1 file -----------------------------------------------------------------------


def test_published_versions_are_never_edited() -> None:
    digest = hashlib.sha256(V1.read_bytes()).hexdigest()
    assert digest == V1_SHA256, (
        "think_child_v1.yaml changed: published prompt sets are never edited: "
        "add think_child_v2.yaml instead (and add 2 to PUBLISHED_VERSIONS)"
    )


def test_v1_loads_and_is_what_v1_tests_start_incidents_under(ps: PromptSet) -> None:
    assert PUBLISHED_VERSIONS == (1, 2)
    assert (ps.id, ps.version, ps.title) == ("think_child", 1, "Think Child")
    assert promptset.current() is ps  # pinned to v1 for this module (tests/conftest.py)
    assert load_version(1) is ps  # cached


def test_sections_are_the_twelve_in_order(ps: PromptSet) -> None:
    assert [s.id for s in ps.sections] == list(BRIEF_IDS)
    assert [s.id for s in ps.sections if s.repeat] == ["child", "voice", "observed"]
    assert {s.repeat for s in ps.sections if s.repeat} == {"children"}
    assert ps.section("child").min_items == 1
    gate_yes = ps.section("home").when
    for section in ps.sections[2:]:
        assert section.when == gate_yes, section.id
    assert ps.section("incident").when is None
    assert ps.section("gate").when is None


def test_every_prompt_in_the_brief_is_in_its_section(ps: PromptSet) -> None:
    expected = {pid for ids in (*BRIEF_IDS.values(), *PRODUCT_IDS.values()) for pid in ids}
    assert ps.all_prompt_ids() == expected
    for section_id, ids in BRIEF_IDS.items():
        for pid in ids + PRODUCT_IDS.get(section_id, []):
            assert ps.section_of(pid).id == section_id, pid
    assert "risk.suggested" not in ps.all_prompt_ids()  # computed, never typed


@pytest.mark.parametrize(("prompt_type", "ids"), BRIEF_TYPES.items())
def test_prompt_types_match_the_brief(
    ps: PromptSet, prompt_type: PromptType, ids: list[str]
) -> None:
    for pid in ids:
        assert ps.prompt(pid).type is prompt_type, pid


@pytest.mark.parametrize(("prompt_id", "option_ids"), BRIEF_OPTIONS.items())
def test_option_ids_match_the_brief(ps: PromptSet, prompt_id: str, option_ids: list[str]) -> None:
    assert ps.prompt(prompt_id).option_ids == option_ids


def test_exclusive_options(ps: PromptSet) -> None:
    assert ps.prompt("home.conditions").exclusive == "none_of_these"
    assert ps.prompt("action.taken").exclusive == "none"


def test_repeats_nest_where_the_brief_says(ps: PromptSet) -> None:
    assert ps.scope_of("child.dob") == ("children",)
    assert ps.scope_of("voice.words") == ("children",)
    assert ps.scope_of("injury.size") == ("children", "observed.injuries")
    assert ps.scope_of("adult.name") == ("household.adults",)
    assert ps.scope_of("incident.type") == ()
    assert [p.id for p in ps.prompt("observed.injuries").prompts] == BRIEF_IDS["observed"][5:10]
    assert [p.id for p in ps.prompt("household.adults").prompts] == BRIEF_IDS["household"][1:7]
    assert ps.prompt("observed.injuries").item_label == "injury"
    assert ps.prompt("household.adults").item_label == "adult"


def test_ranges_and_limits(ps: PromptSet) -> None:
    assert (ps.prompt("concern.dash_score").min, ps.prompt("concern.dash_score").max) == (0, 27)
    age = ps.prompt("child.age_estimate")
    assert (age.min, age.max) == (0, 17)
    assert ps.prompt("child.dob").required_unless == "child.age_estimate"
    for pid in ps.all_prompt_ids():
        p = ps.prompt(pid)
        if p.type in (PromptType.TEXT, PromptType.SHORT):
            assert p.max_length is not None, f"{pid} needs a max_length"


def test_disclosure_guidance_and_verbatim_hint(ps: PromptSet) -> None:
    guidance = ps.prompt("voice.disclosure_time").guidance or ""
    for words in ("Do not probe", "exact words", "time", "Preserve evidence", "supervisor"):
        assert words in guidance
    hint = ps.prompt("voice.words").hint or ""
    assert "exact words" in hint
    assert "quotation marks" in hint


def test_risk_markers(ps: PromptSet) -> None:
    high = {p for p in ps.all_prompt_ids() if ps.prompt(p).risk == "high"}
    assert {
        "voice.disclosure",
        "voice.afraid_to_go_home",
        "concern.da_abuser_hurt_children",
        "concern.custody_self_harm_risk",
        "action.police_protection",
    } <= high


def test_risk_reasons_word_exactly_the_engine_codes(ps: PromptSet) -> None:
    assert set(ps.risk_reasons) == RISK_REASON_CODES
    for code, words in ps.risk_reasons.items():
        assert words[0].islower() or words[0].isdigit(), code
        assert not words.endswith("."), code


def test_every_message_is_worded(ps: PromptSet) -> None:
    assert set(ps.messages) == set(MESSAGE_FIELDS)
    dob = ps.prompt("child.dob")
    assert ps.message("date", dob) == (
        "Enter the child's date of birth as a real date, for example 27/3/2019"
    )
    summary = ps.prompt("incident.summary")
    assert ps.message("too_long", summary, max_length=5000) == (
        'Your answer to "What happened" must be 5000 characters or fewer'
    )
    assert ps.message("child_over_18", dob).startswith("A child entry must be under 18.")


def test_prompt_and_section_lookup_of_unknown_ids(ps: PromptSet) -> None:
    with pytest.raises(KeyError, match=r"nope\.nope"):
        ps.prompt("nope.nope")
    with pytest.raises(KeyError, match="nope"):
        ps.section("nope")


def test_an_unpublished_version_is_refused() -> None:
    with pytest.raises(PromptSetError, match="version 99 is not published"):
        load_version(99)


# --- a broken file stops start-up ----------------------------------------------------------------

MESSAGES: dict[str, str] = yaml.safe_load(V1.read_text(encoding="utf-8"))["messages"]


def minimal() -> dict[str, Any]:
    """A small valid prompt set to break in one place."""
    return copy.deepcopy(
        {
            "id": "think_child",
            "version": 7,
            "title": "Test",
            "risk_reasons": {"child_disclosed": "the child disclosed abuse"},
            "messages": MESSAGES,
            "sections": [
                {
                    "id": "gate",
                    "title": "Gate",
                    "prompts": [
                        {"id": "gate.any", "type": "yesno", "label": "Any child?"},
                        {
                            "id": "gate.kind",
                            "type": "choice",
                            "label": "Kind",
                            "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                            "when": {"prompt": "gate.any", "equals": True},
                        },
                    ],
                },
                {
                    "id": "child",
                    "title": "Child",
                    "repeat": "children",
                    "when": {"prompt": "gate.any", "equals": True},
                    "prompts": [
                        {"id": "child.name", "type": "short", "label": "Name"},
                        {
                            "id": "child.hurt",
                            "type": "yesno",
                            "label": "Hurt?",
                            "when": {"prompt": "child.name", "answered": True},
                        },
                    ],
                },
            ],
        }
    )


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "think_child_v7.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, data: dict[str, Any] | str) -> str:
    path = write(tmp_path, data)
    with pytest.raises(PromptSetError) as caught:
        load_prompt_set(path)
    message = str(caught.value)
    assert str(path) in message, "the message names the file"
    assert caught.value.path == path
    return message


def test_the_minimal_set_loads(tmp_path: Path) -> None:
    ps = load_prompt_set(write(tmp_path, minimal()))
    assert ps.all_prompt_ids() == {"gate.any", "gate.kind", "child.name", "child.hurt"}


def test_malformed_yaml(tmp_path: Path) -> None:
    message = refusal(tmp_path, "id: think_child\nsections: [\n  - id: gate\n")
    assert "is not valid YAML" in message
    assert "line" in message


def test_a_key_repeated_in_one_mapping(tmp_path: Path) -> None:
    text = yaml.safe_dump(minimal(), sort_keys=False) + "title: Again\n"
    assert "found key 'title' twice" in refusal(tmp_path, text)


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert "must be a YAML mapping" in refusal(tmp_path, "- just\n- a list\n")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PromptSetError, match="cannot be read"):
        load_prompt_set(tmp_path / "nope.yaml")


def test_duplicate_prompt_id(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][1]["prompts"][1]["id"] = "gate.any"
    assert "duplicate prompt id 'gate.any'" in refusal(tmp_path, data)


def test_duplicate_prompt_id_inside_a_repeat(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][1]["prompts"].append(
        {
            "id": "child.marks",
            "type": "repeat",
            "label": "Marks",
            "item_label": "mark",
            "prompts": [{"id": "child.name", "type": "short", "label": "Again"}],
        }
    )
    assert "duplicate prompt id 'child.name'" in refusal(tmp_path, data)


def test_condition_naming_an_unknown_prompt(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["when"] = {"prompt": "gate.nope", "equals": True}
    message = refusal(tmp_path, data)
    assert "the condition of prompt 'gate.kind' names unknown prompt 'gate.nope'" in message


def test_section_condition_naming_an_unknown_prompt(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][1]["when"] = {"any": [{"prompt": "gate.gone", "equals": True}]}
    assert "section 'child' names unknown prompt 'gate.gone'" in refusal(tmp_path, data)


def test_condition_using_an_option_the_prompt_lacks(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][1]["prompts"][1]["when"] = {"prompt": "gate.kind", "in": ["a", "c"]}
    message = refusal(tmp_path, data)
    assert "uses option 'c', which prompt 'gate.kind' does not have (a, b)" in message


def test_condition_comparing_a_yesno_with_text(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["when"] = {"prompt": "gate.any", "equals": "yes"}
    assert "compares yes/no prompt 'gate.any' with 'yes'" in refusal(tmp_path, data)


def test_condition_looking_forward(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][0]["when"] = {"prompt": "gate.kind", "equals": "a"}
    assert "names prompt 'gate.kind', which does not come before it" in refusal(tmp_path, data)


def test_condition_naming_itself(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["when"] = {"prompt": "gate.kind", "answered": True}
    assert "names prompt 'gate.kind', which does not come before it" in refusal(tmp_path, data)


def test_condition_reaching_into_a_repeat_from_outside(tmp_path: Path) -> None:
    data = minimal()
    data["sections"].append(
        {
            "id": "home",
            "title": "Home",
            "prompts": [
                {
                    "id": "home.note",
                    "type": "text",
                    "label": "Note",
                    "when": {"prompt": "injury.size", "answered": True},
                }
            ],
        }
    )
    data["sections"][1]["prompts"].append(
        {
            "id": "child.injuries",
            "type": "repeat",
            "label": "Injuries",
            "item_label": "injury",
            "prompts": [{"id": "injury.size", "type": "short", "label": "Size"}],
        }
    )
    assert "inside repeat 'child.injuries' and out of reach" in refusal(tmp_path, data)


def test_a_top_level_condition_may_name_a_per_child_prompt(tmp_path: Path) -> None:
    """It holds when it holds for any child (the v2 contract): the loader accepts it."""
    data = minimal()
    data["sections"].append(
        {
            "id": "home",
            "title": "Home",
            "when": {"prompt": "child.hurt", "equals": True},
            "prompts": [
                {
                    "id": "home.note",
                    "type": "text",
                    "label": "Note",
                    "when": {"none": [{"prompt": "child.hurt", "equals": False}]},
                }
            ],
        }
    )
    ps = load_prompt_set(write(tmp_path, data))
    assert ps.section("home").when is not None


@pytest.mark.parametrize(
    ("field", "where"),
    [("label", "prompts[1] 'gate.kind' > label"), ("type", "prompts[1] 'gate.kind' > type")],
)
def test_missing_required_field(tmp_path: Path, field: str, where: str) -> None:
    data = minimal()
    del data["sections"][0]["prompts"][1][field]
    message = refusal(tmp_path, data)
    assert where in message
    assert "Field required" in message


def test_missing_top_level_field(tmp_path: Path) -> None:
    data = minimal()
    del data["messages"]
    assert "messages: Field required" in refusal(tmp_path, data)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "maybe"}, "type: Input should be 'yesno'"),
        ({"colour": "red"}, "colour: Extra inputs are not permitted"),
        ({"required": "yes"}, "required: Input should be a valid boolean"),
        ({"options": []}, "a choice prompt needs options"),
        ({"exclusive": "a"}, "only a multi prompt has an exclusive option"),
        ({"max_length": 10}, "only text and short prompts have max_length"),
        ({"min": 1}, "only number prompts have min and max"),
        ({"when": {"prompt": "gate.any"}}, "exactly one of equals, in or answered"),
        ({"when": {"prompt": "gate.any", "equals": True, "answered": True}}, "exactly one"),
        ({"when": {"all": []}}, "List should have at least 1 item"),
        ({"when": "gate.any"}, "a condition is {prompt, equals|in|answered}"),
        ({"required_unless": "gate.nope"}, "the required_unless of prompt"),
        ({"messages": {"choice": "Pick {colour}"}}, "message 'choice' uses a field it cannot"),
        ({"messages": {"shout": "No"}}, "unknown message 'shout'"),
        (
            {"options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
            "option ids repeat: a",
        ),
    ],
)
def test_schema_errors_name_the_prompt(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1].update(change)
    message = refusal(tmp_path, data)
    assert expected in message
    assert "'gate.kind'" in message


def test_a_malformed_prompt_id(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["id"] = "Gate Kind"
    message = refusal(tmp_path, data)
    assert "sections[0] 'gate' > prompts[1] 'Gate Kind' > id: String should match" in message


def test_required_unless_out_of_reach(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][0]["required_unless"] = "child.name"
    message = refusal(tmp_path, data)
    assert "the required_unless of prompt 'gate.any' names prompt 'child.name'" in message
    assert "out of reach" in message


def test_exclusive_must_be_an_option(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1].update({"type": "multi", "exclusive": "z"})
    assert "exclusive option 'z' is not one of its options" in refusal(tmp_path, data)


def test_a_repeat_prompt_needs_prompts_and_an_item_label(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][1]["prompts"].append({"id": "child.marks", "type": "repeat", "label": "M"})
    assert "a repeat prompt needs prompts and an item_label" in refusal(tmp_path, data)


def test_a_message_with_no_wording(tmp_path: Path) -> None:
    data = minimal()
    del data["messages"]["date"]
    assert "messages has no wording for 'date'" in refusal(tmp_path, data)


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["when"] = {"prompt": "gate.nope", "equals": True}
    data["sections"].append(
        {
            "id": "gate",
            "title": "Again",
            "prompts": [{"id": "gate.x", "type": "yesno", "label": "X"}],
        }
    )
    message = refusal(tmp_path, data)
    assert "has 2 problems:\n  - " in message
    assert "duplicate section id 'gate'" in message
    assert "names unknown prompt 'gate.nope'" in message


def test_several_schema_problems_are_listed_together(tmp_path: Path) -> None:
    data = minimal()
    data["sections"][0]["prompts"][1]["options"][1]["id"] = "a"
    del data["sections"][1]["prompts"][0]["label"]
    message = refusal(tmp_path, data)
    assert "has 2 problems:\n  - " in message
    assert "prompts[1] 'gate.kind': option ids repeat: a" in message
    assert "sections[1] 'child' > prompts[0] 'child.name' > label: Field required" in message


def test_what_the_engine_derives_from_a_set_is_built_once() -> None:
    from app.checklist.answers import items

    ps = promptset.load_version(1)
    calls: list[int] = []

    def build(p: promptset.PromptSet) -> list[str]:
        calls.append(1)
        return [s.id for s in p.sections]

    first, second = ps.derived(build), ps.derived(build)
    assert first is second and len(calls) == 1
    assert items.list_keys(ps) is items.list_keys(ps)
    assert items.list_keys(ps) == items._list_keys(ps)  # the same as built afresh
