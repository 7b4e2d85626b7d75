"""The process that draws PDFs: WeasyPrint has no time limit of its own, so it runs in a worker
process the app can kill (see ``pdf_pool``). Each worker imports WeasyPrint and parses the
stylesheets once, says it is ready, then turns each HTML string it is sent into PDF bytes.

Nothing is fetched while drawing: no network and no files beyond the stylesheets.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

READY = "ready"
Draw = Callable[[str], bytes]


def weasyprint_drawer(stylesheets: Sequence[str]) -> Draw:
    """A function from HTML to PDF bytes, with WeasyPrint imported and the styles parsed."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    # The GOV.UK styles hold hundreds of screen rules WeasyPrint ignores, each logged as a
    # warning: keep those out of the log while the styles are parsed.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        css = [
            weasyprint.CSS(string=Path(p).read_text("utf-8"), url_fetcher=fetcher)
            for p in stylesheets
        ]
    finally:
        logger.setLevel(level)

    def draw(html: str) -> bytes:
        document: Any = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(stylesheets=css)
        return pdf

    return draw


def serve(
    conn: Connection, make_drawer: Callable[[Sequence[str]], Draw], styles: list[str]
) -> None:
    """The worker's loop: ("ok", pdf) or ("error", what went wrong) for each HTML received;
    it ends when the app closes the pipe."""
    # Drawing yields the processor to the app: saves and pages come before PDFs.
    os.nice(10)
    draw = make_drawer(styles)
    conn.send(READY)
    while True:
        try:
            html = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", draw(html)))
        except Exception as exc:  # reported to the app, which logs it and shows an error page
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
