"""Check your answers, submit, and the officer's view of a submitted referral."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal, users_by_ids
from app.checklist import answers as engine
from app.checklist import (
    encompass,
    forms,
    navigation,
    risk,
    screen_service,
    screens,
    summary,
    view,
)
from app.checklist import service as checklist
from app.checklist.models import Incident, IncidentStatus
from app.checklist.pages import locked
from app.db import SessionDep
from app.htmx import redirect
from app.referrals import access, addenda, delivery_state, service, versions
from app.referrals.models import Referral
from app.web import PostedForm, client_ip, render

router = APIRouter(tags=["referrals"], include_in_schema=False)
Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]


def _check_page(
    request: Request,
    officer: Principal,
    incident: Incident,
    *,
    raw: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    missing: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    ps = checklist.prompt_set_of(incident)
    is_locked = incident.status != IncidentStatus.DRAFT
    pruned, _ = engine.prune_hidden(ps, incident.answers)
    state = checklist.status_of(ps, incident.answers)
    screen = screens.check_screen(ps)
    prompts = screen.prompts(ps)
    errors = errors or {}
    on_page = {p.id for p in prompts}

    def href(path: str) -> str:
        if path == screens.CHILDREN:
            return navigation.incident_url(incident.id, "/children")
        if path in on_page:
            return "#" + forms.first_input_id(ps.prompt(path))
        target = screens.screen_for_path(ps, path, pruned)
        return target.url(incident.id) if target else navigation.incident_url(incident.id)

    missing_rows = [
        {"text": summary.label_of(ps, pruned, path), "href": href(path)} for path in missing or []
    ]
    # Before submitting: what is still to answer on the other pages (not yet an error).
    todo = [
        {"text": summary.label_of(ps, pruned, path), "href": href(path)}
        for path in state.missing
        if path not in on_page
    ]
    error_rows = [
        {"text": errors[p.id], "href": "#" + forms.first_input_id(p)}
        for p in prompts
        if p.id in errors
    ]
    return render(
        request,
        "referrals/check.html",
        principal=officer,
        status_code=status_code,
        incident=incident,
        ps=ps,
        reason_words=risk.reason_words(ps.version),
        groups=[  # a draft's grade and declaration are answered in the form below them
            g
            for g in summary.summarise(ps, pruned, incident.id)
            if is_locked or not set(g.section_ids) & set(screens.CHECK_SECTIONS)
        ],
        state=state,
        fields=view.fields_for(ps, screen, incident.answers, errors),
        raw=raw if raw is not None else forms.raw_for(prompts, incident.answers),
        summary_errors=error_rows + missing_rows,
        missing_count=len(missing_rows),
        todo=todo if missing is None and not is_locked and not state.gate_closes else [],
        locked=is_locked,
        progress=screens.progress(ps, None),
        encompass=encompass.notifications(pruned, version=ps.version),
    )


@router.get("/incidents/{incident_id}/check")
def check(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    incident = checklist.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status == IncidentStatus.NO_CHILD:
        return redirect(request, navigation.incident_url(incident_id))
    return _check_page(request, officer, incident)


@router.post("/incidents/{incident_id}/check")
def save_check(
    request: Request,
    session: SessionDep,
    officer: Officer,
    form: PostedForm,
    incident_id: uuid.UUID,
) -> Response:
    incident = checklist.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status == IncidentStatus.SUBMITTED:  # a retried submit: show what exists
        referral = service.for_incident(session=session, incident_id=incident_id)
        if referral is not None:
            return redirect(request, f"/referrals/{referral.reference}")
    ps = checklist.prompt_set_of(incident)
    try:
        result = screen_service.save_screen(
            session=session,
            officer=officer,
            incident_id=incident_id,
            screen=screens.check_screen(ps),
            form=form,
        )
    except checklist.IncidentLocked:
        return locked(request, session, officer, incident_id)
    if not result.ok:
        return _check_page(
            request, officer, result.incident, raw=result.raw, errors=result.errors, status_code=422
        )
    if form.get("action") != "submit":
        return redirect(request, navigation.incident_url(incident_id, "/check"))
    if checklist.gate_closes(result.incident.answers):  # nothing to refer: close it instead
        return redirect(request, navigation.incident_url(incident_id, "/close"))
    try:
        referral = service.submit(session=session, officer=officer, incident_id=incident_id)
    except service.IncompleteReferral as incomplete:
        return _check_page(
            request, officer, result.incident, missing=incomplete.missing, status_code=422
        )
    return redirect(request, f"/referrals/{referral.reference}?submitted=1")


@router.post("/incidents/{incident_id}/submit")
def submit(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    incident = checklist.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status == IncidentStatus.NO_CHILD:
        return locked(request, session, officer, incident_id)
    if checklist.gate_closes(incident.answers):
        return redirect(request, navigation.incident_url(incident_id, "/close"))
    try:
        referral = service.submit(session=session, officer=officer, incident_id=incident_id)
    except service.IncompleteReferral as incomplete:
        return _check_page(request, officer, incident, missing=incomplete.missing, status_code=422)
    return redirect(request, f"/referrals/{referral.reference}?submitted=1")


@router.get("/referrals/{reference}")
def officer_referral(
    request: Request, session: SessionDep, officer: Officer, reference: str
) -> Response:
    service.get_own_by_reference(session=session, officer=officer, reference=reference)
    referral = access.open_for_reading(
        session=session, principal=officer, reference=reference, form="page", ip=client_ip(request)
    )
    return _officer_page(request, session, officer, referral)


def _officer_page(
    request: Request,
    session: SessionDep,
    officer: Principal,
    referral: Referral,
    *,
    error: str = "",
    text: str = "",
    status_code: int = 200,
) -> Response:
    version = service.latest_version(session=session, referral=referral)
    ps = checklist.prompt_set_of_version(version.prompt_set_version)
    decisions = service.decisions_of(session=session, referral_id=referral.id)
    notes = addenda.of(session=session, referral=referral)
    return render(
        request,
        "referrals/officer_view.html",
        principal=officer,
        status_code=status_code,
        referral=referral,
        version=version,
        ps=ps,
        groups=summary.summarise(ps, version.answers),
        just_submitted=bool(request.query_params.get("submitted")),
        history=decisions,
        all_versions=versions.all_versions(session=session, referral=referral),
        addenda=notes,
        outcomes=service.outcomes_of(session=session, referral_id=referral.id),
        may_add=addenda.may_add(officer, referral),
        addendum_action=f"/referrals/{referral.reference}/addenda",
        addendum_deliveries=delivery_state.of_addenda(session=session, referral_id=referral.id),
        may_resend=False,
        people=users_by_ids(
            session=session, ids={d.actor_id for d in decisions} | {a.author_id for a in notes}
        ),
        error=error,
        form={"text": text},
    )


@router.post("/referrals/{reference}/addenda")
def add_addendum(
    request: Request,
    session: SessionDep,
    officer: Officer,
    reference: str,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        addenda.add(session=session, principal=officer, reference=reference, text=text, own=True)
    except addenda.AddendumInvalid:
        session.rollback()
        referral = service.get_own_by_reference(
            session=session, officer=officer, reference=reference
        )
        return _officer_page(
            request, session, officer, referral, error="addendum", text=text, status_code=422
        )
    return redirect(request, f"/referrals/{reference}?added=1")


# The officer's incidents: drafts, referrals returned for changes (with what to change),
# submitted referrals and incidents closed at the gate. Here, not in the checklist, because it
# joins both packages (imports run one way: referrals builds on the checklist).
@router.get("/incidents")
def incidents(request: Request, session: SessionDep, officer: Officer) -> Response:
    mine = checklist.list_own(session=session, officer=officer)
    refs = {r.incident_id: r for r in service.list_own(session=session, officer=officer)}
    drafts = [i for i in mine if i.status == IncidentStatus.DRAFT]
    returned = [(i, refs[i.id]) for i in drafts if i.id in refs]  # a referral sent back
    return render(
        request,
        "referrals/incidents.html",
        principal=officer,
        returned=returned,
        comments=service.return_comments(
            session=session, referral_ids={r.id for _i, r in returned}
        ),
        drafts=[i for i in drafts if i.id not in refs],
        submitted=[(i, refs.get(i.id)) for i in mine if i.status == IncidentStatus.SUBMITTED],
        closed=[i for i in mine if i.status == IncidentStatus.NO_CHILD],
        new_uuid=uuid.uuid4(),
    )
