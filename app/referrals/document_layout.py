"""Where each section of a prompt set goes in the referral document, for any version: the one
layout that both the document (``document_answers``, ``document_v2``) and its generated JSON
Schema (``schema_gen``) follow, so that the two cannot drift apart.

- A section answered once per child (``repeat: children``) goes inside each child's entry,
  under ``CHILD_KEYS`` (``details``, ``voice``, ``observations``, ``concerns``); a list inside
  it (``observed.injuries``) sits at the child's level under its slot (``injuries``).
- Any other section goes at the top level under ``TOP_KEYS`` (``incident``, ``actions``, ...).
- The ``risk`` section's answers join the document's risk object; ``declaration`` is the
  fixed declaration. A section not named here keeps its own id as its key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from app.checklist.promptset import Prompt, PromptSet, PromptType, Section
from app.referrals.document_answers import (
    CHILD_SECTIONS,
    CHILDREN,
    GRADE_PROMPT,
    TOP_SECTIONS,
    slot,
)

TOP_KEYS: Final[Mapping[str, str]] = {**TOP_SECTIONS, "domestic_abuse": "domestic_abuse"}
CHILD_KEYS: Final[Mapping[str, str]] = {**CHILD_SECTIONS, "concern": "concerns"}
RISK: Final = "risk"
DECLARATION: Final = "declaration"
HOUSEHOLD: Final = "household"
ADULTS: Final = "adults"  # household.adults: named again in with_parental_responsibility


@dataclass(frozen=True)
class Place:
    section: Section
    key: str  # the document key its answers go under
    per_child: bool  # inside each child's entry


def places(ps: PromptSet) -> Iterator[Place]:
    """The sections whose answers are document sections, in the prompt set's order."""
    for section in ps.sections:
        if section.id in (RISK, DECLARATION):
            continue
        if section.repeat == CHILDREN:
            yield Place(section, CHILD_KEYS.get(section.id, section.id), True)
        else:
            yield Place(section, TOP_KEYS.get(section.id, section.id), False)


def child_lists(section: Section) -> list[Prompt]:
    """The lists inside a per-child section, shown at the child's level (injuries)."""
    return [p for p in section.prompts if p.type is PromptType.REPEAT]


def risk_answers(ps: PromptSet) -> list[Prompt]:
    """The risk section's answers kept in the document's risk object (the grade is kept as
    ``officer_grade`` with the other grades)."""
    return [p for p in ps.section(RISK).prompts if p.id != GRADE_PROMPT]


def risk_keys(ps: PromptSet) -> list[str]:
    return [slot(p.id)[0] for p in risk_answers(ps)]
