"""PDF drawing is bounded: a kept PDF per document content, at most N drawn at once (the rest
wait, then get a plain "busy" page), and a time limit that stops a drawing stuck for good."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.config import get_settings
from app.referrals import document_pdf, pdf_cache, pdf_pool
from tests.helpers import Browserless, check_page
from tests.referrals import pdf_drawers
from tests.referrals.test_document import make_officer, make_referral, rich_answers

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(get_settings(), "pdf_cache_dir", str(tmp_path / "pdf-cache"))


def counting_html(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the PDF's HTML is made (once per drawing)."""
    calls: list[int] = []
    real = document_pdf.html

    def html(doc: Any) -> str:
        calls.append(1)
        return real(doc)

    monkeypatch.setattr(document_pdf, "html", html)
    return calls


def use_pool(monkeypatch: pytest.MonkeyPatch, **kw: Any) -> pdf_pool.RenderPool:
    """A pool of its own for this test (the caller closes it)."""
    pool = pdf_pool.RenderPool(styles=[], **kw)
    monkeypatch.setattr(pdf_pool, "shared", lambda _styles: pool)
    return pool


def test_a_second_download_is_the_kept_pdf_not_drawn_again(
    as_supervisor: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    referral = make_referral(
        session, make_officer(session, as_supervisor.team), as_supervisor.team, rich_answers()
    )
    drawn = counting_html(monkeypatch)
    url = f"/referrals/{referral.reference}/document.pdf"

    first = as_supervisor.get(url)
    second = as_supervisor.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content.startswith(b"%PDF")
    assert second.content == first.content
    assert len(drawn) == 1
    assert len(list(Path(get_settings().pdf_cache_dir).glob("*.pdf"))) == 1


def test_the_kept_pdf_is_per_content_not_per_moment() -> None:
    doc = {"reference": "TC-2026-000001", "version": 2, "generated_at": "a", "addenda": []}
    same = {**doc, "generated_at": "b"}
    changed = {**doc, "addenda": [{"text": "More information"}]}
    assert pdf_cache.key(doc, "x") == pdf_cache.key(same, "x")
    assert pdf_cache.key(doc, "x") != pdf_cache.key(changed, "x")
    assert pdf_cache.key(doc, "x") != pdf_cache.key(doc, "new templates")
    assert pdf_cache.key(doc, "x").startswith("TC-2026-000001-v2-")


def test_beyond_the_cap_a_download_waits_then_gets_a_busy_page(
    as_supervisor: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = use_pool(
        monkeypatch, size=1, wait_seconds=0.3, timeout_seconds=30, make_drawer=pdf_drawers.slow
    )
    referral = make_referral(
        session, make_officer(session, as_supervisor.team), as_supervisor.team, rich_answers()
    )
    busy = threading.Thread(target=pool.render, args=("<p>first</p>",))
    try:
        pool.render("<p>warm</p>")  # the worker is up: the next drawing starts at once
        busy.start()
        time.sleep(0.3)  # the one worker is drawing

        started = time.monotonic()
        response = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf")
        waited = time.monotonic() - started

        assert response.status_code == 503
        assert "The PDF is busy" in response.text
        check_page(response.text)
        assert 0.25 <= waited < pdf_drawers.SLOW_SECONDS
    finally:
        busy.join(10)
        pool.close()


def test_a_drawing_that_hangs_is_stopped_with_a_plain_page(
    as_supervisor: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = use_pool(
        monkeypatch, size=1, wait_seconds=1, timeout_seconds=1, make_drawer=pdf_drawers.hanging
    )
    referral = make_referral(
        session, make_officer(session, as_supervisor.team), as_supervisor.team, rich_answers()
    )
    before = set(multiprocessing.active_children())
    try:
        started = time.monotonic()
        response = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf")

        assert response.status_code == 503
        assert "The PDF could not be made this time" in response.text
        check_page(response.text)
        assert time.monotonic() - started < 30  # the worker's start, then one second
        assert set(multiprocessing.active_children()) <= before  # the stuck worker was killed
    finally:
        pool.close()
