"""The one Jinja environment: our templates first, then the GOV.UK Frontend macros."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    Undefined,
)
from jinja2.utils import missing

from app.paths import TEMPLATES_DIR

UK = ZoneInfo("Europe/London")
GOVUK_FRONTEND_VERSION = "6.3.0"
HTMX_VERSION = "2.0.11"


class StrictNamesUndefined(Undefined):
    """Strict for a missing variable (a typo in our templates fails loudly), lenient for a
    missing key of a dict: the GOV.UK macros test optional parameters with `if params.x`."""

    __slots__ = ()

    def _strict(self) -> bool:
        return self._undefined_obj is missing

    def __str__(self) -> str:
        if self._strict():
            self._fail_with_undefined_error()
        return ""

    def __bool__(self) -> bool:
        if self._strict():
            self._fail_with_undefined_error()
        return False

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self._strict():
            self._fail_with_undefined_error()
        return iter(())


def uk_time(value: datetime | None, fmt: str = "%-d %b %Y, %H:%M") -> str:
    """A stored UTC time as people in the UK read it (GMT or BST as it was then)."""
    if value is None:
        return ""
    return value.astimezone(UK).strftime(fmt)


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES_DIR),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        undefined=StrictNamesUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["uk_time"] = uk_time
    env.globals["govuk_version"] = GOVUK_FRONTEND_VERSION
    env.globals["htmx_version"] = HTMX_VERSION
    return env


templates = Jinja2Templates(env=_environment())
