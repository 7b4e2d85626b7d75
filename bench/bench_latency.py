"""A checklist screen and an autosave against the same app serving the same bytes as a static
file (not a test): medians, interleaved in one run, on uvicorn (one process, as production).

    .venv/bin/python bench/bench_latency.py [--rounds 300]
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_latency.py --postgres

Targets: a screen at most 2x, an autosave at most 3x the static floor for the same bytes.
The floor: the app's own static file server (same middleware) sending a file of exactly the
screen's (or the autosave answer's) size. Uncompressed on both sides, so the ratio is the work
the app does, not the compressor's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx2 as httpx
from harness import machine, seed_users, serve, sign_in


def _floor_files(folder: Path, screen: bytes, save: bytes) -> None:
    (folder / "screen.html").write_bytes(screen)
    (folder / "save.html").write_bytes(save)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-latency-"))
    url = os.environ["DATABASE_URL"] if args.postgres else f"sqlite:///{tmp / 'bench.db'}"
    (officer,), _ = seed_users(url, officers=1, supervisors=0)
    floor = tmp / "floor"
    floor.mkdir()
    _floor_files(floor, b"x", b"x")
    # First pass: learn the sizes of the screen and the autosave answer.
    sizes = run(url, tmp, floor, officer, rounds=3)
    _floor_files(floor, b"s" * sizes["screen_bytes"], b"a" * sizes["save_bytes"])
    figures = run(url, tmp, floor, officer, rounds=args.rounds)
    figures["database"] = "PostgreSQL" if args.postgres else "SQLite"
    figures["machine"] = machine()
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


def run(url: str, tmp: Path, floor: Path, officer: str, *, rounds: int) -> dict[str, object]:
    env = {"BENCH_FLOOR_DIR": str(floor)}
    with serve(url, tmp, app="latency_app:app", extra_env=env) as server:
        headers, _ = sign_in(server.base, officer)
        plain = {**headers, "Accept-Encoding": "identity"}
        with httpx.Client(base_url=server.base, timeout=30, headers=plain) as client:
            made = client.post("/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())})
            assert made.status_code == 201, made.text
            screen_url = f"/incidents/{made.json()['id']}/s/incident/1"
            floor_names = json.loads((floor / "dist" / "manifest.json").read_text())["files"]

            def screen() -> httpx.Response:
                return client.get(screen_url)

            def save(n: int) -> httpx.Response:
                form = {
                    "csrf_token": headers["X-CSRF-Token"],
                    "_present": "incident.log_ref",
                    "incident.log_ref": f"LOG-{n}",
                    "autosave": "1",
                }
                return client.post(screen_url, data=form, headers={"HX-Request": "true"})

            samples: dict[str, list[float]] = {k: [] for k in ("screen", "save", "fs", "fa")}
            sizes = {}
            for n in range(rounds + 10):  # the first 10 warm up
                for name, call in (
                    ("screen", screen),
                    ("fs", lambda: client.get("/floor/" + floor_names["screen.html"])),
                    ("save", lambda n=n: save(n)),
                    ("fa", lambda: client.get("/floor/" + floor_names["save.html"])),
                ):
                    started = time.perf_counter()
                    response = call()
                    took = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, (name, response.status_code)
                    sizes[name] = len(response.content)
                    if n >= 10:
                        samples[name].append(took)
    median = {k: statistics.median(v) for k, v in samples.items()}
    return {
        "screen_bytes": sizes["screen"],
        "save_bytes": sizes["save"],
        "floor_bytes": [sizes["fs"], sizes["fa"]],
        "screen_ms": round(median["screen"], 2),
        "screen_floor_ms": round(median["fs"], 2),
        "screen_ratio": round(median["screen"] / median["fs"], 2),
        "save_ms": round(median["save"], 2),
        "save_floor_ms": round(median["fa"], 2),
        "save_ratio": round(median["save"] / median["fa"], 2),
        "rounds": rounds,
    }


if __name__ == "__main__":
    main()
