"""Lists of incidents: the children to notice, and the drill-down behind every figure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from app.checklist import facts as read
from app.checklist.models import Incident
from app.checklist.promptset import current
from app.coaching import figures as figs
from app.coaching import notice, rollup
from app.coaching.scope import Period, Scope
from app.coaching.sql import quick_plans
from app.coaching.tables import Cell, Table, header, labels

NOTICE = ("closed_no_child", "stale_drafts", "households")
PAGE = 100  # incidents a page of a drill-down


def type_label(type_id: str) -> str:
    options = {o.id: o.label for o in current().prompt("incident.type").options or []}
    return options.get(type_id) or str(labels()["not_recorded"])


def _category_labels(ids: list[str]) -> str:
    prompt = current().prompt("concern.categories")
    names = {o.id: o.label for o in prompt.options or []}
    return "; ".join(names.get(i, i) for i in ids)


def incident_table(table_id: str, incidents: Iterable[Incident]) -> Table:
    table = Table(
        table_id,
        [header(k) for k in ("log_ref", "reference", "type", "incident_time", "status")]
        + [header("categories")],
    )
    statuses = labels()["statuses"]
    for i in sorted(incidents, key=lambda i: (i.created_at, str(i.id))):
        happened = read.incident_time(i.answers)
        table.rows.append(
            [
                Cell(str(i.answers.get("incident.log_ref") or i.id), f"/coaching/incidents/{i.id}"),
                Cell(i.reference or ""),
                Cell(type_label(read.incident_type(i.answers))),
                Cell(happened.isoformat(timespec="minutes") if happened else ""),
                Cell(str(statuses.get(i.status, i.status))),
                Cell(_category_labels(read.concern_categories(i.answers))),
            ]
        )
    return table


def drill(
    *,
    session: Session,
    scope: Scope,
    period: Period,
    figure: str,
    part: str,
    now: datetime,
    address: str = "",
    page: int | None = None,
) -> Table:
    """The incidents behind one figure (or one list of children to notice): one ``page`` of
    them (``PAGE`` a page, with the whole count), or all of them (for the CSV)."""
    rollup.catch_up(session)  # the lists to notice read the roll-up's rows
    quick_plans(session)
    if figure == "households":
        found = notice.households(session=session, scope=scope, period=period)
        wanted = [h for h in found if not address or notice.normalise_address(h.address) == address]
        return incident_table("incidents", [i for h in wanted for i in h.incidents])
    if figure == "closed_no_child":
        ids = notice.closed_without_child(scope, period)
    elif figure == "stale_drafts":
        ids = notice.stale_drafts(scope, period, now)
    else:
        ids = figs.incidents(
            session=session, scope=scope, period=period, now=now, figure=figure, part=part
        )
    if page is None:
        return incident_table("incidents", notice.read(session, ids))
    shown = notice.read(session, ids, limit=PAGE, offset=(page - 1) * PAGE)
    table = incident_table("incidents", shown)
    table.total = notice.count(session, ids)
    return table
