"""Second factor pages: the code at sign-in, enrolling an authenticator app, and the admin's
requirement per role and reset of a user's second factor."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import second_factor, second_factor_rules
from app.accounts.deps import CurrentUser, LiveSession, require_roles, set_session_cookie
from app.accounts.models import Role
from app.accounts.routes import safe_next, throttled_page
from app.accounts.service import Principal
from app.db import SessionDep
from app.htmx import redirect
from app.web import PostedForm, client_ip, render

router = APIRouter(tags=["accounts"], include_in_schema=False)
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
ENROL_PAGE = "accounts/second_factor.html"


@router.get("/login/code")
def code_form(request: Request, row: LiveSession, next: str = "/") -> Response:
    if row is None or not row.pending_second_factor:
        return RedirectResponse("/login", status_code=303)
    return render(
        request,
        "accounts/login_code.html",
        principal=None,
        csrf_token=row.csrf_token,
        error="",
        next_url=safe_next(next),
    )


@router.post("/login/code")
def code_check(
    request: Request,
    session: SessionDep,
    row: LiveSession,
    code: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if row is None or not row.pending_second_factor:
        return RedirectResponse("/login", status_code=303)
    page: dict[str, Any] = {
        "principal": None,
        "csrf_token": row.csrf_token,
        "next_url": safe_next(next),
    }
    if not code.strip():
        return render(request, "accounts/login_code.html", status_code=422, error="missing", **page)
    try:
        token = second_factor.complete_sign_in(
            session=session, row=row, code=code, ip=client_ip(request)
        )
    except second_factor.CodeThrottled as throttled:
        return throttled_page(request, throttled.retry_at)
    except second_factor.CodeWrong:
        return render(request, "accounts/login_code.html", status_code=422, error="wrong", **page)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, token)
    return response


@router.get("/account/second-factor")
def enrol_form(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    if second_factor_rules.has_second_factor(session=session, user_id=principal.id):
        return render(request, ENROL_PAGE, principal=principal, enrolment=None, error="")
    enrolment = second_factor.start_enrolment(
        session=session, principal=principal, ip=client_ip(request)
    )
    return render(request, ENROL_PAGE, principal=principal, enrolment=enrolment, error="")


@router.post("/account/second-factor")
def enrol(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    code: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        codes = second_factor.confirm_enrolment(
            session=session, principal=principal, code=code, ip=client_ip(request)
        )
    except second_factor.CodeThrottled as throttled:
        return throttled_page(request, throttled.retry_at)
    except (second_factor.AlreadyEnrolled, second_factor.NotEnrolling):
        return redirect(request, "/account/second-factor")  # starts one, or says it is on
    except second_factor.CodeWrong:
        enrolment = second_factor.start_enrolment(
            session=session, principal=principal, ip=client_ip(request)
        )
        error = "wrong" if code.strip() else "missing"
        return render(
            request,
            ENROL_PAGE,
            principal=principal,
            enrolment=enrolment,
            error=error,
            status_code=422,
        )
    return render(request, "accounts/recovery_codes.html", principal=principal, codes=codes)


@router.get("/admin/second-factor")
def requirement_form(request: Request, session: SessionDep, admin: Admin) -> Response:
    required = second_factor_rules.required_roles(session=session)
    return render(
        request,
        "accounts/admin/second_factor.html",
        principal=admin,
        required={role.value for role in required},
        saved=bool(request.query_params.get("saved")),
    )


@router.post("/admin/second-factor")
def set_requirement(
    request: Request, session: SessionDep, admin: Admin, form: PostedForm
) -> Response:
    ticked = form.getlist("required")
    roles = {Role(r) for r in ticked if r in {role.value for role in Role}}
    second_factor_rules.set_required_roles(
        session=session, actor=admin, roles=roles, ip=client_ip(request)
    )
    return redirect(request, "/admin/second-factor?saved=1")


@router.post("/admin/users/{user_id}/second-factor/reset")
def reset(request: Request, session: SessionDep, admin: Admin, user_id: uuid.UUID) -> Response:
    second_factor.reset(session=session, actor=admin, user_id=user_id, ip=client_ip(request))
    return redirect(request, "/admin/users?done=second_factor_reset")
