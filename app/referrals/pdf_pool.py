"""PDF drawing, bounded: at most ``size`` PDFs drawn at once (one a core), each in a worker
process (``pdf_worker``) that is killed if it takes longer than the time limit.

A request beyond the cap waits for a free worker up to ``wait_seconds``, then is refused with
``PdfUnavailable`` (a 503 page: "try again in a minute"); a drawing past ``timeout_seconds``
is stopped (its worker killed, a new one started next time) and refused with ``PdfTooSlow``.
Workers start on first use and stay warm (WeasyPrint imported, stylesheets parsed).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from app.config import get_settings
from app.errors import DomainError
from app.referrals.pdf_worker import READY, Draw, serve, weasyprint_drawer

log = logging.getLogger(__name__)
MakeDrawer = Callable[[Sequence[str]], Draw]


class PdfUnavailable(DomainError):
    """Every PDF worker stayed busy for the whole wait."""

    status_code = 503
    code = "pdf_busy"


class PdfTooSlow(PdfUnavailable):
    """Drawing took longer than the time limit, or the worker failed."""

    code = "pdf_failed"


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class RenderPool:
    def __init__(
        self,
        *,
        styles: Sequence[str],
        size: int,
        wait_seconds: float,
        timeout_seconds: float,
        start_seconds: float = 60,
        make_drawer: MakeDrawer = weasyprint_drawer,
    ) -> None:
        self.size = size
        self.wait_seconds = wait_seconds
        self.timeout_seconds = timeout_seconds
        self.start_seconds = start_seconds
        self._styles = list(styles)
        self._make_drawer = make_drawer
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        # spawn: a fresh interpreter, never a fork of a process holding threads and locks
        self._context = multiprocessing.get_context("spawn")

    def render(self, html: str) -> bytes:
        """The PDF of ``html``; raises PdfUnavailable when busy, PdfTooSlow past the limit."""
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise PdfUnavailable()
        try:
            worker = self._take()
            try:
                worker.conn.send(html)
                if not worker.conn.poll(self.timeout_seconds):
                    log.error("PDF drawing passed %s s: worker stopped", self.timeout_seconds)
                    raise PdfTooSlow()
                status, payload = worker.conn.recv()
            except (OSError, EOFError) as exc:
                self._kill(worker)
                log.error("PDF worker failed: %s", exc)
                raise PdfTooSlow() from exc
            except BaseException:
                self._kill(worker)
                raise
            with self._lock:
                self._idle.append(worker)
            if status != "ok":
                log.error("PDF drawing failed: %s", payload)
                raise PdfTooSlow()
            pdf: bytes = payload
            return pdf
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop the idle workers (busy ones are stopped by their own request)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            self._kill(worker)

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, self._make_drawer, self._styles), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            if parent.poll(self.start_seconds) and parent.recv() == READY:
                return worker
        except (OSError, EOFError):
            pass
        self._kill(worker)
        log.error("PDF worker did not start within %s s", self.start_seconds)
        raise PdfTooSlow()

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)


@functools.cache
def shared(styles: tuple[str, ...]) -> RenderPool:
    """This process's pool, sized from settings (PDF_WORKERS; 0 = one a core but one, so that
    PDFs never take every core from the officers' saves: at least one)."""
    s = get_settings()
    return RenderPool(
        styles=styles,
        size=s.pdf_workers or max(1, (os.cpu_count() or 1) - 1),
        wait_seconds=s.pdf_wait_seconds,
        timeout_seconds=s.pdf_timeout_seconds,
    )
