"""The referral document as a PDF: WeasyPrint draws the page's own template body, with the
GOV.UK styles and the print styles (static/css/document.css), on A4, with the reference and
page numbers in each page's footer.

Drawing is slow and has no time limit of its own, so it is bounded (``pdf_pool``: one at a
time a core, in worker processes with a time limit) and each PDF is kept (``pdf_cache``).
Callers hold no database transaction while they call ``render``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.accounts.service import Principal
from app.db import end_read
from app.paths import STATIC_DIR, TEMPLATES_DIR
from app.referrals import document, document_view, document_view_v2, pdf_cache, pdf_pool
from app.templating import GOVUK_FRONTEND_VERSION, templates

TEMPLATE = "referrals/document_pdf.html"
STYLESHEETS = (
    STATIC_DIR / "vendor" / f"govuk-frontend-{GOVUK_FRONTEND_VERSION}" / "govuk-frontend.min.css",
    STATIC_DIR / "css" / "document.css",
)


def html(doc: Mapping[str, Any]) -> str:
    """The PDF's HTML: the same body as the page, every typed text escaped by Jinja."""
    return templates.get_template(TEMPLATE).render(
        doc=doc, view=document_view_v2.present_any(doc), when=document_view.when, links=False
    )


@functools.cache
def _drawn_by() -> str:
    """A hash of what draws the PDF (the document templates and styles): a new release that
    changes how the document looks makes new PDFs rather than serving ones drawn before."""
    digest = hashlib.sha256()
    for path in (*sorted((TEMPLATES_DIR / "referrals").glob("*.html")), *STYLESHEETS):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def render(doc: Mapping[str, Any]) -> bytes:
    """The document as PDF bytes: the kept copy of this very content, or drawn now.
    Raises ``pdf_pool.PdfUnavailable`` when every worker stays busy or drawing takes too long."""
    name = pdf_cache.key(doc, _drawn_by())
    kept = pdf_cache.get(name)
    if kept is not None:
        return kept
    pdf = pdf_pool.shared(tuple(str(p) for p in STYLESHEETS)).render(html(doc))
    pdf_cache.put(name, pdf)
    return pdf


def open_pdf(
    *, session: Session, principal: Principal, reference: str, version: int | None, ip: str
) -> tuple[str, bytes]:
    """The referral's reference and its PDF, if this person may read it, with the read logged
    and committed first. The transaction ends before drawing: nothing is locked meanwhile."""
    doc = document.open_document(
        session=session,
        principal=principal,
        reference=reference,
        form="pdf",
        version=version,
        ip=ip,
    )
    end_read(session)  # the read that built the document
    return str(doc["reference"]), render(doc)
