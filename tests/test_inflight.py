"""No more requests at work at once than connections for them (app/inflight.py)."""

from __future__ import annotations

import asyncio
import threading

from starlette.types import Receive, Scope, Send

from app.inflight import LimitInFlight


def test_requests_past_the_limit_wait_and_static_files_do_not() -> None:
    at_work = 0
    most = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal at_work, most
        at_work += 1
        most = max(most, at_work)
        await asyncio.sleep(0.01)
        at_work -= 1

    limited = LimitInFlight(app, limit=3, exempt=("/static/",))

    async def noop_receive() -> dict[str, object]:
        return {"type": "http.request"}

    async def noop_send(_message: object) -> None:
        return None

    async def many(path: str) -> None:
        scope = {"type": "http", "path": path}
        await asyncio.gather(*(limited(scope, noop_receive, noop_send) for _ in range(20)))

    def run(path: str) -> int:
        nonlocal most
        most = 0
        # In a thread of its own: the browser tests' Playwright keeps an event loop in this one.
        runner = threading.Thread(target=asyncio.run, args=(many(path),))
        runner.start()
        runner.join(timeout=30)
        return most

    assert run("/incidents") == 3
    assert run("/static/css/app.css") == 20
