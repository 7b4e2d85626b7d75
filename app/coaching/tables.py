"""Tables: one structure drawn as an HTML table and written as CSV, so that the two agree.
CSV is UTF-8 with a byte-order mark (spreadsheet apps read it right), a header row, quoting
by the csv module, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LABELS_PATH = Path(__file__).with_name("labels.yaml")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@functools.cache
def labels() -> dict[str, Any]:
    with LABELS_PATH.open(encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    numeric: bool = False


@dataclass
class Table:
    id: str  # also the export's name: /coaching/export/<id>.csv
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: int | None = None  # rows in the whole list, when only some are shown
    more: str | None = None  # where the whole list is (its CSV: the same with &download=csv)

    @property
    def caption(self) -> str:
        return str(labels()["tables"][self.id])


def header(key: str) -> str:
    return str(labels()["headers"][key])


def number(value: float | int | None, href: str | None = None) -> Cell:
    text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    return Cell(text, href if value else None, numeric=True)


def safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([c.text if c.numeric else safe(c.text) for c in row])
    return out.getvalue().encode("utf-8-sig")
