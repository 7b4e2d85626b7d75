"""Test helpers: a TestClient that knows the page's CSRF token, HTML checks, migrations, and
the SQL a request sends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx2 as httpx
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

ROOT = Path(__file__).resolve().parent.parent
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent on ``engine`` meanwhile, in order."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


def migrate(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


class Browserless(TestClient):
    """A TestClient that reads the CSRF token from each page, as a browser's form would."""

    user: Any
    team: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("follow_redirects", False)
        super().__init__(*args, **kwargs)
        self.csrf = ""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        match = (
            CSRF_META.search(response.text)
            if "html" in response.headers.get("content-type", "")
            else None
        )
        if match and match.group(1):
            self.csrf = match.group(1)
        return response

    def form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form with the current CSRF token, as the page's own form would."""
        if not self.csrf:
            self.get("/login")
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)

    def log_in(self, username: str, password: str) -> httpx.Response:
        self.get("/login")
        response = self.form("/login", {"username": username, "password": password})
        assert response.status_code == 303, response.text[:2000]
        self.get("/", follow_redirects=True)  # the new session's token, from the home page
        return response


class PageChecker(HTMLParser):
    """Collects what every page must get right: one h1, a title, unique ids."""

    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def check_page(html: str) -> None:
    parser = PageChecker()
    parser.feed(html)
    assert parser.h1 == 1, f"expected one <h1>, found {parser.h1}"
    assert parser.title.strip(), "page has no <title>"
    dupes = {i for i in parser.ids if parser.ids.count(i) > 1}
    assert not dupes, f"duplicate ids: {sorted(dupes)}"
