"""Bar charts drawn on the server as SVG, with a title, a description and the numbers in a
table beside them (the page draws the table). Geometry here; words in the template."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 110
VALUE_WIDTH = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class DrawnBar:
    label: str
    value: float
    y: int
    width: int
    text: str


@dataclass(frozen=True)
class Chart:
    id: str  # weeks or teams: the template words its title and description
    bars: list[Bar]
    percent: bool

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * (BAR_HEIGHT + GAP) + GAP

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH

    def drawn(self) -> list[DrawnBar]:
        top = 100.0 if self.percent else max((b.value for b in self.bars), default=0.0)
        span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        return [
            DrawnBar(
                label=b.label,
                value=b.value,
                y=GAP + n * (BAR_HEIGHT + GAP),
                width=round(span * b.value / top) if top else 0,
                text=f"{b.value:g}%" if self.percent else f"{b.value:g}",
            )
            for n, b in enumerate(self.bars)
        ]

    @property
    def summary(self) -> str:
        """The numbers in one line, for the chart's description."""
        return "; ".join(f"{d.label}: {d.text}" for d in self.drawn())
