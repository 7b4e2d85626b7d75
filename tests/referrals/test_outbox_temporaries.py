"""Outbox files are written to a temporary file in the same folder, fsynced, then renamed; a
crash mid-write leaves only a temporary file, which the worker removes at start once it is
older than any write takes (another worker's write in progress is left alone)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from app import worker
from app.referrals import transport as transport_module
from app.referrals.transport import STALE_TEMPORARY_SECONDS, FolderTransport, Parcel


def _parcel() -> Parcel:
    return Parcel(reference="TC-2026-000001", version=1, document={"reference": "x"}, pdf=b"%PDF-1")


def test_each_file_is_written_beside_its_target_fsynced_then_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str, dst: str | Path) -> None:
        steps.append(("replace", (src, str(dst))))
        real_replace(src, dst)

    monkeypatch.setattr(transport_module.os, "fsync", fsync)
    monkeypatch.setattr(transport_module.os, "replace", replace)
    FolderTransport(tmp_path).send(_parcel())

    names = [name for kind, name in steps if kind == "fsync"]
    renames = [pair for kind, pair in steps if kind == "replace"]
    assert [kind for kind, _ in steps] == ["fsync", "replace", "fsync", "replace"]
    for synced, (src, dst) in zip(names, renames, strict=True):
        assert synced == src  # the file renamed is the file fsynced
        assert Path(src).parent == tmp_path and Path(src).name.endswith(".tmp")
        assert Path(dst).parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "TC-2026-000001-v1.json",
        "TC-2026-000001-v1.pdf",
    ]


def test_the_worker_removes_stale_temporary_files_at_start(engine: Engine, tmp_path: Path) -> None:
    stale = tmp_path / ".TC-2026-000002-v1.json.abc123.tmp"
    fresh = tmp_path / ".TC-2026-000003-v1.json.def456.tmp"  # another worker, writing now
    delivered = tmp_path / "TC-2026-000001-v1.json"
    for path in (stale, fresh, delivered):
        path.write_text("{}")
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(delivered, (old, old))

    worker.run(engine=engine, transport=FolderTransport(tmp_path), worker="t", once=True)

    assert not stale.exists()
    assert fresh.exists() and delivered.exists()


def test_a_missing_outbox_folder_has_nothing_to_remove(tmp_path: Path) -> None:
    assert FolderTransport(tmp_path / "not-yet").remove_stale_temporaries() == 0
