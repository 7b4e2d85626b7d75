"""The shared risk cases: answers with the grade and reasons the Python rules give them, in
``tests/checklist/risk_cases.json``. pytest checks the table against ``app.checklist.risk``
(``test_risk_cases.py``) and Chromium against ``static/js/risk/assess.mjs``
(``tests/browser/test_risk_js.py``), so the browser suggests what the server does.

The table holds, for each rules version: the named cases of the briefs, one case per reason
code, odd dates of birth and incident dates, answers of the wrong type, and generated answer
sets (a fixed seed, over the version's prompt set). After changing a rule, write it again:

    make risk-cases            # or: .venv/bin/python -m tests.checklist.risk_cases
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.checklist import promptset
from app.checklist.promptset import Prompt, PromptType
from app.checklist.risk import assess
from app.checklist.risk.facts import date_of
from tests.checklist import risk_cases_named as named

CASES_FILE = Path(__file__).with_name("risk_cases.json")
SEED = 20261202
GENERATED_PER_VERSION = 200
ON = "2026-03-10"
WORDS = frozenset({PromptType.TEXT, PromptType.SHORT, PromptType.GUIDANCE})

# Values of the wrong type, put in place of an answer now and then, as a draft may hold.
WRONG: tuple[Any, ...] = (
    "yes",
    "14",
    "",
    1,
    0,
    1.5,
    -3,
    None,
    True,
    False,
    [],
    {},
    ["x"],
    {"a": 1},
)
NOT_A_CHILD: tuple[Any, ...] = (None, "Amy", 3, ["child.name", "Amy"], True)
NAMES = ("Amy", " Ben ", "", "   ", "Jo Smith", "Ünal", "Kai", "Amy")
NUMBERS: tuple[int | float, ...] = (0, 1, 2, 3, 4, 6, 9, 10, 13, 13.9, 14, 20, 24, 24.5, 25, 27, -1)
INCIDENT_DATES = ("2026-03-10", "2024-02-29", "2025-12-31", "2026-01-01", "2023-03-01")
TIMES = ("T21:15", "T21:15:00Z", "T23:30:00-05:00", "T00:10:00+01:00", " 09:00", "")
ODD_DATES = (
    "2025-11-10",
    " 2025-11-10 ",
    "20251110",
    "2025-W46-1",
    "2025W461",
    "2025-11-10T08:00:00+14:00",
    "2025-11-10 08:00",
    "2025-11-10T24:00",
    "2025-02-29",
    "2024-02-29",
    "2025-03-10",
    "2025-03-11",
    "2026-03-10",
    "2026-03-11",
    "2016-03-10",
    "9999-12-31",
    "0001-01-01",
    "10/11/2025",
    "2025-11",
    "",
)


def expected(answers: Any, version: int, on: str) -> dict[str, Any]:
    """What the Python rules say: the grade and each reason's code, grade and child."""
    result = assess(answers, on=date.fromisoformat(on), version=version)
    return {
        "grade": result.grade.value,
        "reasons": [
            {"code": r.code, "grade": r.grade.value, "child": r.child} for r in result.reasons
        ],
    }


def case(name: str, version: int, answers: Any, on: str = ON) -> dict[str, Any]:
    return {
        "name": name,
        "version": version,
        "on": on,
        "answers": answers,
        "expected": expected(answers, version, on),
    }


# --- generated answer sets, over the prompt set ------------------------------------------------


class Generator:
    """Answer sets for one prompt set version: each prompt answered or left out at random, with
    values of its type (and now and then of the wrong type); children of many ages, unborn
    entries, adults and injuries."""

    def __init__(self, version: int, rnd: random.Random) -> None:
        self.ps = promptset.load_version(version)
        self.rnd = rnd

    def value(self, prompt: Prompt, on: date) -> Any:
        rnd = self.rnd
        if rnd.random() < 0.06:
            return rnd.choice(WRONG)
        ids = [o.id for o in prompt.options]
        match prompt.type:
            case PromptType.YESNO:
                return rnd.random() < 0.5
            case PromptType.CHOICE:
                return rnd.choice(ids)
            case PromptType.MULTI:
                return rnd.sample(ids, k=rnd.randint(0, min(4, len(ids))))
            case PromptType.NUMBER:
                return rnd.choice(NUMBERS)
            case PromptType.DATE:
                return self.dob(on)
            case PromptType.DATETIME:
                return rnd.choice(INCIDENT_DATES) + rnd.choice(TIMES)
            case PromptType.REPEAT:
                return [self.item(prompt.prompts, on) for _ in range(rnd.randint(0, 3))]
            case _:
                return rnd.choice(NAMES)

    def dob(self, on: date) -> str:
        """A date of birth from before birth to 18, around the first birthday most often."""
        rnd = self.rnd
        if rnd.random() < 0.1:
            return rnd.choice(ODD_DATES)
        days = rnd.choice((rnd.randint(-200, 800), rnd.randint(360, 370), rnd.randint(0, 6600)))
        return (on - timedelta(days=days)).isoformat()

    def item(self, prompts: list[Prompt], on: date, chance: float = 0.5) -> dict[str, Any]:
        """Some of ``prompts`` answered (free text left out: no rule reads it, bar names)."""
        return {
            p.id: self.value(p, on)
            for p in prompts
            if p.type not in WORDS and self.rnd.random() < chance
        }

    def child(self, prompts: list[Prompt], on: date) -> Any:
        rnd = self.rnd
        if rnd.random() < 0.04:
            return rnd.choice(NOT_A_CHILD)
        entry = self.item(prompts, on, chance=0.2)
        entry["child.name"] = rnd.choice(NAMES)
        if rnd.random() < 0.7:
            entry["child.dob"] = self.dob(on)
        elif rnd.random() < 0.5:
            entry["child.age_estimate"] = rnd.choice((0, 0.3, 0.99, 1, 2.5, 5, 12, 17, 151, -1))
        if rnd.random() < 0.1:
            entry["child.unborn"] = True
        return entry

    def answers(self) -> dict[str, Any]:
        rnd = self.rnd
        on = date.fromisoformat(ON)
        top: dict[str, Any] = {}
        per_child: list[Prompt] = []
        for section in self.ps.sections:
            if section.repeat == "children":
                per_child.extend(section.prompts)
                continue
            top.update(self.item(section.prompts, on, chance=0.12))
        if rnd.random() < 0.85:
            top["incident.datetime"] = rnd.choice(INCIDENT_DATES) + rnd.choice(TIMES)
        incident_day = date_of(top.get("incident.datetime")) or on
        count = rnd.choice((0, 1, 1, 2, 2, 3, 4))
        top["children"] = [self.child(per_child, incident_day) for _ in range(count)]
        if rnd.random() < 0.03:
            top["children"] = rnd.choice(WRONG)
        return top


def generated(version: int) -> list[dict[str, Any]]:
    generator = Generator(version, random.Random(SEED + version))  # noqa: S311 - test data, fixed seed
    return [
        case(f"v{version} generated {n + 1}", version, generator.answers())
        for n in range(GENERATED_PER_VERSION)
    ]


def odd_dates(version: int) -> list[dict[str, Any]]:
    """A 4-month-old's injury with the date of birth, and the incident date, written oddly."""
    cases = []
    for text in ODD_DATES:
        child = {"child.name": "Amy", "child.dob": text, "observed.injury": True}
        answers = {"incident.datetime": "2026-03-10T21:15", "children": [child]}
        cases.append(case(f"v{version} date of birth {text!r}", version, answers))
        answers = {"incident.datetime": text, "children": [{**child, "child.dob": "2025-03-10"}]}
        cases.append(case(f"v{version} incident date {text!r}", version, answers, on="2030-01-01"))
    return cases


def build() -> list[dict[str, Any]]:
    """Every case, in a fixed order (the same table on every run)."""
    cases: list[dict[str, Any]] = []
    for version in (1, 2):
        cases += [case(n, version, a) for n, a in named.named_cases(version)]
        cases += [case(n, version, a) for n, a in named.one_per_code(version)]
        cases += [case(n, version, a) for n, a in named.wrong_types(version)]
        cases += odd_dates(version)
        cases += generated(version)
    return cases


def dumps(cases: list[dict[str, Any]]) -> str:
    """One case a line: a changed case is a one-line diff."""
    lines = (json.dumps(c, ensure_ascii=False, allow_nan=False, sort_keys=True) for c in cases)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main() -> None:
    cases = build()
    CASES_FILE.write_text(dumps(cases), encoding="utf-8")
    print(f"wrote {len(cases)} cases to {CASES_FILE}")


if __name__ == "__main__":
    main()
