"""Offline, the officer gets the risk suggestion they would get online: every shared risk case
(``tests/checklist/risk_cases.json``, graded by the Python rules and checked against them by
``tests/checklist/test_risk_cases.py``) gives the same grade and reasons, in the same order, in
Chromium through ``static/js/risk/assess.mjs``, imported from the running app as the offline
screens import it. The JS rules are the Python rules one for one: same names, same order, same
reason codes and grades."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Browser

from app.checklist.risk import RULES_BY_VERSION, assess, reason_codes
from app.checklist.risk import rules_v2 as python_v2
from app.checklist.risk.facts import date_of
from app.checklist.risk.grades import REASON_GRADES as PYTHON_V1_GRADES
from tests.browser.conftest import PHONE
from tests.checklist.date_strings import date_strings
from tests.checklist.test_risk_cases import CASES

RUN = """async (cases) => {
  const m = await import("/static/js/risk/assess.mjs");
  return cases.map((c) => {
    try {
      return m.assess(c.answers, { version: c.version, on: c.on });
    } catch (error) {
      return { thrown: String(error) };
    }
  });
}"""

RULES = """async () => {
  const m = await import("/static/js/risk/assess.mjs");
  const names = (v) => m.RULES_BY_VERSION[v].map((rule) => rule.name);
  const born = { children: [{ "child.dob": "2025-03-10", "observed.injury": true }] };
  let unknown = null;
  try { m.assess({}, { version: 3 }); } catch (error) { unknown = error.name; }
  return {
    names: { 1: names(1), 2: names(2) },
    grades: m.REASON_GRADES_BY_VERSION,
    unknown,
    today: m.assess({}, { version: 2 }),
    // no incident date: ages on `on`, a "YYYY-MM-DD" or a Date (its UTC date)
    onDay: [
      m.assess(born, { version: 1, on: "2026-03-09" }),
      m.assess(born, { version: 1, on: new Date("2026-03-09T23:30:00Z") }),
      m.assess(born, { version: 1, on: new Date("2026-03-10T00:30:00Z") }),
    ].map((r) => r.reasons.map((reason) => reason.code)),
  };
}"""


DATES = """async (strings) => {
  const m = await import("/static/js/risk/dates.mjs");
  const pad = (n, width) => String(n).padStart(width, "0");
  return strings.map((s) => {
    const d = m.dateOf(s);
    return d === null ? null : `${pad(d.y, 4)}-${pad(d.m, 2)}-${pad(d.d, 2)}`;
  });
}"""


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _open(browser: Browser, base_url: str) -> Any:
    context = browser.new_context(base_url=base_url, **PHONE)
    page = context.new_page()
    page.goto("/login")
    return context, page


def test_every_shared_case_gives_the_same_grade_and_reasons_in_chromium(
    browser: Browser, live_server: str
) -> None:
    context, page = _open(browser, live_server)
    try:
        results = page.evaluate(RUN, CASES)
    finally:
        context.close()
    assert len(results) == len(CASES)
    wrong = [
        (c["name"], c["expected"], got)
        for c, got in zip(CASES, results, strict=True)
        if got != c["expected"]
    ]
    assert wrong == []


def test_the_js_rules_are_the_python_rules_one_for_one(browser: Browser, live_server: str) -> None:
    context, page = _open(browser, live_server)
    try:
        found = page.evaluate(RULES)
    finally:
        context.close()
    for version, rules in RULES_BY_VERSION.items():
        assert found["names"][str(version)] == [_camel(rule.__name__) for rule in rules]
        assert set(found["grades"][str(version)]) == reason_codes(version)
    assert found["grades"]["1"] == {code: g.value for code, g in PYTHON_V1_GRADES.items()}
    assert found["grades"]["2"] == {code: g.value for code, g in python_v2.REASON_GRADES.items()}
    assert found["unknown"] == "RangeError"  # as Python's ValueError: no rules for version 3
    assert found["today"] == {"grade": "standard", "reasons": []}
    assert found["onDay"] == [["baby_injured"], ["baby_injured"], ["injury_observed"]]
    born = {"children": [{"child.dob": "2025-03-10", "observed.injury": True}]}
    assert assess(born, on=date(2026, 3, 9)).codes == ("baby_injured",)  # as Python says
    assert assess(born, on=date(2026, 3, 10)).codes == ("injury_observed",)


def test_every_date_string_is_read_as_python_reads_it(browser: Browser, live_server: str) -> None:
    """Dates of birth and incident dates decide ages: the browser reads every string, odd ones
    too (week dates, offsets, a lone surrogate as the separator), as Python 3.11 does."""
    strings = date_strings()
    python = [None if (d := date_of(s)) is None else d.isoformat() for s in strings]
    assert python.count(None) not in (0, len(strings))
    context, page = _open(browser, live_server)
    try:
        browser_says = page.evaluate(DATES, strings)
    finally:
        context.close()
    wrong = [(s, p, b) for s, p, b in zip(strings, python, browser_says, strict=True) if p != b]
    assert wrong == []
