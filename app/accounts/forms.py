"""Parsing the admin's user form into clean values and error codes (wording is in templates)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from app.accounts import password_rules
from app.accounts.models import Role
from app.text import strip_bidi

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")


@dataclass
class UserForm:
    username: str = ""
    display_name: str = ""
    collar_number: str = ""
    password: str = ""
    roles: set[Role] = field(default_factory=set)
    team_id: uuid.UUID | None = None
    supervises: set[uuid.UUID] = field(default_factory=set)
    coaches: set[uuid.UUID] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _raw(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _text(form: FormData, name: str, limit: int) -> str:
    return strip_bidi(_raw(form, name, limit)).strip()


def _uuids(form: FormData, name: str, known: set[uuid.UUID]) -> set[uuid.UUID]:
    values = {_uuid(v) for v in form.getlist(name) if isinstance(v, str)}
    return {v for v in values if v in known}


def parse_user_form(form: FormData, *, known_teams: set[uuid.UUID], new: bool) -> UserForm:
    result = UserForm(
        username=_text(form, "username", 50).lower(),
        display_name=_text(form, "display_name", 100),
        collar_number=_text(form, "collar_number", 20),
        password=_raw(form, "password", 1000) if new else "",
        roles={Role(r) for r in form.getlist("roles") if r in {x.value for x in Role}},
        team_id=_uuid(_text(form, "team_id", 40)),
        supervises=_uuids(form, "supervises", known_teams),
        coaches=_uuids(form, "coaches", known_teams),
    )
    if result.team_id not in known_teams:
        result.team_id = None
    errors = result.errors
    if new and not USERNAME.match(result.username):
        errors["username"] = "username_invalid" if result.username else "username_missing"
    if not result.display_name:
        errors["display_name"] = "display_name_missing"
    if new and (bad := password_rules.problem(result.password, username=result.username)):
        errors["password"] = bad.value
    if not result.roles:
        errors["roles"] = "roles_missing"
    if Role.OFFICER in result.roles and result.team_id is None:
        errors["team_id"] = "team_missing"
    if Role.SUPERVISOR in result.roles and not result.supervises:
        errors["supervises"] = "supervises_missing"
    if Role.COACH in result.roles and not result.coaches:
        errors["coaches"] = "coaches_missing"
    return result
