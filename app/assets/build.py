"""Build the static files: fingerprinted names, references rewritten, pre-compressed copies.

Every file under ``static/`` (except ``static/dist/``, the output) is copied to
``static/dist/<dir>/<stem>.<hash><suffix>``, the hash taken from the content as written. A
reference to another static file inside CSS or JavaScript (``"/static/js/checklist.mjs"``,
``url(/static/...)``) is rewritten to that file's fingerprinted name first, so a change to an
imported module changes the name of the module importing it. Text files also get ``.br`` and
``.gz`` copies beside them (when smaller). ``manifest.json`` maps each source name to its
fingerprinted name, with a digest of the sources so a stale build is noticed.

Run by ``make static`` (and ``make run`` / ``make test``); the app builds at start-up too when
the manifest is missing or stale, so a checkout that skipped ``make`` still serves right.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import brotli
import rcssmin
import rjsmin

DIST = "dist"
MANIFEST = "manifest.json"
HASH_LENGTH = 12
# Text that compresses; images such as PNG are compressed already.
COMPRESSIBLE = frozenset({".css", ".js", ".mjs", ".json", ".svg", ".ico", ".txt", ".map"})
REWRITTEN = frozenset({".css", ".js", ".mjs"})
# Our own scripts and styles are served minified (comments and spaces out: rJSmin and rCSSmin);
# vendored files come minified already.
MINIFIED = {".js": rjsmin.jsmin, ".mjs": rjsmin.jsmin, ".css": rcssmin.cssmin}
# "/static/x" in quotes or in url(...): the references a browser follows from CSS or JS.
REFERENCE = re.compile(r"""(?<=["'(])/static/([A-Za-z0-9_.@/-]+)(?=["')])""")


class BuildError(Exception):
    """The static files cannot be built (an import cycle between them)."""


@dataclass
class Manifest:
    sources: str
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"sources": self.sources, "files": self.files}, indent=1, sort_keys=True)


def source_files(static_dir: Path) -> list[str]:
    """Every source file, as a path relative to ``static_dir`` with forward slashes."""
    names = []
    for path in static_dir.rglob("*"):
        relative = path.relative_to(static_dir)
        if path.is_file() and relative.parts[0] != DIST and not relative.name.startswith("."):
            names.append(relative.as_posix())
    return sorted(names)


def sources_digest(static_dir: Path) -> str:
    """One digest of every source file's name and content: a build is stale when it changes."""
    digest = hashlib.sha256()
    for name in source_files(static_dir):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256((static_dir / name).read_bytes()).digest())
    return digest.hexdigest()


def fingerprinted(name: str, content: bytes) -> str:
    """``js/app.mjs`` -> ``js/app.<hash>.mjs`` (the hash of the content as served)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        stem, suffix = name, ""
    tag = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return f"{stem}.{tag}.{suffix}" if suffix else f"{stem}.{tag}"


def minified(name: str, content: bytes) -> bytes:
    """Our own script or style without its comments and spaces; anything else as it is."""
    minify = MINIFIED.get(Path(name).suffix)
    if minify is None or name.startswith("vendor/") or ".min." in name:
        return content
    text: str = minify(content.decode("utf-8"))
    return text.encode("utf-8")


def _write(path: Path, content: bytes) -> None:
    """Written to a temporary file and renamed: a reader never sees half a file, and two
    processes building the same sources at once write the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # readable by the server's user (mkstemp makes it owner-only)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _compressed(content: bytes) -> dict[str, bytes]:
    copies = {
        ".br": brotli.compress(content, quality=11),
        ".gz": gzip.compress(content, compresslevel=9, mtime=0),
    }
    return {suffix: data for suffix, data in copies.items() if len(data) < len(content)}


class _Builder:
    def __init__(self, static_dir: Path) -> None:
        self.static_dir = static_dir
        self.names = set(source_files(static_dir))
        self.files: dict[str, str] = {}
        self.contents: dict[str, bytes] = {}
        self._visiting: set[str] = set()

    def build(self, name: str) -> str:
        """The fingerprinted name of ``name``, building what it references first."""
        if name in self.files:
            return self.files[name]
        if name in self._visiting:
            raise BuildError(f"static files reference each other in a cycle at {name}")
        self._visiting.add(name)
        content = (self.static_dir / name).read_bytes()
        if Path(name).suffix in REWRITTEN:
            content = self._rewrite(content)
        content = minified(name, content)
        self._visiting.discard(name)
        self.files[name] = fingerprinted(name, content)
        self.contents[name] = content
        return self.files[name]

    def _rewrite(self, content: bytes) -> bytes:
        def replace(match: re.Match[str]) -> str:
            target = match.group(1)
            if target not in self.names:
                return match.group(0)  # not ours (left as it is, as the browser would see it)
            return "/static/" + self.build(target)

        return REFERENCE.sub(replace, content.decode("utf-8")).encode("utf-8")


def build(static_dir: Path) -> Manifest:
    """Build ``static_dir/dist`` and its manifest; files already there are rewritten only when
    missing (their names are their content)."""
    builder = _Builder(static_dir)
    for name in sorted(builder.names):
        builder.build(name)
    dist = static_dir / DIST
    for name, target in builder.files.items():
        path = dist / target
        content = builder.contents[name]
        if not path.exists():
            _write(path, content)
        if Path(name).suffix in COMPRESSIBLE:
            for suffix, data in _compressed(content).items():
                if not Path(f"{path}{suffix}").exists():
                    _write(Path(f"{path}{suffix}"), data)
    manifest = Manifest(sources=sources_digest(static_dir), files=builder.files)
    _write(dist / MANIFEST, manifest.to_json().encode())
    return manifest


def prune(static_dir: Path, manifest: Manifest) -> int:
    """Remove built files the manifest no longer names (``make static``; never at start-up,
    where a server still running the previous build may be serving them)."""
    dist = static_dir / DIST
    keep = {MANIFEST}
    for target in manifest.files.values():
        keep |= {target, f"{target}.br", f"{target}.gz"}
    removed = 0
    for path in dist.rglob("*"):
        if path.is_file() and path.relative_to(dist).as_posix() not in keep:
            path.unlink()
            removed += 1
    return removed


def load(static_dir: Path) -> Manifest | None:
    """The manifest as built, or None when there is none or it is unreadable."""
    try:
        data = json.loads((static_dir / DIST / MANIFEST).read_text("utf-8"))
        return Manifest(sources=str(data["sources"]), files=dict(data["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def current(static_dir: Path) -> Manifest:
    """The manifest for the sources as they are now: the one built, or a new build if stale."""
    manifest = load(static_dir)
    if manifest is not None and manifest.sources == sources_digest(static_dir):
        missing = [t for t in manifest.files.values() if not (static_dir / DIST / t).is_file()]
        if not missing:
            return manifest
    return build(static_dir)
