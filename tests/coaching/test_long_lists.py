"""Long lists stay quick to read at force scale: each list of children to notice shows its
first few and links to the whole list (and its CSV); a drill-down shows a page at a time with
the whole count, and its CSV holds every incident."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from sqlmodel import Session

from app.coaching import dashboard, listing
from tests.coaching.data import NOW, QUERY, World, _incident, at, no_child
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def test_a_list_to_notice_shows_its_first_few_and_links_to_all(
    coach: Browserless, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "NOTICE_SHOWN", 1)
    later = _incident(
        session, world.officer_b, world.b, no_child("missing_found", "L9"),
        "no_child_identified", at(14, 9),
    )  # fmt: skip
    session.commit()
    with time_machine.travel(NOW, tick=False):
        html = coach.get(f"/coaching?{QUERY}").text
        check_page(html)
        everything = f"/coaching/incidents?{QUERY}&scope=force&figure=closed_no_child"
        assert "Showing the first 1 of 2." in html
        assert f'href="{everything.replace("&", "&amp;")}"' in html
        assert f'href="{everything.replace("&", "&amp;")}&amp;download=csv"' in html  # its CSV
        whole = coach.get(everything + "&download=csv")
    rows = list(csv.reader(io.StringIO(whole.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(1)", "L9"]
    assert str(later.id) not in html  # the second is behind the link


def test_a_drill_down_pages_through_its_incidents(
    coach: Browserless, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PAGE", 4)
    url = f"/coaching/incidents?{QUERY}&scope=force&figure=incidents&part=met"
    with time_machine.travel(NOW, tick=False):
        first = coach.get(url)
        second = coach.get(url + "&page=2")
        everything = coach.get(url + "&download=csv")
        beyond = coach.get(url + "&page=0")
    check_page(first.text)
    assert "6 incidents." in first.text and "Page 1 of 2" in first.text
    assert first.text.count('href="/coaching/incidents/') == 4
    assert second.text.count('href="/coaching/incidents/') == 2
    assert "Page 2 of 2" in second.text
    assert len(list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))) == 7
    assert beyond.status_code == 422
