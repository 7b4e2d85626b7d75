"""At most as many requests at work at once as there are database connections for them.

A request takes its connection at its first query (in one of its dependencies, in a worker
thread) and keeps it until its session closes; between dependencies it waits for a thread again.
With more requests under way than connections, every thread can end up waiting for a connection
held by a request that is itself waiting for a thread: 200 officers at once gave pool time-outs
and 500s. Requests past the limit wait here, on the event loop, holding nothing.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class LimitInFlight:
    def __init__(self, app: ASGIApp, *, limit: int, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.limit = limit
        self.exempt = exempt
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made on the running loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
