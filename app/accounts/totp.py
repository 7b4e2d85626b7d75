"""Time-based one-time codes (RFC 6238, as authenticator apps make them), their QR code, and
recovery codes. Pure functions: the services in second_factor.py store and audit."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno

ISSUER = "Think Child"
STEP_SECONDS = 30
# A code from the step before or after is accepted too: a phone's clock a little out, or a
# code typed just as it changed.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, moment: datetime, *, after: int) -> int | None:
    """The time step (within the drift allowed) whose code this is, if later than `after` (the
    last step used: a code is good once); None if it is no such code."""
    code = normalise(code)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = step_at(moment)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        expected = totp.at(step * STEP_SECONDS)
        if step > after and hmac.compare_digest(expected.encode(), code.encode()):
            return step
    return None


def looks_like_code(typed: str) -> bool:
    return bool(_CODE.match(normalise(typed)))


def normalise(typed: str) -> str:
    """What was typed, without spaces and dashes (apps show "123 456"), lower case."""
    return re.sub(r"[\s-]", "", typed).lower()[:40]


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI for an <img>: no script, nothing inline to allow."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes() -> list[str]:
    """Ten codes of 16 characters (about 79 bits each), shown as xxxx-xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def recovery_hash(typed: str) -> str:
    """A recovery code's stored form. Random codes of ~79 bits need no slow hash to resist
    guessing from the stored value."""
    return hashlib.sha256(normalise(typed).encode()).hexdigest()
