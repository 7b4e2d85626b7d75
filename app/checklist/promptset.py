"""The Think Child prompt set: versioned YAML data, validated by pydantic at start-up.

The file format (see ``prompts/think_child_v1.yaml``): sections in order, each with prompts; a
prompt has an id, a type, a label and optional hint, guidance, options, limits and a ``when``
condition. Conditions are data, not an expression language: ``{prompt, equals}``,
``{prompt, in}``, ``{prompt, answered}``, or one level of ``{all: [...]}`` / ``{any: [...]}``.

Sections ``child``, ``voice`` and ``observed`` set ``repeat: children``: their prompts are
answered once per child, inside each item of ``answers["children"]``. A prompt of type
``repeat`` (``household.adults``, ``observed.injuries``) holds a list of items the same way.

What the answers mean (visibility, pruning, value checks, missing answers) lives in
``app.checklist.answers``.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeInt,
    PositiveInt,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
    model_validator,
)

PROMPTS_DIR: Final = Path(__file__).resolve().parent / "prompts"
PUBLISHED_VERSIONS: Final[tuple[int, ...]] = (1,)
PROMPT_SET_ID: Final = "think_child"

# Each error message the engine can show, with the fields its template may use.
MESSAGE_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "required": frozenset({"label"}),
    "too_few_items": frozenset({"label", "item_label", "min_items"}),
    "yesno": frozenset({"label"}),
    "choice": frozenset({"label"}),
    "multi": frozenset({"label"}),
    "exclusive": frozenset({"label", "option"}),
    "text": frozenset({"label"}),
    "too_long": frozenset({"label", "max_length"}),
    "date": frozenset({"label"}),
    "datetime": frozenset({"label"}),
    "number": frozenset({"label"}),
    "too_small": frozenset({"label", "min"}),
    "too_big": frozenset({"label", "max"}),
    "date_in_future": frozenset({"label"}),
    "child_over_18": frozenset({"label"}),
    "repeat": frozenset({"label"}),
}

PromptId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # option, section and repeat ids
Text = Annotated[StrictStr, Field(min_length=1)]
Value = StrictBool | StrictInt | StrictFloat | StrictStr
Number = StrictInt | StrictFloat


class PromptSetError(Exception):
    """The prompt-set file cannot be used. The message names the file and each problem."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = f"prompt set {path}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"prompt set {path} has {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


class PromptType(StrEnum):
    YESNO = "yesno"
    CHOICE = "choice"
    MULTI = "multi"
    TEXT = "text"
    SHORT = "short"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    REPEAT = "repeat"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )


class Option(_Model):
    id: Name
    label: Text


class Check(_Model):
    """One test of one answer: ``equals`` a value, ``in`` a list, or ``answered`` (yes/no)."""

    prompt: PromptId
    equals: Value | None = None
    in_: list[Value] | None = Field(default=None, alias="in", min_length=1)
    answered: StrictBool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        if sum(x is not None for x in (self.equals, self.in_, self.answered)) != 1:
            raise ValueError("a condition needs exactly one of equals, in or answered")
        return self

    @property
    def values(self) -> list[Value]:
        """The values compared against (none for ``answered``)."""
        if self.equals is not None:
            return [self.equals]
        return list(self.in_ or [])


class AllOf(_Model):
    all_: list[Check] = Field(alias="all", min_length=1)


class AnyOf(_Model):
    any_: list[Check] = Field(alias="any", min_length=1)


_TAGS: Final = frozenset({"single", "all_of", "any_of"})


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return "all_of" if "all" in value else "any_of" if "any" in value else "single"
    if isinstance(value, Check | AllOf | AnyOf):
        return {Check: "single", AllOf: "all_of", AnyOf: "any_of"}[type(value)]
    return None


When = Annotated[
    Annotated[Check, Tag("single")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is {prompt, equals|in|answered}, {all} or {any}",
    ),
]


def checks_of(when: When) -> list[Check]:
    """The single checks a condition is made of."""
    if isinstance(when, AllOf):
        return list(when.all_)
    if isinstance(when, AnyOf):
        return list(when.any_)
    return [when]


class Prompt(_Model):
    id: PromptId
    type: PromptType
    label: Text
    hint: Text | None = None
    guidance: Text | None = None
    required: StrictBool = False
    required_unless: PromptId | None = None
    options: list[Option] = Field(default_factory=list)
    exclusive: Name | None = None
    min: Number | None = None
    max: Number | None = None
    max_length: PositiveInt | None = None
    when: When | None = None
    risk: Literal["medium", "high"] | None = None
    sensitive: StrictBool = False
    item_label: Text | None = None
    min_items: NonNegativeInt = 0
    prompts: list[Prompt] = Field(default_factory=list)
    messages: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fits_type(self) -> Self:
        problems = list(_type_problems(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]


def _type_problems(p: Prompt) -> Iterator[str]:
    t = p.type
    if t in (PromptType.CHOICE, PromptType.MULTI):
        if not p.options:
            yield f"a {t} prompt needs options"
        repeated = sorted({i for i in p.option_ids if p.option_ids.count(i) > 1})
        if repeated:
            yield f"option ids repeat: {', '.join(repeated)}"
    elif p.options:
        yield "only choice and multi prompts have options"
    if p.exclusive is not None:
        if t is not PromptType.MULTI:
            yield "only a multi prompt has an exclusive option"
        elif p.exclusive not in p.option_ids:
            yield f"exclusive option {p.exclusive!r} is not one of its options"
    if (p.min is not None or p.max is not None) and t is not PromptType.NUMBER:
        yield "only number prompts have min and max"
    if p.min is not None and p.max is not None and p.min > p.max:
        yield "min is more than max"
    if p.max_length is not None and t not in (PromptType.TEXT, PromptType.SHORT):
        yield "only text and short prompts have max_length"
    if t is PromptType.REPEAT:
        if not p.prompts or p.item_label is None:
            yield "a repeat prompt needs prompts and an item_label"
        if p.required_unless is not None:
            yield "a repeat prompt cannot have required_unless"
    elif p.prompts or p.item_label is not None or p.min_items:
        yield "only repeat prompts have prompts, item_label and min_items"


class Section(_Model):
    id: Name
    title: Text
    intro: Text | None = None
    repeat: Name | None = None
    item_label: Text | None = None
    min_items: NonNegativeInt = 0
    when: When | None = None
    prompts: list[Prompt] = Field(min_length=1)

    @model_validator(mode="after")
    def _repeat_fields(self) -> Self:
        if self.repeat is None and (self.item_label is not None or self.min_items):
            raise ValueError("only a section with repeat has item_label and min_items")
        return self


@dataclass(frozen=True)
class _Index:
    prompts: dict[str, Prompt]  # every prompt, at any depth
    scopes: dict[str, tuple[str, ...]]  # prompt id -> the repeats it sits in, outermost first
    sections: dict[str, Section]  # prompt id -> its section
    top: dict[str, Prompt]  # top-level answer keys that are prompts
    repeats: dict[str, tuple[Section, ...]]  # section repeat key (children) -> its sections


class PromptSet(_Model):
    id: Text
    version: PositiveInt
    title: Text
    # Holder for YAML anchors (`&name`) that prompts reuse; the engine does not read it.
    conditions: list[When] = Field(default_factory=list)
    risk_reasons: dict[Name, Text]
    messages: dict[str, Text]
    sections: list[Section] = Field(min_length=1)

    _index: _Index = PrivateAttr()

    @model_validator(mode="after")
    def _cross_check(self) -> Self:
        index = _build_index(self.sections)
        problems = list(_index_problems(self, index))
        if problems:
            raise ValueError("\n".join(problems))
        self._index = index
        return self

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

    def message(self, kind: str, prompt: Prompt | None = None, **fields: object) -> str:
        """An error message: the prompt's own wording for ``kind`` if it has one, else the set's."""
        template = (prompt.messages.get(kind) if prompt else None) or self.messages[kind]
        values: dict[str, object] = {"label": prompt.label if prompt else ""}
        values.update(fields)
        return template.format(**values)


def _walk(
    prompts: Sequence[Prompt], scope: tuple[str, ...]
) -> Iterator[tuple[Prompt, tuple[str, ...]]]:
    for p in prompts:
        yield p, scope
        yield from _walk(p.prompts, (*scope, p.id))


def _build_index(sections: Sequence[Section]) -> _Index:
    prompts: dict[str, Prompt] = {}
    scopes: dict[str, tuple[str, ...]] = {}
    owner: dict[str, Section] = {}
    top: dict[str, Prompt] = {}
    repeats: dict[str, list[Section]] = {}
    for section in sections:
        base: tuple[str, ...] = (section.repeat,) if section.repeat else ()
        if section.repeat:
            repeats.setdefault(section.repeat, []).append(section)
        else:
            top.update((p.id, p) for p in section.prompts)
        for p, scope in _walk(section.prompts, base):
            prompts.setdefault(p.id, p)
            scopes.setdefault(p.id, scope)
            owner.setdefault(p.id, section)
    return _Index(prompts, scopes, owner, top, {k: tuple(v) for k, v in repeats.items()})


def _index_problems(ps: PromptSet, index: _Index) -> Iterator[str]:
    section_ids = [s.id for s in ps.sections]
    for sid in sorted({s for s in section_ids if section_ids.count(s) > 1}):
        yield f"duplicate section id {sid!r}"
    seen: set[str] = set()
    for section in ps.sections:
        for p, _ in _walk(section.prompts, ()):
            if p.id in seen:
                yield f"duplicate prompt id {p.id!r}"
            seen.add(p.id)
    for n, when in enumerate(ps.conditions):
        yield from _condition_problems(when, f"shared condition {n + 1}", None, None, index)
    for section in ps.sections:
        if section.when is not None:
            first = section.prompts[0].id
            yield from _condition_problems(
                section.when, f"section {section.id!r}", first, (), index
            )
        for p, _ in _walk(section.prompts, ()):
            where, scope = f"prompt {p.id!r}", index.scopes.get(p.id, ())
            if p.when is not None:
                yield from _condition_problems(p.when, where, p.id, scope, index)
            if p.required_unless is not None:
                what = f"the required_unless of {where}"
                yield from _reference_problems(p.required_unless, what, None, scope, index)
            yield from _message_problems(p.messages, where, known_only=True)
    yield from _message_problems(ps.messages, "messages", known_only=False)


def _reference_problems(
    target: str, where: str, before: str | None, scope: tuple[str, ...] | None, index: _Index
) -> Iterator[str]:
    """``target`` must exist, be within reach of ``scope`` (the same or an enclosing repeat, or
    the top level) and, for a condition, come before ``before`` (so one pass in screen order
    decides what shows)."""
    order = list(index.prompts)
    if target not in index.prompts:
        yield f"{where} names unknown prompt {target!r}"
    elif scope is not None and scope[: len(index.scopes[target])] != index.scopes[target]:
        inside = index.scopes[target][-1]
        yield f"{where} names prompt {target!r}, which is inside repeat {inside!r} and out of reach"
    elif before is not None and order.index(target) >= order.index(before):
        yield f"{where} names prompt {target!r}, which does not come before it"


def _condition_problems(
    when: When, where: str, before: str | None, scope: tuple[str, ...] | None, index: _Index
) -> Iterator[str]:
    for check in checks_of(when):
        problems = list(
            _reference_problems(check.prompt, f"the condition of {where}", before, scope, index)
        )
        yield from problems
        if problems:
            continue
        target = index.prompts[check.prompt]
        for value in check.values:
            problem = _value_problem(target, value)
            if problem:
                yield f"the condition of {where} {problem}"


def _value_problem(target: Prompt, value: Value) -> str | None:
    t = target.type
    if t in (PromptType.CHOICE, PromptType.MULTI):
        if value not in target.option_ids:
            known = ", ".join(target.option_ids)
            return f"uses option {value!r}, which prompt {target.id!r} does not have ({known})"
    elif t is PromptType.YESNO:
        if not isinstance(value, bool):
            return f"compares yes/no prompt {target.id!r} with {value!r}, not true or false"
    elif t is PromptType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"compares number prompt {target.id!r} with {value!r}, not a number"
    elif t is PromptType.REPEAT:
        return f"can only test whether the list {target.id!r} is answered"
    elif not isinstance(value, str):
        return f"compares {t} prompt {target.id!r} with {value!r}, not text"
    return None


def _message_problems(
    messages: Mapping[str, str], where: str, *, known_only: bool
) -> Iterator[str]:
    if not known_only:
        for kind in sorted(set(MESSAGE_FIELDS) - set(messages)):
            yield f"{where} has no wording for {kind!r}"
    for kind, template in messages.items():
        if kind not in MESSAGE_FIELDS:
            yield f"{where} has unknown message {kind!r} (known: {', '.join(MESSAGE_FIELDS)})"
            continue
        try:
            template.format(**dict.fromkeys(MESSAGE_FIELDS[kind], "x"))
        except (KeyError, IndexError, ValueError) as e:
            allowed = ", ".join(sorted(MESSAGE_FIELDS[kind]))
            yield f"{where}: message {kind!r} uses a field it cannot ({e}); it may use {allowed}"


# --- loading -----------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base loader refuses it with its own message
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _where(raw: Any, loc: Sequence[int | str]) -> str:
    """Where a pydantic error is: ``sections[2] 'child' > prompts[3] 'child.dob' > when``."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            label = f"[{part}]" + (f" {ident!r}" if isinstance(ident, str) else "")
            parts[-1:] = [(parts[-1] if parts else "") + label]
        elif isinstance(node, dict) and part in node:
            node = node[part]
            parts.append(str(part))
        elif part not in _TAGS:
            node = None
            parts.append(str(part))
    return " > ".join(parts)


def _schema_problems(raw: Any, error: ValidationError) -> list[str]:
    problems: list[str] = []
    for e in error.errors(include_url=False):
        cause = e.get("ctx", {}).get("error")
        message = str(cause) if e["type"] == "value_error" and cause is not None else e["msg"]
        where = _where(raw, e["loc"])
        problems.extend(f"{where}: {line}" if where else line for line in message.splitlines())
    return problems


def load_prompt_set(path: Path) -> PromptSet:
    """Read and validate a prompt-set file. Raises PromptSetError naming the file and problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptSetError(path, [f"cannot be read ({e})"]) from e
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        raise PromptSetError(path, [f"is not valid YAML: {e}"]) from e
    if not isinstance(raw, dict):
        raise PromptSetError(path, ["must be a YAML mapping with id, version, title and sections"])
    try:
        return PromptSet.model_validate(raw)
    except ValidationError as e:
        raise PromptSetError(path, _schema_problems(raw, e)) from e


def version_path(version: int) -> Path:
    return PROMPTS_DIR / f"{PROMPT_SET_ID}_v{version}.yaml"


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
