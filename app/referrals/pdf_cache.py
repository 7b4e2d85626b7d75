"""PDFs already drawn, kept on disk (PDF_CACHE_DIR): one file per document content.

The name is the reference, the version and a hash of the whole document except the moment it
was generated, plus a hash of what draws it (templates and styles): anything that changes the
document (a decision, an addendum, a delivery, a name) makes a new file, and a cached PDF is
the same document as one drawn now. The PDF shows when it was first drawn. The files hold
personal data like the database: readable by the app's user only, the oldest removed beyond
PDF_CACHE_MAX_FILES.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.config import get_settings

_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def key(doc: Mapping[str, Any], drawn_by: str) -> str:
    content = {k: v for k, v in doc.items() if k != "generated_at"}
    canonical = json.dumps([drawn_by, content], sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    reference = _UNSAFE.sub("", str(doc.get("reference", "")))[:40]
    return f"{reference}-v{int(doc.get('version', 0))}-{digest}"


def _dir() -> Path:
    return Path(get_settings().pdf_cache_dir)


def get(name: str) -> bytes | None:
    if not get_settings().pdf_cache_max_files:
        return None
    try:
        return (_dir() / f"{name}.pdf").read_bytes()
    except FileNotFoundError:
        return None


def put(name: str, pdf: bytes) -> None:
    if not get_settings().pdf_cache_max_files:
        return
    folder = _dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        os.replace(tmp, folder / f"{name}.pdf")  # readers see the whole file or none
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _prune(folder, get_settings().pdf_cache_max_files)


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
