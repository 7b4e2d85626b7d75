"""Page weight: the first load of an officer's screen moves at most 50 KB over the wire (the page
and every static file it names, as compressed), a later screen at most 6 KB (the static files
are cached by then). A module loaded with a dynamic ``import("/static/...")`` comes after the page
is drawn (when the browser is idle, or when the officer does something): it is not part of the
first load, and what the screen loads that way has its own budget. Bytes, not times: stable from
run to run."""

from __future__ import annotations

import re
import uuid

import pytest

from app.checklist import promptset
from tests.helpers import Browserless

FIRST_LOAD = 50 * 1024
LATER_SCREEN = 6 * 1024
AFTER_DRAWING = 20 * 1024
OURS = {"Sec-Fetch-Site": "same-origin"}
REFERENCE = re.compile(r"""(?:href|src)="(/static/[^"]+)"|["'(](/static/[^"')]+)["')]""")
LAZY = re.compile(r"""import\(\s*["'](/static/[^"']+)["']\s*\)""")

pytestmark = pytest.mark.db


def _wire_size(client: Browserless, url: str, encoding: str) -> tuple[int, bytes]:
    """Bytes over the wire (the body as sent) and the decoded body."""
    headers = {"Accept-Encoding": encoding, **OURS}
    with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200, url
        raw = b"".join(response.iter_raw())
    return len(raw), client.get(url, headers=headers).content


def _weigh(client: Browserless, html: bytes, encoding: str, *, lazy: bool) -> tuple[int, set[str]]:
    """The bytes of every static file the page leads the browser to (with ``lazy``, also the
    modules imported only later, by a dynamic ``import()``), and their URLs."""
    total, seen, todo = 0, set(), [html]
    while todo:
        text = todo.pop().decode("utf-8", "replace")
        later = set() if lazy else {m.group(1) for m in LAZY.finditer(text)}
        for match in REFERENCE.finditer(text):
            ref = match.group(1) or match.group(2)
            if ref in seen or ref in later:
                continue
            seen.add(ref)
            if client.get(ref).status_code == 404:
                continue  # named by GOV.UK's CSS for components we do not draw (the crest)
            size, body = _wire_size(client, ref, encoding)
            total += size
            if ref.endswith((".css", ".js", ".mjs")):
                todo.append(body)
    return total, seen


def first_load(client: Browserless, url: str, encoding: str) -> tuple[int, int]:
    """(the page's own bytes, the page and every static file it leads the browser to)."""
    page, html = _wire_size(client, url, encoding)
    total, seen = _weigh(client, html, encoding, lazy=False)
    assert len(seen) >= 6, seen
    return page, page + total


def after_drawing(client: Browserless, url: str, encoding: str) -> int:
    """The bytes of the modules a page loads only after it is drawn, with what they import."""
    _, html = _wire_size(client, url, encoding)
    now, _ = _weigh(client, html, encoding, lazy=False)
    everything, _ = _weigh(client, html, encoding, lazy=True)
    return everything - now


def _incident(client: Browserless, answers: dict[str, object] | None = None) -> str:
    headers = {"X-CSRF-Token": client.csrf}
    created = client.post(
        "/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=headers
    )
    assert created.status_code == 201, created.text
    incident = str(created.json()["id"])
    if answers:
        put = client.put(
            f"/api/v1/incidents/{incident}/answers", json={"answers": answers}, headers=headers
        )
        assert put.status_code == 200, put.text
    return incident


def _officer_screens(client: Browserless) -> list[str]:
    if promptset.current().version == 1:
        from tests.checklist.builders import complete_answers

        answers: dict[str, object] = complete_answers()
        answers["children"] = answers["children"] * 4  # type: ignore[operator]
    else:
        answers = {}
    full = _incident(client, answers)
    blank = _incident(client)
    return ["/incidents", f"/incidents/{blank}/s/incident/1", f"/incidents/{full}/check"]


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_first_load_of_an_officer_screen_is_at_most_50_kb(
    as_officer: Browserless, encoding: str
) -> None:
    for url in _officer_screens(as_officer):
        page, total = first_load(as_officer, url, encoding)
        assert total <= FIRST_LOAD, f"{url}: {total} bytes ({encoding})"
        assert page <= LATER_SCREEN, f"{url}: a later visit moves {page} bytes ({encoding})"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_what_a_screen_loads_after_it_is_drawn_has_its_own_budget(
    as_officer: Browserless, encoding: str
) -> None:
    # A screen that autosaves keeps its incident's draft on the phone (static/js/mirror.mjs):
    # that work, the outbox and the offline app's form code come after the first paint.
    url = _officer_screens(as_officer)[1]
    later = after_drawing(as_officer, url, encoding)
    assert 0 < later <= AFTER_DRAWING, f"{url}: {later} bytes after drawing ({encoding})"


def test_first_load_of_the_review_queue_is_at_most_50_kb(as_supervisor: Browserless) -> None:
    page, total = first_load(as_supervisor, "/review", "br")
    assert total <= FIRST_LOAD and page <= LATER_SCREEN, (page, total)
