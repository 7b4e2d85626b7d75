"""An officer's autosave under contention (not a test): prints autosave latency while other
clients download PDFs and post wrong passwords at the same server.

    .venv/bin/python bench/bench_contention.py                     # SQLite (a temporary file)
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_contention.py --postgres

For ``--seconds`` (10) against uvicorn on a free loopback port: one officer saving an answer
in a loop (``PUT /api/v1/incidents/{id}/answers``, what autosave and offline sync call), 4
clients downloading a large referral's PDF in a loop, 20 anonymous clients posting wrong
passwords. ``--keep-pdfs`` lets the PDF cache serve repeat downloads; by default every
download is drawn (PDF_CACHE_MAX_FILES=0), the worst case. Production argon2 costs.
Target: autosave p95 under 250 ms, 0 errors. 429s to the login clients (throttling) and 503s
to the PDF clients (all workers busy: "try again in a minute") are expected answers.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str) -> tuple[str, str, str]:
    """Officer (autosaves), supervisor (downloads) and a large submitted referral (v1: the
    builders' answers; the prompt-set version makes no difference to the PDF's cost)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ENVIRONMENT", "development")  # this process only seeds
    from sqlmodel import Session

    from app.accounts.models import Role, SecondFactorRule
    from app.checklist import promptset
    from app.db import make_engine
    from tests.checklist.builders import complete_answers
    from tests.factories import make_referral, make_team, make_user
    from tests.helpers import migrate

    eng = make_engine(url)
    migrate(eng)
    answers = complete_answers()
    answers["children"] = answers["children"] * 6  # a large family
    promptset.current = lambda: promptset.load_version(1)  # type: ignore[assignment]
    with Session(eng) as s:
        s.add_all(SecondFactorRule(role=role, required=False) for role in Role)
        team = make_team(s)
        author = make_user(s, roles=["officer"], team=team, password=PASSWORD)
        reference = make_referral(s, author, answers=answers).reference
        officer = make_user(s, roles=["officer"], team=team, password=PASSWORD).username
        supervisor = make_user(
            s, roles=["supervisor"], supervises=[team], password=PASSWORD
        ).username
    eng.dispose()
    return officer, supervisor, reference


def signed_in(base: str, username: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=30)
    token = CSRF_META.search(client.get("/login").text)
    assert token, "no CSRF token on the login page"
    sent = {"csrf_token": token[1], "username": username, "password": PASSWORD}
    assert client.post("/login", data=sent).status_code == 303, "log-in failed"
    home = client.get("/incidents")
    token = CSRF_META.search(home.text)
    assert token, "no CSRF token after log-in"
    return client, token[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--keep-pdfs", action="store_true", help="let the PDF cache serve")
    parser.add_argument("--login-clients", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-contention-"))
    if args.postgres:
        url = os.environ["DATABASE_URL"]
        assert url.startswith("postgresql"), "--postgres needs a PostgreSQL DATABASE_URL"
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    officer, supervisor, reference = seed(url)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "development",
        "PDF_CACHE_DIR": str(tmp / "pdf-cache"),
        "PDF_CACHE_MAX_FILES": "500" if args.keep_pdfs else "0",
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        run(base, officer, supervisor, reference, args.seconds, args.login_clients)
    finally:
        server.terminate()
        server.wait(10)


def run(
    base: str, officer: str, supervisor: str, reference: str, seconds: float, logins: int
) -> None:
    saver, save_token = signed_in(base, officer)
    headers = {"X-CSRF-Token": save_token}
    made = saver.post("/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=headers)
    incident = made.json()["id"]
    readers = [signed_in(base, supervisor)[0] for _ in range(4)]
    pdf_url = f"/referrals/{reference}/document.pdf"
    assert readers[0].get(pdf_url).status_code == 200  # workers started, as after a while up

    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def note(kind: str, status: int | str) -> None:
        with lock:
            outcomes[f"{kind} {status}"] += 1

    def autosave() -> None:
        i = 0
        while time.monotonic() < deadline:
            i += 1
            started = time.perf_counter()
            try:
                r = saver.put(
                    f"/api/v1/incidents/{incident}/answers",
                    json={"answers": {"incident.log_ref": f"INC-{i}"}},
                    headers=headers,
                )
                status: int | str = r.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            latencies.append((time.perf_counter() - started) * 1000)
            note("autosave", status)
            time.sleep(0.05)  # an officer typing: a save every few keystrokes

    def download(client: httpx.Client) -> None:
        while time.monotonic() < deadline:
            try:
                note("pdf", client.get(pdf_url).status_code)
            except httpx.HTTPError as exc:
                note("pdf", type(exc).__name__)

    def guess(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            token = CSRF_META.search(client.get("/login").text)
            form = {"csrf_token": token[1] if token else "", "username": f"nobody{n}"}
            while time.monotonic() < deadline:
                try:
                    r = client.post("/login", data={**form, "password": "wrong"})
                    note("login", r.status_code)
                except httpx.HTTPError as exc:
                    note("login", type(exc).__name__)

    threads = [threading.Thread(target=autosave)]
    threads += [threading.Thread(target=download, args=(c,)) for c in readers]
    threads += [threading.Thread(target=guess, args=(n,)) for n in range(logins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)

    expected = {"autosave 200", "pdf 200", "pdf 503", "login 422", "login 429"}
    errors = sum(n for k, n in outcomes.items() if k not in expected)
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"autosaves {len(ordered)}: p50 {ordered[len(ordered) // 2]:.0f} ms, "
        f"p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms"
    )
    print(
        f"PDFs {outcomes['pdf 200']} (busy 503: {outcomes['pdf 503']}); "
        f"login posts {outcomes['login 422'] + outcomes['login 429']}"
    )
    print(f"errors {errors}   all answers: {dict(sorted(outcomes.items()))}")


if __name__ == "__main__":
    main()
