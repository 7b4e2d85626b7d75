"""The referral document: one version of a referral as plain data (str, numbers, bools, lists,
dicts). It is the single source of the printable page, the PDF and the JSON sent to the MASH,
and it validates against ``schema/referral-v1.schema.json`` (published at ``SCHEMA_URL``).

How answers become data: ``document_answers``. How the page and PDF show it:
``document_view`` and ``document_pdf``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from sqlmodel import Session

from app.accounts.service import Principal
from app.referrals import access, document_record, document_v2
from app.referrals.document_answers import sections
from app.referrals.document_record import person
from app.referrals.models import Referral
from app.referrals.service import ReferralNotFound

__all__ = ["SCHEMA_NAME", "SCHEMA_PATH", "SCHEMA_URL", "build", "open_document", "person"]

SCHEMA_NAME: Final = "referral-v1"
SCHEMA_PATH: Final = Path(__file__).resolve().parent / "schema" / f"{SCHEMA_NAME}.schema.json"
SCHEMA_URL: Final = f"/api/v1/schema/{SCHEMA_NAME}.json"


def build(*, session: Session, referral: Referral, version: int | None = None) -> dict[str, Any]:
    """The document for one version of ``referral`` (its latest when ``version`` is None), in
    the format of the prompt set it was answered under (``document_v2`` from version 2).
    The review history runs up to that version; addenda come with the latest version only.
    Raises ReferralNotFound for a version that does not exist."""
    record = document_record.load(session=session, referral=referral, version=version)
    if record.row.prompt_set_version >= document_v2.FIRST_PROMPT_SET:
        return document_v2.assemble(record)
    return _assemble_v1(record)


def _assemble_v1(record: document_record.Record) -> dict[str, Any]:
    doc = document_record.header(record, SCHEMA_NAME)
    doc["risk"] = document_record.risk(
        record, record.ps.risk_reasons, ("rationale", "override_reason")
    )
    doc.update(sections(record.ps, record.row.answers))
    doc.update(document_record.closing(record))
    return doc


def open_document(
    *,
    session: Session,
    principal: Principal,
    reference: str,
    form: str,
    version: int | None = None,
    ip: str = "",
) -> dict[str, Any]:
    """The document, if this person may read it (else ReferralNotFound, revealing nothing),
    with the read logged (``form``: page, pdf or json) and committed before it is shown."""
    referral = access.find(session=session, principal=principal, reference=reference)
    if version is not None and not 1 <= version <= referral.version:
        raise ReferralNotFound()
    referral = access.open_for_reading(
        session=session, principal=principal, reference=reference, form=form, ip=ip, version=version
    )
    return build(session=session, referral=referral, version=version)
