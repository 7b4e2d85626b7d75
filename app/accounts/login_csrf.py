"""The sign-in form's CSRF token: signed double-submit, so showing the form stores nothing.

Before sign-in there is no server-side session to hold a token. The token is a random nonce and
its issue time, signed with SECRET_KEY (HMAC-SHA256); it goes in a cookie and in the form, and a
post must carry the same valid token in both. A cross-site page can neither read the cookie nor
forge a signature. Signed-in forms keep their session's synchronizer token (app/accounts/deps.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from fastapi import Request, Response

from app.config import get_settings

_PURPOSE = b"login-csrf:"


def cookie_name() -> str:
    return "__Host-tc_login" if get_settings().secure_cookies else "tc_login"


def _signature(payload: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    digest = hmac.new(key, _PURPOSE + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_token() -> str:
    payload = f"{int(time.time())}.{secrets.token_urlsafe(24)}"
    return f"{payload}.{_signature(payload)}"


def is_valid(token: str | None) -> bool:
    """Signed by us and not older than a session may live."""
    if not token or len(token) > 200 or not token.isascii():
        return False
    payload, _, signature = token.rpartition(".")
    issued, _, nonce = payload.partition(".")
    if not (issued.isdigit() and nonce):
        return False
    if not hmac.compare_digest(signature.encode(), _signature(payload).encode()):
        return False
    return time.time() - int(issued) <= get_settings().session_absolute_hours * 3600


def cookie_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name())


def matches(request: Request, sent: str | None) -> bool:
    """The posted token is the cookie's, and the cookie's is one of ours."""
    cookie = cookie_token(request)
    if not cookie or not sent:
        return False
    same = hmac.compare_digest(cookie.encode(), sent.encode())
    return same and is_valid(cookie)


def token_for(request: Request) -> tuple[str, bool]:
    """The cookie's token if still valid, else a new one; and whether it is new (to be set)."""
    token = cookie_token(request)
    if token is not None and is_valid(token):
        return token, False
    return new_token(), True


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        cookie_name(),
        token,
        httponly=True,
        samesite="strict",
        secure=get_settings().secure_cookies,
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(cookie_name(), path="/")
