"""The coach's pages: access, children to notice, drill-down, CSV export, accessible charts,
and the audited read-only view of an incident."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.coaching.tables import Cell, Table, to_csv
from tests.coaching.data import NOW, QUERY, World
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def rows_of(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize("roles", [["officer"], ["supervisor"], ["admin"]])
def test_only_coaches_see_the_dashboard(
    client: Browserless, session: Session, world: World, roles: list[str]
) -> None:
    user = make_user(session, roles=roles, team=world.a, supervises=[world.a])
    client.log_in(user.username, PASSWORD)
    for url in (
        "/coaching",
        "/coaching/incidents",
        "/coaching/export/figures.csv",
        "/coaching/samples",
    ):
        assert client.get(url).status_code == 403, url


def test_a_coach_sees_only_the_teams_they_coach(coach: Browserless, world: World) -> None:
    assert coach.get(f"/coaching?scope=team&team={world.c.id}").status_code == 403
    assert coach.get(f"/coaching?scope=officer&officer={world.officer_c.id}").status_code == 403
    assert coach.get(f"/coaching/incidents/{world.incidents['I7'].id}").status_code == 404
    with time_machine.travel(NOW, tick=False):
        page = coach.get(f"/coaching?{QUERY}&figure=incidents")
    assert page.status_code == 200
    check_page(page.text)
    assert world.referrals["I7"].reference not in page.text


def test_children_to_notice(coach: Browserless, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        html = coach.get(f"/coaching?{QUERY}").text
    closed = rows_of(html, "closed_no_child")
    assert f"/coaching/incidents/{world.incidents['I3'].id}" in closed
    assert str(world.incidents["I6"].id) not in closed  # a crime: not a child-related type
    drafts = rows_of(html, "stale_drafts")
    assert f"/coaching/incidents/{world.incidents['I4'].id}" in drafts
    assert str(world.incidents["I8"].id) not in drafts  # outside the period
    households = rows_of(html, "households")
    assert "1 High Street, Anytown" in households and ">3<" in households
    refs = [world.referrals[n].reference for n in ("I1", "I2", "I5")]
    assert ", ".join(refs) in households
    assert world.referrals["I7"].reference not in households  # team C: not coached


def test_every_figure_drills_down_to_its_incidents(coach: Browserless, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        html = coach.get(f"/coaching?{QUERY}").text
        overdue = coach.get(f"/coaching/incidents?{QUERY}&scope=force&figure=overdue&part=met")
        households = coach.get(f"/coaching/incidents?{QUERY}&figure=households")
    assert "/coaching/incidents?period=custom" in rows_of(html, "figures")
    assert overdue.status_code == 200
    check_page(overdue.text)
    listed = rows_of(overdue.text, "incidents")
    for name in ("I2", "I5"):
        assert f"/coaching/incidents/{world.incidents[name].id}" in listed
    assert str(world.incidents["I1"].id) not in listed
    assert listed.count("<tr") == 3  # the header and two incidents
    assert rows_of(households.text, "incidents").count("<tr") == 4


def test_csv_export_matches_the_table(coach: Browserless, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        response = coach.get(f"/coaching/export/figures.csv?{QUERY}")
        drill = coach.get(f"/coaching/incidents?{QUERY}&figure=no_child&download=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Measure", "Number", "Out of", "Per cent", "Median hours"]
    by_measure = {r[0]: r[1:] for r in rows[1:]}
    assert by_measure["Incidents"][0] == "6"
    assert by_measure["Referrals submitted"][:3] == ["3", "6", "50"]
    assert by_measure["Hours from incident to submission (median)"][3] == "2"
    listed = list(csv.reader(io.StringIO(drill.content.decode("utf-8-sig"))))
    assert len(listed) == 3
    assert "'=HYPERLINK(1)" in [r[0] for r in listed]  # a formula is written as text


def test_csv_quotes_and_refuses_formulas() -> None:
    table = Table("types", ["Type", "N"], [[Cell('a, "b"'), Cell("1", numeric=True)]])
    table.rows.append([Cell("+cmd|' /C calc'!A0"), Cell("@SUM(1)")])
    text = to_csv(table).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Type", "N"],
        ['a, "b"', "1"],
        ["'+cmd|' /C calc'!A0", "'@SUM(1)"],
    ]


def test_charts_have_a_title_a_description_and_a_table(coach: Browserless, world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        html = coach.get(f"/coaching?{QUERY}").text
    for chart, table in (("weeks", "weeks"), ("teams", "teams")):
        start = html.index(f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"')
        svg = html[start : html.index("</svg>", start)]
        assert f'<title id="chart-{chart}-title">' in svg
        assert f'<desc id="chart-{chart}-desc">' in svg
        assert 'role="img"' in html[start - 200 : start]
        assert f'id="{table}"' in html
    weeks = html[html.index('<desc id="chart-weeks-desc">') :]
    # I1, I2, I3 began in the week of 2 November; I5, I6 the next; I4 the last.
    assert "2026-11-02: 3; 2026-11-09: 2; 2026-11-16: 1" in weeks[: weeks.index("</desc>")]


def test_a_bad_period_is_explained_and_loses_nothing(coach: Browserless, world: World) -> None:
    page = coach.get("/coaching?period=custom&from=2026-11-20&to=2026-11-01")
    assert page.status_code == 422
    assert "The to date must be the same as or after the from date" in page.text
    assert 'value="2026-11-20"' in page.text


def test_reading_an_incident_is_audited(coach: Browserless, session: Session, world: World) -> None:
    incident = world.incidents["I3"]
    page = coach.get(f"/coaching/incidents/{incident.id}")
    assert page.status_code == 200
    check_page(page.text)
    assert "Lives alone; no children visit." in page.text
    entry = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "incident.read.coaching",
            AuditEvent.object_id == str(incident.id),
        )
    ).one()
    assert entry.actor_id == coach.user.id
    assert entry.reason == "child protection coaching (read only)"
