"""Imports run one way: accounts and audit at the bottom, then checklist, referrals, review,
coaching; a lower package never imports a higher one, and the shared modules beside them
(web, db, errors, ...) import no domain package but accounts-free helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
# Each package with the packages it may import (besides itself and the shared modules).
MAY_IMPORT: dict[str, set[str]] = {
    "audit": set(),
    "accounts": {"audit"},
    "checklist": {"accounts", "audit"},
    "referrals": {"accounts", "audit", "checklist"},
    "review": {"accounts", "audit", "checklist", "referrals"},
    "coaching": {"accounts", "audit", "checklist", "referrals", "review"},
}
# Modules that put the app together may import anything.
COMPOSITION = {"main", "seed", "worker", "models", "startup"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n.split(".")[1] for n in names if n.startswith("app.") and n.count(".") >= 1}


def _modules() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(APP)))
def test_imports_run_one_way(path: Path) -> None:
    rel = path.relative_to(APP)
    owner = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    imported = _imports(path) - {owner}
    domains = set(MAY_IMPORT)
    if owner in COMPOSITION:
        return
    # A shared module (web, db, errors, templating, ...) may import no domain package at all.
    allowed = MAY_IMPORT.get(owner, set())
    wrong = (imported & domains) - allowed
    assert not wrong, f"app/{rel} imports {sorted(wrong)}: a lower layer importing a higher one"
