"""Every checklist screen is byte for byte the page the GOV.UK macros draw directly: the fields
drawn from their shapes (app/checklist/field_markup.py) and the fixed components drawn once
(``once`` in app/templating.py) change nothing a phone receives."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jinja2.runtime import Macro
from markupsafe import Markup

from app import templating
from app.checklist import field_markup
from tests.checklist.test_flow import put, start
from tests.helpers import Browserless

pytestmark = pytest.mark.db

SCREEN_LINK = re.compile(r'href="(/incidents/[0-9a-f-]+/(?:c/[0-9a-f-]+/)?s/[a-z_]+/\d+)"')


def _direct(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw with the macros every time, as before the caches."""

    def once(macro: Macro, params: Any) -> Markup:
        return Markup(macro(params))  # noqa: S704

    def field(f: Any, raw: Any, place_url: str, single: bool = False, locked: bool = False) -> Any:
        return field_markup._macro()(f, raw, place_url, single, locked=locked)

    monkeypatch.setitem(templating.templates.env.globals, "once", once)
    monkeypatch.setattr(field_markup, "render", field)


def test_every_screen_is_the_macros_own_page(
    as_officer: Browserless, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = start(as_officer)
    put(
        as_officer,
        incident_id,
        {
            "gate.children_present": True,
            "gate.pregnancy": False,
            "incident.log_ref": 'LOG <1> & "2"',
            "children": [{"child.name": "Amy O'Brien"}, {}],
        },
    )
    overview = as_officer.get(f"/incidents/{incident_id}")
    sections = {url.rsplit("/", 1)[0] for url in SCREEN_LINK.findall(overview.text)}
    # Every page of every section the overview links to (a section's pages end in a 404).
    urls = [
        f"{section}/{page}"
        for section in sorted(sections)
        for page in range(1, 12)
        if as_officer.get(f"{section}/{page}").status_code == 200
    ]
    assert len(urls) >= 10, urls
    cached = {url: as_officer.get(url).text for url in urls}
    again = {url: as_officer.get(url).text for url in urls}  # now from the caches
    # The navigation is drawn once for all sessions: each page has its own token put in,
    # and the markup kept holds none.
    token = as_officer.csrf
    for page in again.values():
        assert "\ue000" not in page
        assert f'name="csrf_token" value="{token}"' in page.split("Sign out")[0]
    assert not [m for m in templating._drawn.values() if token in m]
    _direct(monkeypatch)
    for url in urls:
        direct = as_officer.get(url).text
        assert cached[url] == direct, url
        assert again[url] == direct, url
