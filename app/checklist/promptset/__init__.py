"""The Think Child prompt set: versioned YAML data, validated by pydantic at start-up.

The file format (see ``prompts/think_child_v1.yaml``): sections in order, each with prompts; a
prompt has an id, a type, a label and optional hint, guidance, options, limits and a ``when``
condition. Conditions are data, not an expression language: ``{prompt, equals}``,
``{prompt, in}``, ``{prompt, answered}``, or one level of ``{all: [...]}`` / ``{any: [...]}`` /
``{none: [...]}``. A condition at the top level may name a per-child prompt: it holds when it
holds for any child. A prompt of ``type: guidance`` is a card of words, never answered.

Sections ``child``, ``voice`` and ``observed`` set ``repeat: children``: their prompts are
answered once per child, inside each item of ``answers["children"]``. A prompt of type
``repeat`` (``household.adults``, ``observed.injuries``) holds a list of items the same way.

This module holds the set itself and the published versions. The parts of a set (sections,
prompts, conditions) are in ``app.checklist.promptset.model``, the checks across the whole
set in ``app.checklist.promptset.index`` and reading the YAML file in
``app.checklist.promptset.loader``; their public names can be imported from here too.

What the answers mean (visibility, pruning, value checks, missing answers) lives in
``app.checklist.answers``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Self, TypeVar

from pydantic import Field, PositiveInt, PrivateAttr, ValidationError, model_validator

from app.checklist.promptset.index import (
    MESSAGE_FIELDS,
    PromptIndex,
    build_index,
    index_problems,
)
from app.checklist.promptset.loader import PromptSetError, read_mapping, schema_problems
from app.checklist.promptset.model import (
    AllOf,
    AnyOf,
    Check,
    Name,
    NoneOf,
    Number,
    Option,
    Prompt,
    PromptId,
    PromptSetModel,
    PromptType,
    Section,
    Text,
    Value,
    When,
    checks_of,
)

__all__ = [
    "MESSAGE_FIELDS",
    "PROMPTS_DIR",
    "PROMPT_SET_ID",
    "PUBLISHED_VERSIONS",
    "AllOf",
    "AnyOf",
    "Check",
    "Name",
    "NoneOf",
    "Number",
    "Option",
    "Prompt",
    "PromptId",
    "PromptSet",
    "PromptSetError",
    "PromptType",
    "Section",
    "Text",
    "Value",
    "When",
    "checks_of",
    "current",
    "load_prompt_set",
    "load_version",
    "version_path",
]

PROMPTS_DIR: Final = Path(__file__).resolve().parent.parent / "prompts"
PUBLISHED_VERSIONS: Final[tuple[int, ...]] = (1, 2)
PROMPT_SET_ID: Final = "think_child"
T = TypeVar("T")


class PromptSet(PromptSetModel):
    id: Text
    version: PositiveInt
    title: Text
    # Holder for YAML anchors (`&name`) that prompts reuse; the engine does not read it.
    conditions: list[When] = Field(default_factory=list)
    # v1 words its risk reasons here; later versions word them with their rules (risk/words_*).
    risk_reasons: dict[Name, Text] = Field(default_factory=dict)
    messages: dict[str, Text]
    sections: list[Section] = Field(min_length=1)

    _index: PromptIndex = PrivateAttr()
    _derived: dict[Callable[[Any], Any], Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _cross_check(self) -> Self:
        index = build_index(self.sections)
        problems = list(index_problems(self, index))
        if problems:
            raise ValueError("\n".join(problems))
        self._index = index
        return self

    def derived(self, build: Callable[[PromptSet], T]) -> T:
        """What ``build`` makes of this set (a structure the engine walks answers by), made
        once rather than on every save: a prompt set does not change once loaded."""
        try:
            found: T = self._derived[build]
        except KeyError:
            found = self._derived[build] = build(self)
        return found

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"no section {section_id!r} in prompt set {self.id} v{self.version}")

    def prompt(self, prompt_id: str) -> Prompt:
        try:
            return self._index.prompts[prompt_id]
        except KeyError:
            raise KeyError(
                f"no prompt {prompt_id!r} in prompt set {self.id} v{self.version}"
            ) from None

    def all_prompt_ids(self) -> set[str]:
        return set(self._index.prompts)

    def section_of(self, prompt_id: str) -> Section:
        """The section a prompt (at any depth) belongs to."""
        return self._index.sections[prompt_id]

    def scope_of(self, prompt_id: str) -> tuple[str, ...]:
        """The repeats a prompt sits in, outermost first: ``("children", "observed.injuries")``."""
        return self._index.scopes[prompt_id]

    @property
    def top_prompts(self) -> Mapping[str, Prompt]:
        """Prompts answered at the top level of the answers (not inside a repeat item)."""
        return self._index.top

    @property
    def repeat_sections(self) -> Mapping[str, tuple[Section, ...]]:
        """Top-level list keys (``children``) and the sections answered in each item."""
        return self._index.repeats

    def max_items(self, key: str) -> int:
        """The most items the list ``key`` (``children``, a repeat prompt's id) may hold."""
        own = (
            next((s.max_items for s in self.repeat_sections[key] if s.max_items), None)
            if key in self.repeat_sections
            else self.prompt(key).max_items
        )
        limits = list_limits()
        return own or int(limits["max_items"].get(key, limits["default_max_items"]))

    def too_many_items(self, key: str, label: str) -> str:
        """The message for a list longer than its cap."""
        template = (
            self.messages.get("too_many_items") or list_limits()["messages"]["too_many_items"]
        )
        return str(template).format(max_items=self.max_items(key), label=label)

    def message(self, kind: str, prompt: Prompt | None = None, **fields: object) -> str:
        """An error message: the prompt's own wording for ``kind`` if it has one, else the set's."""
        template = (prompt.messages.get(kind) if prompt else None) or self.messages[kind]
        values: dict[str, object] = {"label": prompt.label if prompt else ""}
        values.update(fields)
        return template.format(**values)


# --- loading -----------------------------------------------------------------------------------


def load_prompt_set(path: Path) -> PromptSet:
    """Read and validate a prompt-set file. Raises PromptSetError naming the file and problems."""
    raw = read_mapping(path)
    try:
        return PromptSet.model_validate(raw)
    except ValidationError as e:
        raise PromptSetError(path, schema_problems(raw, e)) from e


def version_path(version: int) -> Path:
    return PROMPTS_DIR / f"{PROMPT_SET_ID}_v{version}.yaml"


@functools.cache
def list_limits() -> dict[str, Any]:
    """The caps on list lengths (``prompts/limits.yaml``)."""
    return read_mapping(PROMPTS_DIR / "limits.yaml")


@functools.cache
def load_version(version: int) -> PromptSet:
    """A published prompt set by version number (loaded once, then cached)."""
    path = version_path(version)
    if version not in PUBLISHED_VERSIONS:
        published = ", ".join(map(str, PUBLISHED_VERSIONS))
        raise PromptSetError(path, [f"version {version} is not published (published: {published})"])
    ps = load_prompt_set(path)
    if ps.id != PROMPT_SET_ID or ps.version != version:
        raise PromptSetError(
            path, [f"holds {ps.id} version {ps.version}, not {PROMPT_SET_ID} version {version}"]
        )
    return ps


def current() -> PromptSet:
    """The latest published prompt set: the one new referrals are answered under."""
    return load_version(max(PUBLISHED_VERSIONS))
