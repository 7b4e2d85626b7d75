"""The one Jinja environment: our templates first, then the GOV.UK Frontend macros."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, MutableMapping
from datetime import datetime
from typing import Any
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
from jinja2.runtime import Macro
from markupsafe import Markup

from app.assets import static_url
from app.config import get_settings
from app.paths import TEMPLATES_DIR
from app.text import shown

UK = ZoneInfo("Europe/London")
GOVUK_FRONTEND_VERSION = "6.3.0"
HTMX_VERSION = "2.0.11"


def uk_time(value: datetime | None, fmt: str = "%-d %b %Y, %H:%M") -> str:
    """A stored UTC time as people in the UK read it (GMT or BST as it was then)."""
    if value is None:
        return ""
    return value.astimezone(UK).strftime(fmt)


class StrictAttributeUndefined(Undefined):
    """Undefined that fails when a template reads an attribute an object does not have (a
    misspelt ``delivery.receipt`` on a dataclass or model), and stays lenient for missing keys
    of dicts and for missing names (the GOV.UK macros test optional parameters that way).
    Used when testing, so that a misspelt attribute fails a test instead of printing nothing."""

    __slots__ = ()

    def _strict(self) -> bool:
        from jinja2.utils import missing

        owner = self._undefined_obj
        return owner is not missing and not isinstance(owner, Mapping | Undefined)

    def __str__(self) -> str:
        if self._strict():
            self._fail_with_undefined_error()
        return super().__str__()

    def __bool__(self) -> bool:
        if self._strict():
            self._fail_with_undefined_error()
        return super().__bool__()

    def __iter__(self) -> Iterator[Any]:
        if self._strict():
            self._fail_with_undefined_error()
        return super().__iter__()

    def __eq__(self, other: object) -> bool:
        if self._strict():
            self._fail_with_undefined_error()
        return super().__eq__(other)

    __hash__ = Undefined.__hash__


class _Environment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a plain dict rather than Jinja's ChainMap over the
        environment's: every ``{% from ... import %}`` compares the importing page's globals
        with the imported file's, and a ChainMap answers ``in`` in Python, key by key (a third
        of a checklist screen's drawing time). Every global is set below, before any template
        loads, as Jinja asks ("avoid modifying any globals after a template is loaded")."""
        return {**self.globals, **(d or {})}


def _environment() -> Environment:
    env = _Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES_DIR),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        # Lenient in use: the GOV.UK macros test optional parameters (and build intermediate
        # values) that are often missing; fully strict modes break them. Tests read attributes
        # strictly (see StrictAttributeUndefined).
        undefined=StrictAttributeUndefined if _testing() else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Checking every template file for changes on each render (dozens of GOV.UK macro
        # files a page) costs about a millisecond: only while developing.
        auto_reload=get_settings().is_development,
        # Every printed value, in pages and the PDF, without bidi override characters (a name
        # typed with U+202E shows reversed): app/text.py.
        finalize=shown,
    )
    env.filters["uk_time"] = uk_time
    env.globals["govuk_version"] = GOVUK_FRONTEND_VERSION
    env.globals["htmx_version"] = HTMX_VERSION
    env.globals["static_url"] = static_url
    env.globals["once"] = once
    env.globals["csrf_slot"] = CSRF_SLOT
    return env


_drawn: dict[tuple[str, str], Markup] = {}
# Where a page's CSRF token goes in markup drawn by ``once`` (the token is a secret, and each
# session's own): a private-use character marks the place, replaced after (``| replace``).
CSRF_SLOT = "\ue000csrf\ue001"
MAX_DRAWN = 1024


def once(macro: Macro, params: Mapping[str, Any]) -> Markup:
    """A GOV.UK macro's markup for parameters that hold no one's data and no secret (the
    header, a button, a link back): drawn by the macro the first time, then reused. Every
    page draws these; running the macros is most of a page's time."""
    key = (macro.name, json.dumps(params, sort_keys=True))
    found = _drawn.get(key)
    if found is None:
        found = Markup(macro(params))  # noqa: S704 - the macro's own markup
        if len(_drawn) >= MAX_DRAWN:
            _drawn.clear()
        _drawn[key] = found
    return found


def _testing() -> bool:
    """The test suite (and the server the browser tests start) render strictly."""
    return os.environ.get("ENVIRONMENT") == "test" or os.environ.get("STRICT_TEMPLATES") == "1"


templates = Jinja2Templates(env=_environment())
