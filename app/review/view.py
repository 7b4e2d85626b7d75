"""What the supervisor reads first on the review page: the referral's key facts (the grade with
its reasons and the officer's rationale, then each child: seen, spoken to, alone, their words).
Built from the frozen answers of the version under review, for either prompt set version: a
question the version does not have is left out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.checklist import view as answer_view
from app.checklist.answers import has_answer
from app.checklist.promptset import PromptSet
from app.referrals.models import ReferralVersion

# The facts shown for each child, in order (v1 and v2 ids; each shown when the version has it).
CHILD_FACTS = (
    "child.unborn",
    "child.due_date",
    "child.dob",
    "child.age_estimate",
    "child.seen",
    "child.not_seen_reason",
    "child.spoken_to",
    "child.not_spoken_reason",
    "child.spoken_alone",
    "voice.words",
    "voice.disclosure",
    "child.tonight_where",
)
# The officer's own words about the grade.
RISK_FACTS = ("risk.rationale", "risk.override_reason")


@dataclass(frozen=True)
class Fact:
    question: str
    answer: str
    long: bool  # free text: keep its line breaks


@dataclass(frozen=True)
class ChildSummary:
    name: str
    facts: list[Fact]


@dataclass(frozen=True)
class ReviewSummary:
    suggested_grade: str
    officer_grade: str
    officer_words: list[Fact]
    children: list[ChildSummary]


def _facts(ps: PromptSet, ids: tuple[str, ...], scope: Mapping[str, Any]) -> list[Fact]:
    known = ps.all_prompt_ids()
    facts: list[Fact] = []
    for pid in ids:
        value = scope.get(pid)
        if pid not in known or not has_answer(value):
            continue
        prompt = ps.prompt(pid)
        facts.append(
            Fact(
                question=prompt.label,
                answer=answer_view.display(prompt, value),
                long=prompt.type == "text",
            )
        )
    return facts


def summarise(ps: PromptSet, version: ReferralVersion) -> ReviewSummary:
    answers = version.answers
    children = answers.get("children")
    entries = [c for c in children if isinstance(c, Mapping)] if isinstance(children, list) else []
    return ReviewSummary(
        suggested_grade=version.suggested_grade,
        officer_grade=version.officer_grade,
        officer_words=_facts(ps, RISK_FACTS, answers),
        children=[
            ChildSummary(
                name=str(c.get("child.name") or f"Child {i}"),
                facts=_facts(ps, CHILD_FACTS, c),
            )
            for i, c in enumerate(entries, start=1)
        ],
    )
