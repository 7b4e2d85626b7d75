"""The signed-in user's own account: changing their password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.accounts import password_change
from app.accounts.deps import CurrentUser
from app.db import SessionDep
from app.htmx import redirect
from app.web import client_ip, render

router = APIRouter(prefix="/account", tags=["accounts"], include_in_schema=False)


@router.get("/password")
def password_form(request: Request, principal: CurrentUser) -> Response:
    return render(request, "accounts/password.html", principal=principal, error="")


@router.post("/password")
def change_password(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    confirm_password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        password_change.change_own_password(
            session=session,
            principal=principal,
            current=current_password,
            new=new_password,
            confirm=confirm_password,
            ip=client_ip(request),
        )
    except password_change.PasswordNotChanged as refused:
        return render(
            request,
            "accounts/password.html",
            principal=principal,
            error=refused.code,
            status_code=422,
        )
    return redirect(request, "/?password_changed=1")
