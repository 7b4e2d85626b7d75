"""Write bench/RESULTS.md from the JSON the benchmarks wrote (``make bench``): one markdown
table of figure, target, measured, machine, date and command."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _read(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def rows(folder: Path) -> list[tuple[str, str, str, str, str]]:
    out: list[tuple[str, str, str, str, str]] = []
    weight = _read(folder, "weight")
    if weight:
        for url, (page, total) in weight["screens"].items():
            cmd = "bench/bench_weight.py"
            out.append(
                (
                    f"first load, {url} (br)",
                    "≤ 50 KB",
                    f"{total / 1024:.1f} KB",
                    weight["machine"],
                    cmd,
                )
            )
            out.append(
                (
                    f"later screen, {url} (br)",
                    "≤ 6 KB",
                    f"{page / 1024:.1f} KB",
                    weight["machine"],
                    cmd,
                )
            )
    for db in ("sqlite", "postgres"):
        lat = _read(folder, f"latency-{db}")
        if lat:
            cmd = "bench/bench_latency.py" + (" --postgres" if db == "postgres" else "")
            out.append(
                (
                    f"checklist screen / static floor, {lat['database']}",
                    "≤ 2x",
                    f"{lat['screen_ratio']}x ({lat['screen_ms']} / {lat['screen_floor_ms']} ms, "
                    f"{lat['screen_bytes']} B)",
                    lat["machine"],
                    cmd,
                )
            )
            out.append(
                (
                    f"autosave / static floor, {lat['database']}",
                    "≤ 3x",
                    f"{lat['save_ratio']}x ({lat['save_ms']} / {lat['save_floor_ms']} ms, "
                    f"{lat['save_bytes']} B)",
                    lat["machine"],
                    cmd,
                )
            )
        upsert = _read(folder, f"upsert-{db}")
        if upsert:
            cmd = "bench/bench_upsert.py" + (" --postgres" if db == "postgres" else "")
            out.append(
                (
                    f"one more upsert in an autosave's transaction, {upsert['database']}",
                    "what it costs",
                    f"+{upsert['upsert_ms']} ms ({upsert['save_ms']} ms without, "
                    f"{upsert['save_with_upsert_ms']} ms with)",
                    upsert["machine"],
                    cmd,
                )
            )
        load = _read(folder, f"load-{db}")
        if load:
            cmd = "bench/bench_load.py" + (" --postgres" if db == "postgres" else "")
            stored = load["stored"]
            out.append(
                (
                    f"load, {load['officers']} officers {load['seconds']} s, {load['database']}",
                    "0 errors; all stored once, complete",
                    f"{load['throughput_rps']} req/s, p50 {load['p50_ms']} / "
                    f"p95 {load['p95_ms']} / p99 {load['p99_ms']} ms, {load['errors']} errors; "
                    f"{stored['present_once_and_complete']} of {stored['submitted']} submitted "
                    "stored once and complete",
                    load["machine"],
                    cmd,
                )
            )
    out += lighthouse_rows(folder) + scale_rows(folder)
    return out


def lighthouse_rows(folder: Path) -> list[tuple[str, str, str, str, str]]:
    found = _read(folder, "lighthouse")
    if not found:
        return []
    return [
        (
            f"Lighthouse mobile, {name}",
            "each ≥ 98",
            f"performance {p['performance']}, accessibility {p['accessibility']}, "
            f"best practices {p['best-practices']}; LCP {p['lcp_ms']} ms, TBT {p['tbt_ms']} ms",
            found["machine"],
            "bench/bench_lighthouse.py",
        )
        for name, p in found["pages"].items()
    ]


# Issue 11: every view of the coach's dashboard at force scale.
COACH_TARGET = "well under 1 s at 1,000,000"


def scale_rows(folder: Path) -> list[tuple[str, str, str, str, str]]:
    """One row per query and database: its time at each size."""
    grown: dict[tuple[str, str], list[tuple[int, str]]] = {}
    where: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("scale-*.json")):  # one file per database (and run)
        found = json.loads(path.read_text())
        db = found["database"]
        cmd = "bench/bench_scale.py" + (" --postgres" if db != "SQLite" else "")
        where[db] = (found["machine"], cmd)
        for run in sorted(found["runs"], key=lambda r: r["size"]):
            for query, after in run["after_ms"].items():
                grown.setdefault((query, db), []).append(
                    (run["size"], f"{run['size']:,}: {after} ms")
                )
    return [
        (
            f"{query}, {db} (incidents: ms)",
            "how it grows" if query.startswith(("queue", "waiting")) else COACH_TARGET,
            "; ".join(text for _, text in sorted(sizes)),
            *where[db],
        )
        for (query, db), sizes in grown.items()
    ]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "out"
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/write_results.py); each figure's command is in the table.",
        "",
        "| figure | target | measured | machine | date | command |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {f} | {t} | {m} | {mc} | {date} | `{c}` |" for f, t, m, mc, c in rows(folder)]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
