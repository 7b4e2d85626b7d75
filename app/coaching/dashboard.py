"""The dashboard as tables (each also a CSV) and charts, built from one scope and period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from app.accounts.models import Team
from app.coaching import figures as figs
from app.coaching import notice, quality, rollup, rubric, sampling, training_table
from app.coaching.charts import Bar, Chart
from app.coaching.listing import incident_table, type_label
from app.coaching.models import ScopeKind
from app.coaching.scope import Period, Scope, query_string
from app.coaching.sql import quick_plans
from app.coaching.tables import Cell, Table, header, labels, number

ORDER = (
    "incidents", "child_identified", "no_child", "referrals", "completion", "voice_words",
    "spoken_alone", "seen", "demeanour", "to_submission", "after_shift", "to_review", "overdue",
    "returned", "officer_below", "supervisor_changed",
)  # fmt: skip


NOTICE_SHOWN = 20  # each list of children to notice shows its first 20, and links to the rest
TEAM_COLUMNS = (
    "team", "incidents", "referrals", "completion", "voice", "audit_met", "quality_met",
)  # fmt: skip


@dataclass
class Dashboard:
    tables: dict[str, Table] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    figures: dict[str, figs.Figure] = field(default_factory=dict)


Link = Callable[[str, str], str]  # (figure key, part) -> the drill-down's URL


def drill_link(period: Period, scope: Scope) -> Link:
    def link(key: str, part: str) -> str:
        return "/coaching/incidents?" + query_string(period, scope, figure=key, part=part)

    return link


def figures_table(found: dict[str, figs.Figure], link: Link) -> Table:
    words = labels()["figures"]
    table = Table(
        "figures",
        [header(k) for k in ("measure", "number", "out_of", "percent", "median_hours")],
    )
    for key in ORDER:
        f = found[key]
        table.rows.append(
            [
                Cell(str(words[key])),
                number(f.count, link(key, "met")),
                number(f.total, link(key, "all")),
                number(f.percent, link(key, "short") if f.short else None),
                number(f.hours),
            ]
        )
    return table


def types_table(found: dict[str, figs.Figure], link: Link) -> Table:
    table = Table("types", [header("type"), header("incidents")])
    for key in sorted(k for k in found if k.startswith("type.")):
        table.rows.append([Cell(type_label(key[5:])), number(found[key].count, link(key, "met"))])
    return table


def _percent(part: int, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def teams_table(
    by_team: dict[Any, dict[str, figs.Figure]],
    teams: list[Team],
    rolled: tuple[rubric.RollUp, rubric.RollUp],  # the audit's, the supervisors' checks'
    period: Period,
) -> tuple[Table, Chart]:
    audit, checks = rolled
    table = Table(
        "teams",
        [header(k) for k in TEAM_COLUMNS],
    )
    bars = []
    for team in teams:
        f = by_team.get(team.id) or figs.empty()
        link = drill_link(period, Scope(ScopeKind.TEAM, frozenset({team.id})))
        completion = f["completion"].percent
        table.rows.append(
            [
                Cell(team.name),
                number(f["incidents"].count, link("incidents", "met")),
                number(f["referrals"].count, link("referrals", "met")),
                number(completion, link("completion", "short") if f["completion"].short else None),
                number(f["voice_words"].percent, link("voice_words", "short")),
                number(audit.by_team[team.id].percent),
                number(checks.by_team[team.id].percent),
            ]
        )
        bars.append(Bar(team.name, completion or 0.0))
    return table, Chart("teams", bars, percent=True)


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_of(period: Period) -> list[date]:
    """The first day (a Monday) of each week the period touches."""
    weeks: list[date] = []
    week = _week_of(period.start)
    while week <= period.end:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def week_ends(weeks: list[date]) -> list[datetime]:
    """Each week's end: the instant (UTC) its last day ends."""
    return [datetime.combine(w + timedelta(days=7), time.min, tzinfo=UTC) for w in weeks]


def weeks_table(
    by_week: dict[int, dict[str, figs.Figure]], period: Period, scope: Scope
) -> tuple[Table, Chart]:
    table = Table("weeks", [header(k) for k in ("week", "incidents", "referrals", "completion")])
    bars = []
    for n, week in enumerate(weeks_of(period)):
        f = by_week.get(n) or figs.empty()
        first = max(week, period.start)
        last = min(week + timedelta(days=6), period.end)
        link = drill_link(Period("custom", first, last), scope)
        table.rows.append(
            [
                Cell(week.isoformat()),
                number(f["incidents"].count, link("incidents", "met")),
                number(f["referrals"].count, link("referrals", "met")),
                number(f["completion"].percent),
            ]
        )
        bars.append(Bar(week.isoformat(), float(f["incidents"].count)))
    return table, Chart("weeks", bars, percent=False)


def audit_tables(audit: rubric.RollUp, teams: list[Team]) -> list[Table]:
    by_criterion = Table(
        "audit_criteria", [header(k) for k in ("criterion", "met", "scored", "percent")]
    )
    for c in rubric.load().criteria:
        tally = audit.by_criterion[c.id]
        by_criterion.rows.append(
            [Cell(c.label), number(tally.met), number(tally.scored), number(tally.percent)]
        )
    by_team = Table("audit_teams", [header(k) for k in ("team", "met", "scored", "percent")])
    for team in teams:
        tally = audit.by_team[team.id]
        by_team.rows.append(
            [Cell(team.name), number(tally.met), number(tally.scored), number(tally.percent)]
        )
    return [by_criterion, by_team]


def quality_tables(
    checks: rubric.RollUp, audit: rubric.RollUp, teams: list[Team]
) -> tuple[list[Table], Chart]:
    """The supervisors' quality checks, each criterion beside the audit's criterion that asks
    the same (blank where the audit does not ask it)."""
    same = rubric.load().by_quality_check()
    by_criterion = Table(
        "quality_criteria",
        [header(k) for k in ("criterion", "met", "checked", "percent", "audit_percent")],
    )
    for criterion, title in quality.words().items():
        tally = checks.by_criterion[criterion]
        audited = audit.by_criterion[same[criterion]].percent if criterion in same else None
        by_criterion.rows.append(
            [
                Cell(title),
                number(tally.met),
                number(tally.scored),
                number(tally.percent),
                number(audited),
            ]
        )
    by_team = Table("quality_teams", [header(k) for k in ("team", "met", "checked", "percent")])
    bars = []
    for team in teams:
        tally = checks.by_team[team.id]
        by_team.rows.append(
            [Cell(team.name), number(tally.met), number(tally.scored), number(tally.percent)]
        )
        bars.append(Bar(team.name, tally.percent or 0.0))
    return [by_criterion, by_team], Chart("quality_teams", bars, percent=True)


def build(
    *, session: Session, scope: Scope, period: Period, teams: list[Team], now: datetime
) -> Dashboard:
    quick_plans(session)
    counted = figs.tally(
        session=session, scope=scope, period=period, now=now, week_ends=week_ends(weeks_of(period))
    )
    found = counted.figures
    link = drill_link(period, scope)
    audit = rubric.roll_up(sampling.score_rows(session=session, scope=scope, period=period))
    checks = quality.roll_up(session=session, scope=scope, period=period)
    shown_teams = [t for t in teams if t.id in scope.team_ids]
    board = Dashboard(figures=found)
    team_table, team_chart = teams_table(counted.by_team, shown_teams, (audit, checks), period)
    check_tables, check_chart = quality_tables(checks, audit, shown_teams)
    week_table, week_chart = weeks_table(counted.by_week, period, scope)
    trained, trained_chart = training_table.table_and_chart(session=session, teams=shown_teams)
    for table in (
        figures_table(found, link),
        types_table(found, link),
        team_table,
        week_table,
        *notice_tables(session=session, scope=scope, period=period, now=now),
        *audit_tables(audit, shown_teams),
        *check_tables,
        trained,
    ):
        board.tables[table.id] = table
    board.charts = [week_chart, team_chart, check_chart, trained_chart]
    return board


def notice_tables(*, session: Session, scope: Scope, period: Period, now: datetime) -> list[Table]:
    rollup.catch_up(session)  # the lists read the roll-up's row an incident
    households = Table(
        "households", [header(k) for k in ("address", "referrals_90d", "references")]
    )
    for h in notice.households(session=session, scope=scope, period=period):
        refs = ", ".join(i.reference or "" for i in h.incidents)
        where = "/coaching/incidents?" + query_string(
            period, scope, figure="households", address=notice.normalise_address(h.address)
        )
        households.rows.append([Cell(h.address, where), number(len(h.incidents)), Cell(refs)])
    lists = {
        "closed_no_child": notice.closed_without_child(scope, period),
        "stale_drafts": notice.stale_drafts(scope, period, now),
    }
    tables = []
    for table_id, ids in lists.items():
        table = incident_table(table_id, notice.read(session, ids, limit=NOTICE_SHOWN))
        if len(table.rows) == NOTICE_SHOWN:
            table.total = notice.count(session, ids)
            table.more = "/coaching/incidents?" + query_string(period, scope, figure=table_id)
        tables.append(table)
    return [*tables, households]
