"""The summary for the MASH: what a social worker needs first, on the first screen and the
first PDF page. Made from the rest of the document (never from the answers again), so the
summary cannot say anything the document does not; the one exception is Operation Encompass,
which the checklist works out from the answers (``app.checklist.encompass.notifications``, the
list the officer's check page shows) and the summary is given.

Each child (name, age, seen, spoken to, alone, where tonight, the first words), the grade with
its reasons and the officer's rationale, the urgent call, immediate safety actions (police
protection and the rest), what police ask of social care, who else knows, Operation Encompass
notifications due, and the officer and supervisor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from app.checklist.encompass import Notification

FIRST_WORDS_MAX: Final = 200
QUOTES: Final = "\"'“”‘’"  # noqa: RUF001 (the quotation marks a child's words may come in)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

# A child's details shown in the summary: document slot -> summary key.
CHILD_FACTS: Final[Mapping[str, str]] = {
    "unborn": "unborn",
    "due_date": "due_date",
    "seen": "seen",
    "not_seen_reason": "not_seen_reason",
    "spoken_to": "spoken_to",
    "not_spoken_reason": "not_spoken_reason",
    "spoken_alone": "spoken_alone",
    "tonight_where": "tonight",
    "tonight_checked": "tonight_checked",
}
URGENT_CALL: Final[Mapping[str, str]] = {
    "urgent_call_to": "to",
    "urgent_call_time": "at",
    "urgent_call_agreed": "agreed",
}


def first_words(words: str) -> str:
    """The first sentence of the child's words, without the quotation marks around them (the
    page puts its own), cut at a word to about 200 characters with "…" when longer."""
    text = " ".join(words.split()).strip(QUOTES).strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(QUOTES)
    if len(first) <= FIRST_WORDS_MAX:
        return first
    cut = first[:FIRST_WORDS_MAX].rsplit(" ", 1)[0]
    return f"{cut.rstrip(',;:')}…"


def _child(child: Mapping[str, Any]) -> dict[str, Any]:
    details = child.get("details") or {}
    out: dict[str, Any] = {"id": child["id"]} if "id" in child else {}
    out.update({"number": child["number"], "name": details.get("name", "")})
    if child.get("age"):
        out["age"] = child["age"]
    out.update({key: details[slot] for slot, key in CHILD_FACTS.items() if slot in details})
    words = (child.get("voice") or {}).get("words")
    if isinstance(words, str) and first_words(words):
        out["first_words"] = first_words(words)
    return out


def _who(p: Mapping[str, Any], team: Mapping[str, Any] | None) -> dict[str, Any]:
    return {**p, **({"team": team["name"]} if team else {})}


def _encompass(n: Notification, ages: Mapping[str, str]) -> dict[str, Any]:
    """One notification due: the child (their age as the document words it), the school, and
    the day the school is to be told by (before school starts)."""
    out: dict[str, Any] = {"id": n.child_id} if n.child_id is not None else {}
    out.update({"name": n.child_name, "school": n.school})
    age = ages.get(n.child_id) if n.child_id is not None else None
    if age:
        out["age"] = age
    out["due"] = n.due.isoformat()
    return out


def summary(doc: Mapping[str, Any], encompass: Sequence[Notification]) -> dict[str, Any]:
    """The ``summary`` object of a format 2 document, from the document's other keys and the
    Operation Encompass notifications due for its answers."""
    children = doc.get("children") or []
    ages = {c["id"]: c["age"] for c in children if "id" in c and c.get("age")}
    risk = doc["risk"]
    actions = doc.get("actions") or {}
    sharing = doc.get("information_sharing") or {}
    team = doc.get("team")
    out: dict[str, Any] = {
        "children": [_child(c) for c in children],
        "grade": risk["grade_in_force"],
        "reasons": risk["reasons"],
    }
    if "rationale" in risk:
        out["rationale"] = risk["rationale"]
    call = {key: actions[slot] for slot, key in URGENT_CALL.items() if slot in actions}
    if call:
        out["urgent_call"] = call
    if "police_protection" in actions:
        out["police_protection"] = actions["police_protection"]
    if "taken" in actions:
        out["actions_taken"] = actions["taken"]
    if "request" in risk:
        out["request"] = risk["request"]
    if "agencies" in sharing:
        out["agencies"] = sharing["agencies"]
    if "agencies_detail" in sharing:
        out["agencies_detail"] = sharing["agencies_detail"]
    out["encompass"] = [_encompass(n, ages) for n in encompass]
    out["officer"] = _who(doc["officer"], team)
    if "supervisor" in doc:
        out["supervisor"] = _who(doc["supervisor"], team)
    return out
