"""Stand-in PDF drawers for the worker processes (imported by name in each worker)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.referrals.pdf_worker import Draw

SLOW_SECONDS = 1.5


def slow(_styles: Sequence[str]) -> Draw:
    def draw(html: str) -> bytes:
        time.sleep(SLOW_SECONDS)
        return b"%PDF-1.4 slow " + str(len(html)).encode()

    return draw


def hanging(_styles: Sequence[str]) -> Draw:
    def draw(_html: str) -> bytes:
        while True:  # WeasyPrint stuck on a pathological layout
            time.sleep(1)

    return draw
