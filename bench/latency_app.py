"""The app as served, plus the same static file server mounted at /floor on BENCH_FLOOR_DIR:
files the same size as a screen and an autosave answer, the floor they are measured against."""

from __future__ import annotations

import os
from pathlib import Path

from app.assets import StaticAssets
from app.assets.build import build
from app.main import app

_floor = Path(os.environ["BENCH_FLOOR_DIR"])
app.mount("/floor", StaticAssets(_floor, build(_floor)), name="floor")
