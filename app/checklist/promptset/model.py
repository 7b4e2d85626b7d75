"""The parts a prompt set is made of: sections, prompts, their options and ``when`` conditions.

Each part checks itself (a prompt's fields fit its type, a condition has exactly one test).
Checks across the whole set (ids, references, message wording) are in
``app.checklist.promptset.index``; the set itself is ``app.checklist.promptset.PromptSet``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeInt,
    PositiveInt,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

PromptId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # option, section and repeat ids
Text = Annotated[StrictStr, Field(min_length=1)]
Value = StrictBool | StrictInt | StrictFloat | StrictStr
Number = StrictInt | StrictFloat


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
    GUIDANCE = "guidance"  # a card of words shown on a screen: never answered, never required


class PromptSetModel(BaseModel):
    """The base of every prompt-set model: unknown keys refused, frozen, fields by name or
    alias."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )


class Option(PromptSetModel):
    id: Name
    label: Text


class Check(PromptSetModel):
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


class AllOf(PromptSetModel):
    all_: list[Check] = Field(alias="all", min_length=1)


class AnyOf(PromptSetModel):
    any_: list[Check] = Field(alias="any", min_length=1)


class NoneOf(PromptSetModel):
    """Holds when none of its checks holds."""

    none_: list[Check] = Field(alias="none", min_length=1)


# The tags pydantic puts in an error's location when it names the kind of condition.
CONDITION_TAGS: Final = frozenset({"single", "all_of", "any_of", "none_of"})


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key, tag in (("all", "all_of"), ("any", "any_of"), ("none", "none_of")):
            if key in value:
                return tag
        return "single"
    if isinstance(value, Check | AllOf | AnyOf | NoneOf):
        return {Check: "single", AllOf: "all_of", AnyOf: "any_of", NoneOf: "none_of"}[type(value)]
    return None


When = Annotated[
    Annotated[Check, Tag("single")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")]
    | Annotated[NoneOf, Tag("none_of")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition is {prompt, equals|in|answered}, {all}, {any} or {none}",
    ),
]


def checks_of(when: When) -> list[Check]:
    """The single checks a condition is made of."""
    if isinstance(when, AllOf):
        return list(when.all_)
    if isinstance(when, AnyOf):
        return list(when.any_)
    if isinstance(when, NoneOf):
        return list(when.none_)
    return [when]


class Prompt(PromptSetModel):
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
    max_items: PositiveInt | None = None
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
    if t is PromptType.GUIDANCE:
        yield from _guidance_problems(p)
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
    elif p.prompts or p.item_label is not None or p.min_items or p.max_items:
        yield "only repeat prompts have prompts, item_label, min_items and max_items"


def _guidance_problems(p: Prompt) -> Iterator[str]:
    """A guidance card has words (``guidance``) and may have a ``when``; nothing answerable."""
    if p.guidance is None:
        yield "a guidance item needs guidance (its words)"
    answerable = (
        p.required,
        p.required_unless is not None,
        p.risk is not None,
        p.sensitive,
        p.max_length is not None,
        bool(p.messages),
        p.hint is not None,
    )
    if any(answerable):
        yield ("a guidance item is never answered: it has only id, type, label, guidance and when")


class Section(PromptSetModel):
    id: Name
    title: Text
    intro: Text | None = None
    repeat: Name | None = None
    item_label: Text | None = None
    min_items: NonNegativeInt = 0
    max_items: PositiveInt | None = None
    when: When | None = None
    prompts: list[Prompt] = Field(min_length=1)

    @model_validator(mode="after")
    def _repeat_fields(self) -> Self:
        if self.repeat is None and (
            self.item_label is not None or self.min_items or self.max_items
        ):
            raise ValueError("only a section with repeat has item_label, min_items and max_items")
        return self
