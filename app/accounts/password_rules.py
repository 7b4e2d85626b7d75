"""What a new password must be: at least 12 characters, not only spaces, not the user name,
not the demo password and not a commonly breached password.

`common_passwords.txt` holds the 10,000 most common passwords of the "passwords" frequency list
shipped in the zxcvbn package (PyPI zxcvbn 4.5.0, MIT licence, from breached-password dumps),
one a line, compared without regard to case or surrounding spaces.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from app.config import DEFAULT_DEMO_PASSWORD, get_settings

MIN_LENGTH = 12
MAX_LENGTH = 1000
_LIST = Path(__file__).with_name("common_passwords.txt")


class PasswordProblem(StrEnum):
    SHORT = "password_short"
    BLANK = "password_blank"
    COMMON = "password_common"
    USERNAME = "password_username"


@lru_cache
def common_passwords() -> frozenset[str]:
    words = _LIST.read_text(encoding="utf-8").split("\n")
    demo = {DEFAULT_DEMO_PASSWORD, get_settings().demo_password}
    return frozenset(w.strip().lower() for w in (*words, *demo) if w.strip())


def problem(password: str, *, username: str = "") -> PasswordProblem | None:
    """The first thing wrong with `password` as a new password, or None if it will do."""
    if not password.strip():
        return PasswordProblem.BLANK
    if len(password) < MIN_LENGTH:
        return PasswordProblem.SHORT
    folded = password.strip().lower()
    if folded in common_passwords():
        return PasswordProblem.COMMON
    if username and username.strip().lower() in folded:
        return PasswordProblem.USERNAME
    return None
