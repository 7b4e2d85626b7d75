"""A prompt's form field as the GOV.UK macros draw it, drawn once per shape and reused.

Running the GOV.UK macros (``templates/checklist/_field.html``) is most of the time a checklist
screen takes. Their output for a prompt depends on a few facts (which option is ticked, whether a
box is empty, whether there is an error, how the page shows it) and on text printed as it is (what
was typed, the error's words, the saved answers a condition reads). So the macro runs once per
prompt and shape, with a marker in place of each text; later the markers are replaced by that
text, escaped as the template escapes it. The cached markup holds no answer, only markers: no
officer's words outlive the request. tests/checklist/test_field_markup.py checks that the
result is the macro's own output, for every prompt of every prompt set.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from markupsafe import Markup, escape

from app.checklist.promptset import Prompt, PromptType
from app.checklist.view import FieldView
from app.templating import templates
from app.text import strip_bidi

# Private-use characters: never typed, untouched by escaping, and not bidi controls.
_OPEN, _CLOSE = "\ue000", "\ue001"
MAX_SHAPES = 4096  # far more than the prompt sets' fields in all their shapes

_TYPED = (PromptType.SHORT, PromptType.NUMBER, PromptType.TEXT)
_DATED = (PromptType.DATE, PromptType.DATETIME)
_PARTS = {
    PromptType.DATE: ("day", "month", "year"),
    PromptType.DATETIME: ("day", "month", "year", "time"),
}

# One prepared field: its markup split at the markers, literal text at even positions and the
# name of a slot at odd ones, and the slots the macros indent. Held with its prompt, so the
# prompt's id() stays unique.
_Pieces = tuple[str, ...]
_Shape = tuple[Prompt, _Pieces, frozenset[str]]
_shapes: dict[Hashable, _Shape] = {}
_lock = threading.Lock()


def _marker(name: str) -> str:
    # The newline shows whether the macros indent what is put in this place.
    return f"{_OPEN}{name}\n{_CLOSE}"


def _macro() -> Callable[..., Markup]:
    field: Callable[..., Markup] = templates.env.get_template("checklist/_field.html").module.field  # type: ignore[attr-defined]
    return field


def _split(markup: str) -> tuple[_Pieces, frozenset[str]]:
    """The pieces of ``markup``, and the slots whose text the macros re-indent (a marker's
    newline came back with spaces after it): a text with a line break is not put there."""
    pieces: list[str] = []
    indented: set[str] = set()
    rest = markup
    while _OPEN in rest:
        before, _, after = rest.partition(_OPEN)
        inside, _, rest = after.partition(_CLOSE)
        name = inside.split("\n", 1)[0]
        if inside != name + "\n":
            indented.add(name)
        pieces += [before, name]
    pieces.append(rest)
    return tuple(pieces), frozenset(indented)


def _text(value: str) -> str:
    """A text as ``{{ value }}`` prints it: escaped, without bidi controls (app/text.py)."""
    return strip_bidi(str(escape(value)))


def _shape(
    f: FieldView, raw: Mapping[str, Any], single: bool, locked: bool
) -> tuple[Hashable, dict[str, str], dict[str, Any]] | None:
    """The field's shape (the cache key), its texts by slot, and the raw values with markers in
    place of those texts; None when the field is not drawn from shapes (a list of items, or a
    value that is not text)."""
    p = f.prompt
    texts: dict[str, str] = {"context": f.context}
    if f.error:
        texts["error"] = f.error
    marked: dict[str, Any] = {}
    facts: tuple[Hashable, ...] = ()
    if p.type is PromptType.REPEAT:
        return None
    if p.type in (PromptType.YESNO, PromptType.CHOICE):
        # Only compared with the options: any other value ticks none, as no value does.
        value = raw.get(p.id)
        options = ("yes", "no") if p.type is PromptType.YESNO else [o.id for o in p.options]
        facts = (value if value in options else None,)
        marked[p.id] = facts[0]
    elif p.type is PromptType.MULTI:
        chosen = raw.get(p.id) or []
        if not isinstance(chosen, str | list | tuple):
            return None
        facts = tuple(o.id for o in p.options if o.id in chosen)
        marked[p.id] = list(facts)
    elif p.type in _TYPED or p.type in _DATED:
        names = [f"{p.id}-{part}" for part in _PARTS[p.type]] if p.type in _DATED else [p.id]
        for i, name in enumerate(names):
            value = raw.get(name, "")
            if not isinstance(value, str):
                return None
            facts += (value == "",)
            if value:
                texts[f"v{i}"] = value
                marked[name] = _marker(f"v{i}")
    key = (id(p), f.id, f.client_when, f.shown, bool(f.error), single, locked, facts)
    return key, texts, marked


def render(
    f: FieldView, raw: Mapping[str, Any], place_url: str, single: bool = False, locked: bool = False
) -> Markup:
    """The ``field`` macro's markup for ``f`` (same arguments), from its shape when drawn before."""
    shaped = _shape(f, raw, single, locked)
    if shaped is None:
        return _macro()(f, raw, place_url, single, locked=locked)
    key, texts, marked = shaped
    found = _shapes.get(key)
    if found is None:
        blank = dataclasses.replace(
            f, context=_marker("context"), error=_marker("error") if f.error else ""
        )
        pieces, indented = _split(str(_macro()(blank, marked, place_url, single, locked=locked)))
        found = (f.prompt, pieces, indented)
        with _lock:
            if len(_shapes) >= MAX_SHAPES:
                _shapes.clear()
            _shapes[key] = found
    _prompt, pieces, indented = found
    if any(texts[name].splitlines() != [texts[name]] for name in indented if name in texts):
        return _macro()(f, raw, place_url, single, locked=locked)  # lines the macros indent
    out = [piece if i % 2 == 0 else _text(texts[piece]) for i, piece in enumerate(pieces)]
    return Markup("".join(out))  # noqa: S704 - the macro's markup with escaped texts
