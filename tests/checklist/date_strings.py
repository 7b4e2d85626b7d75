"""Date strings written every way ISO 8601 (and Python 3.11's ``fromisoformat``) allows, and
many ways it does not: the browser's port of the parser (``static/js/risk/dates.mjs``) must
read each as ``app.checklist.risk.facts.date_of`` does (``tests/browser/test_risk_js.py``)."""

from __future__ import annotations

import random

DATES = (
    "2026-03-10",
    "20260310",
    "2026-W10-2",
    "2026W102",
    "2026-W10",
    "2026W10",
    "2024-02-29",
    "2023-02-29",
    "9999-12-31",
    "0001-01-01",
    "2020-W53-7",
    "2021-W53-1",
    "9999-W52-5",
    "9999-W52-6",
    "0001-W01-1",
)
TIMES = (
    "",
    "T21:15",
    "T21:15:00",
    "T21:15:00Z",
    "T21:15:00+01:00",
    "T2115",
    "T21",
    "T21:15:00.123",
    "T21:15:00,5",
    "T21:15:00.1234567",
    "T21:15:00-05:30",
    "T21:15:00+23:59:59.999999",
    "T21:15:00+24:00",
    "T24:00",
    "T23:60",
    "T21:15:61",
    " 21:15",
    "x21:15",
    "\u00e921:15",
    "\ud80021:15",
    "T21:15:00.123+05",
    "T21:15Z",
    "T21:15:00+0530",
    "T211500",
    "T21:15:00:00",
    "T21:15:00.",
    "T21:15.5",
)
PIECES = (
    *("2026", "0001", "9999", "-", "W", "10", "53", "01", "00", "02", "29", "12", "31", "3"),
    *("T", " ", "x", "\u00e9", "\u2003", ":", "15", "24", "60", "59", ".", ",", "123"),
    *("1234567", "Z", "+", "05", "30", "0530", "23:59", "\ud800", "\x85", "\ufeff"),
)
SEED = 20261202


def date_strings(random_count: int = 1500) -> list[str]:
    """Each date with each time (bare, padded with spaces, trailing space), then
    ``random_count`` strings of random pieces (a fixed seed)."""
    strings = [
        text
        for day in DATES
        for time in TIMES
        for text in (day + time, f" {day}{time}\n", f"{day}{time} ")
    ]
    rnd = random.Random(SEED)  # noqa: S311 - test data, fixed seed
    for _ in range(random_count):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 9)))
        strings.append(rnd.choice(DATES) + text if rnd.random() < 0.5 else text)
    return strings
