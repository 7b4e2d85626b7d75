"""Static files: built with fingerprinted names and pre-compressed copies (``build``), served
with long caching (``serve``), and named in templates through ``static_url("js/app.mjs")``."""

from __future__ import annotations

from functools import cache

from app.assets.build import Manifest, current
from app.assets.serve import StaticAssets
from app.paths import STATIC_DIR

__all__ = ["StaticAssets", "manifest", "static_url"]


@cache
def manifest() -> Manifest:
    """The manifest for the static files as they are (built now if missing or stale)."""
    return current(STATIC_DIR)


def static_url(name: str) -> str:
    """The URL of a static file under its fingerprinted name: ``static_url("css/app.css")``.
    An unknown name is an error (a typo must not become a page without its styles)."""
    try:
        return "/static/" + manifest().files[name]
    except KeyError:
        raise LookupError(f"no static file {name!r} (see static/)") from None
