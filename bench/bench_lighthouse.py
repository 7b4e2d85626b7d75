"""Lighthouse 12 (mobile profile, Debian's Chromium) on the officer's screens and the
supervisor's review queue, signed in (not a test): performance, accessibility, best practices,
LCP and TBT, and every audit that cost a point.

    .venv/bin/python bench/bench_lighthouse.py [--json out.json]

Installs ``lighthouse@12`` under ``.tools/lh`` with npm if it is not there (13.x needs Node 22).
The server runs as production (uvicorn, one process); the session cookie goes to Chromium as
an extra header, since production cookies are ``Secure`` and this speaks plain HTTP on loopback.
Target: each score at least 98.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx2 as httpx
from harness import PASSWORD, ROOT, machine, serve, sign_in

LH_DIR = ROOT / ".tools" / "lh"
LH = LH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
REFERRALS = 8  # in the supervisor's queue


def ensure_lighthouse() -> Path:
    if not LH.exists():
        LH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(LH_DIR), "--no-audit", "--no-fund", "lighthouse@12"],
            check=True,
        )
    return LH


def seed(url: str) -> tuple[str, str]:
    """One team, an officer, their supervisor and a few submitted referrals in the queue."""
    import os

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ENVIRONMENT", "development")  # this process only seeds
    from sqlmodel import Session

    from app.accounts.models import Role, SecondFactorRule
    from app.db import make_engine
    from tests.factories import make_referral, make_team, make_user
    from tests.helpers import migrate

    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as s:
        s.add_all(SecondFactorRule(role=role, required=False) for role in Role)
        team = make_team(s)
        officer = make_user(s, roles=["officer"], team=team, password=PASSWORD)
        boss = make_user(s, roles=["supervisor"], supervises=[team], password=PASSWORD)
        for _ in range(REFERRALS):
            make_referral(s, officer, answers=complete())
        names = officer.username, boss.username
    engine.dispose()
    return names


def _incident(base: str, headers: dict[str, str], answers: dict[str, object]) -> str:
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        made = client.post("/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        incident = str(made.json()["id"])
        if answers:
            put = client.put(f"/api/v1/incidents/{incident}/answers", json={"answers": answers})
            assert put.status_code == 200, put.text
    return incident


def complete() -> dict[str, Any]:
    """Complete answers under the current prompt set."""
    from app.checklist import promptset
    from tests.checklist.builders import complete_answers
    from tests.checklist.builders_v2 import complete_answers_v2

    return complete_answers() if promptset.current().version == 1 else complete_answers_v2()


def officer_screens(base: str, headers: dict[str, str]) -> dict[str, str]:
    full = _incident(base, headers, complete())
    blank = _incident(base, headers, {})
    return {
        "incidents list": "/incidents",
        "a checklist screen": f"/incidents/{blank}/s/incident/1",
        "check your answers": f"/incidents/{full}/check",
    }


def lighthouse(url: str, cookie: str, out: Path) -> dict[str, Any]:
    extra = out.with_suffix(".headers.json")
    extra.write_text(json.dumps({"Cookie": cookie}))
    subprocess.run(
        [
            str(LH),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--extra-headers={extra}",
            f"--chrome-flags={FLAGS}",
        ],
        check=True,
        env={"CHROME_PATH": CHROME, "PATH": "/usr/bin:/bin"},
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    lost = []
    for c in CATEGORIES:
        for ref in report["categories"][c]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{c}: {ref['id']} ({audit['score']}) {audit.get('displayValue', '')}")
    return {
        **scores,
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lost": lost,
        "final_url": report["finalDisplayedUrl"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    ensure_lighthouse()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-lh-"))
    url = f"sqlite:///{tmp / 'lh.db'}"
    officer, boss = seed(url)
    pages: dict[str, dict[str, Any]] = {}
    with serve(url, tmp) as server:
        headers, _ = sign_in(server.base, officer)
        screens = officer_screens(server.base, headers)
        for name, path in screens.items():
            pages[name] = lighthouse(server.base + path, headers["Cookie"], tmp / f"{name}.json")
        boss_headers, _ = sign_in(server.base, boss)
        pages["review queue"] = lighthouse(
            server.base + "/review", boss_headers["Cookie"], tmp / "review.json"
        )
    for name, page in pages.items():
        assert "/login" not in page["final_url"], f"{name}: Lighthouse was not signed in"
    figures = {"pages": pages, "machine": machine(), "reports": str(tmp)}
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
