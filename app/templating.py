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

from app.paths import TEMPLATES_DIR

UK = ZoneInfo("Europe/London")
GOVUK_FRONTEND_VERSION = "6.3.0"
HTMX_VERSION = "2.0.11"


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
        # Lenient undefined on purpose: the GOV.UK macros test optional parameters (and build
        # intermediate values) that are often missing; strict modes break them.
        undefined=Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["uk_time"] = uk_time
    env.globals["govuk_version"] = GOVUK_FRONTEND_VERSION
    env.globals["htmx_version"] = HTMX_VERSION
    return env


templates = Jinja2Templates(env=_environment())
