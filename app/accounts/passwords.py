"""Password hashing with argon2id (pwdlib), parameters from settings."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import get_settings


@lru_cache
def _hasher() -> PasswordHash:
    s = get_settings()
    return PasswordHash(
        (
            Argon2Hasher(
                memory_cost=s.argon2_memory_kib,
                time_cost=s.argon2_time_cost,
                parallelism=s.argon2_parallelism,
            ),
        )
    )


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def verify_password(password: str, password_hash: str) -> bool:
    return bool(_hasher().verify(password, password_hash))


# Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
@lru_cache
def dummy_hash() -> str:
    return hash_password("not-a-real-password")
