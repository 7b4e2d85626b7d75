"""The referral document: a printable page, a PDF and JSON (with its public JSON Schema).

Anyone who may read the referral (its officer, the team's supervisors and coaches) may have it
in each form; for anyone else it does not exist. Each read is logged before it is shown.
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.accounts.deps import CurrentUser
from app.accounts.service import Principal
from app.checklist.schemas import ErrorOut
from app.db import SessionDep
from app.errors import NotFound
from app.referrals import (
    document,
    document_pdf,
    document_view,
    document_view_v2,
    schema_gen,
    service,
)
from app.web import client_ip, render

router = APIRouter(tags=["referrals"])
Version = Annotated[int | None, Query(ge=1, description="An earlier version (default: latest)")]


def _url(reference: str, suffix: str, version: int | None) -> str:
    query = f"?version={version}" if version is not None else ""
    return f"/referrals/{reference}/document{suffix}{query}"


def _open(
    request: Request,
    session: SessionDep,
    principal: Principal,
    reference: str,
    form: str,
    version: int | None,
) -> dict[str, Any]:
    """The document, with this read (in this form) logged first."""
    return document.open_document(
        session=session,
        principal=principal,
        reference=reference,
        form=form,
        version=version,
        ip=client_ip(request),
    )


@functools.cache
def _schema() -> bytes:
    return document.SCHEMA_PATH.read_bytes()


class JsonSchemaResponse(Response):
    media_type = "application/schema+json"


# The OpenAPI description of a JSON Schema document (any JSON object).
_SCHEMA_DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {JsonSchemaResponse.media_type: {"schema": {"type": "object"}}}},
}


@router.get(
    document.SCHEMA_URL,
    summary="JSON Schema of the referral document",
    response_class=JsonSchemaResponse,
    responses=_SCHEMA_DOCUMENT,
)
def referral_schema() -> Response:
    """Public: a schema holds no personal data."""
    return JsonSchemaResponse(_schema())


@router.get(
    "/api/v1/schema/referral-v{version:int}.json",
    summary="JSON Schema of a later document format",
    response_class=JsonSchemaResponse,
    responses={
        **_SCHEMA_DOCUMENT,
        404: {
            "description": "No such published format (not_found)",
            "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
        },
    },
)
def generated_referral_schema(version: int) -> Response:
    """Public: the schema generated from prompt set ``version`` (2 onward), once published."""
    path = schema_gen.schema_path(version)
    if version not in schema_gen.published_versions() or not path.is_file():
        raise NotFound()
    return JsonSchemaResponse(path.read_bytes())


@router.get("/referrals/{reference}/document", include_in_schema=False)
def document_page(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    reference: str,
    version: Version = None,
) -> Response:
    doc = _open(request, session, principal, reference, "page", version)
    latest = doc["version"] == doc["latest_version"]
    return render(
        request,
        "referrals/document.html",
        principal=principal,
        doc=doc,
        outcome=service.latest_outcome(session=session, reference=doc["reference"])
        if latest
        else None,
        view=document_view_v2.present_any(doc),
        when=document_view.when,
        links=True,
        schema_url=document.SCHEMA_URL,
        pdf_url=_url(doc["reference"], ".pdf", version),
        json_url=_url(doc["reference"], ".json", version),
    )


@router.get("/referrals/{reference}/document.pdf", include_in_schema=False)
def document_pdf_file(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    reference: str,
    version: Version = None,
) -> Response:
    ref, pdf = document_pdf.open_pdf(
        session=session,
        principal=principal,
        reference=reference,
        version=version,
        ip=client_ip(request),
    )
    suffix = f"-v{version}" if version is not None else ""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ref}{suffix}.pdf"'},
    )


@router.get("/referrals/{reference}/document.json", include_in_schema=False)
def document_json(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    reference: str,
    version: Version = None,
) -> Response:
    doc = _open(request, session, principal, reference, "json", version)
    body = json.dumps(doc, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json")
