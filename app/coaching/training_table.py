"""Training completion on the dashboard: trained officers out of the officers in each team, as a
table (also a CSV) and a chart, each number linking to the officers behind it."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from sqlmodel import Session

from app.accounts.models import Team
from app.coaching import training
from app.coaching.charts import Bar, Chart
from app.coaching.tables import Cell, Table, header, number


def officers_link(team_id: uuid.UUID, show: str) -> str:
    """The officers behind a number: ``show`` is all, trained or untrained."""
    return "/coaching/training?" + urlencode({"team": str(team_id), "show": show})


def table_and_chart(*, session: Session, teams: list[Team]) -> tuple[Table, Chart]:
    table = Table(
        "training",
        [header(k) for k in ("team", "officers", "trained", "untrained", "trained_percent")],
    )
    bars = []
    for c in training.completion(session=session, teams=teams):
        table.rows.append(
            [
                Cell(c.team.name),
                number(c.officers, officers_link(c.team.id, "all")),
                number(c.trained, officers_link(c.team.id, "trained")),
                number(c.officers - c.trained, officers_link(c.team.id, "untrained")),
                number(c.percent),
            ]
        )
        bars.append(Bar(c.team.name, c.percent or 0.0))
    return table, Chart("training", bars, percent=True)
