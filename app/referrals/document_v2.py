"""The referral document, format 2: for referrals answered under prompt set version 2 onward.

Like format 1 (``document``), one version of a referral as plain data, the single source of
the page, the PDF and the JSON; it validates against ``schema/referral-v2.schema.json``, which
``schema_gen`` generates from the prompt set. What changes from format 1:

- ``summary`` comes first: what the MASH needs at once (``document_summary``);
- each child's entry holds the child's own concerns (``concerns``) and their ``age`` in words,
  worked out on the day of the incident (UK time) by ``app.checklist.answers.ages``, as the
  risk reasons word it ("4 months", "about 6 years", "unborn");
- the summary's Operation Encompass list is the checklist's (``app.checklist.encompass``), as
  the officer's check page shows it;
- sections are placed by ``document_layout`` (the household's domestic abuse questions under
  ``domestic_abuse``), and the risk object keeps every risk answer (strengths, request).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from app.checklist import encompass, risk
from app.checklist.answers import parse_datetime
from app.checklist.answers.ages import child_age_in_words
from app.checklist.promptset import PromptSet
from app.referrals import document_layout as layout
from app.referrals import document_record
from app.referrals.document_answers import (
    CHILDREN,
    UK,
    encode,
    slot,
    with_parental_responsibility,
)
from app.referrals.document_summary import summary

FIRST_PROMPT_SET: Final = 2  # the first prompt-set version whose referrals use this format
ITEM_ID: Final = "id"


def schema_name(version: int) -> str:
    return f"referral-v{version}"


def reason_words(ps: PromptSet) -> Mapping[str, str]:
    """The words for each risk reason of this prompt set's version (worded with its rules)."""
    return risk.reason_words(ps.version)


def age_day(answers: Mapping[str, Any], submitted_at: datetime) -> date:
    """The day ages are worked out on: the incident's (UK time, as Operation Encompass works
    it out), else the submission's."""
    when = parse_datetime(answers.get("incident.datetime")) or submitted_at
    return (when.astimezone(UK) if when.tzinfo else when).date()


def _children(ps: PromptSet, answers: Mapping[str, Any], on: date) -> list[dict[str, Any]]:
    items = answers.get(CHILDREN)
    child_places = [p for p in layout.places(ps) if p.per_child]
    out: list[dict[str, Any]] = []
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        if not isinstance(item, Mapping):
            continue
        child: dict[str, Any] = {ITEM_ID: item[ITEM_ID]} if ITEM_ID in item else {}
        child["number"] = number
        age = child_age_in_words(item, on)
        if age:
            child["age"] = age
        lists: dict[str, list[Any]] = {}
        for place in child_places:
            data = encode(place.section.prompts, item)
            for p in layout.child_lists(place.section):
                got = data.pop(slot(p.id)[0], [])
                if got:
                    lists.setdefault(slot(p.id)[0], []).extend(got)
            if data:
                child[place.key] = data
        child.update(lists)
        out.append(child)
    return out


def _sections(ps: PromptSet, answers: Mapping[str, Any], on: date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for place in layout.places(ps):
        if place.per_child:
            if CHILDREN not in out:
                out[CHILDREN] = _children(ps, answers, on)
            continue
        data = encode(place.section.prompts, answers)
        if place.section.id == layout.HOUSEHOLD:
            data = with_parental_responsibility(data)
        if data:
            out[place.key] = data
    return out


def assemble(record: document_record.Record) -> dict[str, Any]:
    ps, answers = record.ps, record.row.answers
    head = document_record.header(record, schema_name(ps.version))
    body: dict[str, Any] = {
        "risk": document_record.risk(record, reason_words(ps), layout.risk_keys(ps)),
        **_sections(ps, answers, age_day(answers, record.row.submitted_at)),
    }
    body.update(document_record.closing(record))
    due = encompass.notifications(answers, version=ps.version)
    return {**head, "summary": summary({**head, **body}, due), **body}
