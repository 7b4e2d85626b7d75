"""Bidirectional override and isolate characters (U+202A-U+202E, U+2066-U+2069): invisible, and
able to show a name reversed or to reorder what follows it on a page or in the PDF. No name
or answer needs them: they are removed as text comes in and again as any value is printed."""

from __future__ import annotations

from typing import Final, TypeVar

from markupsafe import Markup

BIDI_CONTROLS: Final = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_REMOVE: Final = dict.fromkeys(map(ord, BIDI_CONTROLS))

T = TypeVar("T")


def strip_bidi(text: str) -> str:
    if text.isascii():  # most text, and no control is ASCII: a flag read, not a scan
        return text
    return text.translate(_REMOVE)


def shown(value: T) -> T | str | Markup:
    """A value as a template prints it: text without bidi controls (markup stays markup);
    anything else unchanged. The Jinja environment's `finalize`: every `{{ }}`, in our templates
    and the GOV.UK macros alike, so no name needs a filter of its own."""
    if isinstance(value, Markup):
        if value.isascii():
            return value
        # Already markup: removing invisible characters cannot make a tag of escaped text.
        return Markup(strip_bidi(str(value)))  # noqa: S704
    if isinstance(value, str):
        return strip_bidi(value)
    return value
