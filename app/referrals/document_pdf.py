"""The referral document as a PDF: WeasyPrint draws the page's own template body, with the
GOV.UK styles and the print styles (static/css/document.css), on A4, with the reference and
page numbers in each page's footer."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Any

from app.paths import STATIC_DIR
from app.referrals import document_view
from app.templating import GOVUK_FRONTEND_VERSION, templates

TEMPLATE = "referrals/document_pdf.html"
STYLESHEETS = (
    STATIC_DIR / "vendor" / f"govuk-frontend-{GOVUK_FRONTEND_VERSION}" / "govuk-frontend.min.css",
    STATIC_DIR / "css" / "document.css",
)


@functools.cache
def _weasyprint() -> tuple[Any, Any, list[Any]]:
    """WeasyPrint (slow to import, so only when a PDF is first asked for), a fetcher that
    fetches nothing, and the parsed stylesheets (parsed once)."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    # The GOV.UK styles hold hundreds of screen rules WeasyPrint ignores, each logged as a
    # warning: keep those out of the log while the styles are parsed (once per process).
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        css = [
            weasyprint.CSS(string=p.read_text("utf-8"), url_fetcher=fetcher) for p in STYLESHEETS
        ]
    finally:
        logger.setLevel(level)
    return weasyprint.HTML, fetcher, css


def html(doc: Mapping[str, Any]) -> str:
    """The PDF's HTML: the same body as the page, every typed text escaped by Jinja."""
    return templates.get_template(TEMPLATE).render(
        doc=doc, view=document_view.present(doc), when=document_view.when, links=False
    )


def render(doc: Mapping[str, Any]) -> bytes:
    """The document as PDF bytes. Nothing is fetched: no network, no files beyond our CSS."""
    html_class, fetcher, css = _weasyprint()
    pdf: bytes = html_class(string=html(doc), url_fetcher=fetcher).write_pdf(stylesheets=css)
    return pdf
