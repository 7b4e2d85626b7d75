"""Page weight: the first load of an officer's screen moves at most 50 KB over the wire (the page
and every static file it names, as compressed), a later screen at most 6 KB (the static files
are cached by then). Bytes, not times: stable from run to run."""

from __future__ import annotations

import re
import uuid

import pytest

from app.checklist import promptset
from tests.helpers import Browserless

FIRST_LOAD = 50 * 1024
LATER_SCREEN = 6 * 1024
OURS = {"Sec-Fetch-Site": "same-origin"}
REFERENCE = re.compile(r"""(?:href|src)="(/static/[^"]+)"|["'(](/static/[^"')]+)["')]""")

pytestmark = pytest.mark.db


def _wire_size(client: Browserless, url: str, encoding: str) -> tuple[int, bytes]:
    """Bytes over the wire (the body as sent) and the decoded body."""
    headers = {"Accept-Encoding": encoding, **OURS}
    with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200, url
        raw = b"".join(response.iter_raw())
    return len(raw), client.get(url, headers=headers).content


def first_load(client: Browserless, url: str, encoding: str) -> tuple[int, int]:
    """(the page's own bytes, the page and every static file it leads the browser to)."""
    page, html = _wire_size(client, url, encoding)
    total, seen, todo = page, set(), [html]
    while todo:
        text = todo.pop().decode("utf-8", "replace")
        for match in REFERENCE.finditer(text):
            ref = match.group(1) or match.group(2)
            if ref in seen:
                continue
            seen.add(ref)
            if client.get(ref).status_code == 404:
                continue  # named by GOV.UK's CSS for components we do not draw (the crest)
            size, body = _wire_size(client, ref, encoding)
            total += size
            if ref.endswith((".css", ".js", ".mjs")):
                todo.append(body)
    assert len(seen) >= 6, seen
    return page, total


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


def test_first_load_of_the_review_queue_is_at_most_50_kb(as_supervisor: Browserless) -> None:
    page, total = first_load(as_supervisor, "/review", "br")
    assert total <= FIRST_LOAD and page <= LATER_SCREEN, (page, total)
