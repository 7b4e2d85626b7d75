"""CSRF, the role gates (a table of role x route), security headers and error pages."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.assets import static_url
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless, check_page

ROLES = ("officer", "supervisor", "coach", "admin")

# (method, path, roles allowed). Every page and action of the app belongs here.
ROUTES: list[tuple[str, str, set[str]]] = [
    ("GET", "/", set(ROLES)),
    ("GET", "/admin/users", {"admin"}),
    ("GET", "/admin/users/new", {"admin"}),
    ("POST", "/admin/users/new", {"admin"}),
    ("GET", "/admin/users/{user_id}", {"admin"}),
    ("POST", "/admin/users/{user_id}", {"admin"}),
    ("POST", "/admin/users/{user_id}/status", {"admin"}),
    ("POST", "/admin/users/{user_id}/unlock", {"admin"}),
    ("POST", "/admin/users/{user_id}/password", {"admin"}),
    ("GET", "/admin/teams", {"admin"}),
    ("POST", "/admin/teams", {"admin"}),
    ("GET", "/admin/audit", {"admin"}),
    # The officer's checklist. Pages that name an incident or a referral are in the same kind
    # of table in tests/checklist/test_flow_access.py, which makes a real incident for them.
    ("GET", "/incidents", {"officer"}),
    ("POST", "/incidents", {"officer"}),
    ("GET", "/review", {"supervisor"}),
    # Pages of one record: a role that may use them gets past the gate to "not found" (404)
    # for a record that does not exist; the records' own access rules are tested beside them.
    ("GET", "/review/TC-2026-999999", {"supervisor"}),
    ("POST", "/review/TC-2026-999999/decision", {"supervisor"}),
    ("POST", "/review/TC-2026-999999/addenda", {"supervisor"}),
    ("POST", "/review/TC-2026-999999/redeliver", {"supervisor"}),
    ("GET", "/referrals/TC-2026-999999", {"officer"}),
    ("POST", "/referrals/TC-2026-999999/addenda", {"officer"}),
    ("GET", "/referrals/TC-2026-999999/document", set(ROLES)),
    ("GET", "/referrals/TC-2026-999999/changes", set(ROLES)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "allowed"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES]
)
def test_role_gate(
    client: Browserless, session: Session, role: str, method: str, path: str, allowed: set[str]
) -> None:
    team = make_team(session)
    user = make_user(session, roles=[role], team=team, supervises=[team], coaches=[team])
    target = make_user(session, roles=["officer"], team=team)
    client.log_in(user.username, PASSWORD)
    url = path.format(user_id=target.id)
    response = client.get(url) if method == "GET" else client.form(url, {})
    if role in allowed:
        assert response.status_code in (200, 303, 404, 422), response.status_code
        if "TC-2026-999999" not in path:
            assert response.status_code != 404
    else:
        assert response.status_code == 403
        assert "You do not have permission" in response.text


@pytest.mark.parametrize(
    ("method", "path", "_allowed"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES]
)
def test_signed_out_users_are_sent_to_sign_in(
    client: Browserless, session: Session, method: str, path: str, _allowed: set[str]
) -> None:
    url = path.format(user_id=make_user(session).id)
    response = client.get(url) if method == "GET" else client.form(url, {})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_post_without_csrf_token_is_refused(as_admin: Browserless) -> None:
    response = as_admin.post("/admin/teams", data={"name": "Night shift"})
    assert response.status_code == 403
    assert "Your session may have expired" in response.text
    assert "Night shift" not in as_admin.get("/admin/teams").text


def test_post_with_a_wrong_csrf_token_is_refused(as_admin: Browserless) -> None:
    response = as_admin.post("/admin/teams", data={"name": "Night", "csrf_token": "x" * 43})
    assert response.status_code == 403


def test_csrf_header_is_accepted_for_scripts(as_admin: Browserless) -> None:
    response = as_admin.post(
        "/admin/teams", data={"name": "Late turn"}, headers={"X-CSRF-Token": as_admin.csrf}
    )
    assert response.status_code == 303
    assert "Late turn" in as_admin.get("/admin/teams").text


def test_login_form_needs_csrf_too(client: Browserless, session: Session) -> None:
    user = make_user(session)
    client.get("/login")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 403


def test_csrf_token_is_in_meta_and_htmx_headers(as_officer: Browserless) -> None:
    page = as_officer.get("/incidents").text
    assert f'<meta name="csrf-token" content="{as_officer.csrf}">' in page
    assert f'"X-CSRF-Token": "{as_officer.csrf}"' in page


def test_security_headers_on_pages(as_officer: Browserless) -> None:
    headers = as_officer.get("/incidents").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in headers  # development and test only


def test_hsts_and_secure_cookie_outside_development(
    client: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import get_settings
    from app.db import get_session
    from app.main import create_app

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("AUDIT_KEY", "a" * 40)
    get_settings.cache_clear()
    try:
        prod_app = create_app()
        prod_app.dependency_overrides[get_session] = lambda: session
        with Browserless(prod_app, base_url="https://testserver") as prod:
            response = prod.get("/login")
            assert "max-age=" in response.headers["strict-transport-security"]
            cookie = response.headers["set-cookie"]
            assert cookie.startswith("__Host-tc_login=") and "Secure" in cookie
            user = make_user(session)
            signed_in = prod.form("/login", {"username": user.username, "password": PASSWORD})
            assert signed_in.status_code == 303
            cookies = signed_in.headers.get_list("set-cookie")
            assert any(c.startswith("__Host-tc_session=") and "Secure" in c for c in cookies)
    finally:
        monkeypatch.setenv("ENVIRONMENT", "test")
        get_settings.cache_clear()


def test_no_inline_script_or_style_in_pages(as_admin: Browserless) -> None:
    for url in ("/", "/admin/users", "/admin/users/new", "/admin/teams", "/admin/audit", "/login"):
        html = as_admin.get(url).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html, url
        assert "javascript:" not in html


def test_htmx_is_configured_without_eval_or_history_copies(as_officer: Browserless) -> None:
    html = as_officer.get("/incidents").text
    assert '"allowEval":false' in html
    assert '"historyCacheSize":0' in html
    assert '"includeIndicatorStyles":false' in html


def test_static_files_are_vendored_and_cacheable(client: Browserless) -> None:
    response = client.get(static_url("vendor/htmx-2.0.11.min.js"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_vendored_css_has_no_gds_transport_font(client: Browserless) -> None:
    css = client.get(static_url("vendor/govuk-frontend-6.3.0/govuk-frontend.min.css")).text
    assert "GDS Transport" not in css
    page = client.get("/login").text
    assert "govuk-logo" not in page and "crown" not in page.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page",
        "/admin/users/not-a-uuid",
        "/admin/users/00000000-0000-0000-0000-000000000000",
    ],
)
def test_not_found_pages_are_plain(as_admin: Browserless, url: str) -> None:
    response = as_admin.get(url)
    assert response.status_code in (404, 422)
    check_page(response.text)
    assert "Traceback" not in response.text


def test_malformed_form_gets_a_plain_page(as_admin: Browserless, session: Session) -> None:
    target = make_user(session)
    response = as_admin.form(f"/admin/users/{target.id}/status", {"active": "maybe"})
    assert response.status_code == 422
    check_page(response.text)
    assert "could not be read" in response.text


def test_healthz_checks_the_database(client: Browserless) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_server_error_page_hides_the_details(
    client: Browserless, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.accounts import routes

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "_login_page", boom)
    with Browserless(client.app, raise_server_exceptions=False) as c:
        response = c.get("/login")
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Sorry, there is a problem with the service" in response.text


@pytest.mark.parametrize(
    "url",
    ["/referrals/TC-2026-000001%00", "/review?status=%00", "/login?next=/%00", "/admin%00/users"],
)
def test_nul_in_a_url_is_a_plain_400(as_admin: Browserless, url: str) -> None:
    response = as_admin.get(url)
    assert response.status_code == 400
    check_page(response.text)
    assert response.headers["content-security-policy"]


def test_nul_in_a_form_is_a_plain_400(as_admin: Browserless) -> None:
    response = as_admin.form("/admin/teams", {"name": "Night\x00shift"})
    assert response.status_code == 400
    check_page(response.text)
    assert "Night" not in as_admin.get("/admin/teams").text


def _locked_database(*_a: object, **_k: object) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_a_store_too_busy_to_write_says_so_and_asks_to_try_again(
    client: Browserless, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's write lock not granted within the busy timeout (an overload): a 503 saying to try
    again in a moment, with Retry-After (the outbox and autosave try again), never a 500."""
    from app.accounts import routes

    monkeypatch.setattr(routes, "_login_page", _locked_database)
    with Browserless(client.app, raise_server_exceptions=False) as c:
        page = c.get("/login")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Sorry, this is busy right now" in page.text
    check_page(page.text)


def test_a_busy_store_answers_the_json_api_in_json(
    as_officer: Browserless, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.checklist import service

    monkeypatch.setattr(service, "start", _locked_database)
    with Browserless(as_officer.app, raise_server_exceptions=False) as c:
        c.cookies.update(as_officer.cookies)
        made = c.post(
            "/api/v1/incidents",
            json={"client_uuid": "00000000-0000-4000-8000-000000000001"},
            headers={"X-CSRF-Token": as_officer.csrf},
        )
    assert made.status_code == 503, made.text
    assert made.json() == {"error": "busy"} and made.headers["Retry-After"] == "5"
