"""Settings, read from the environment (and a `.env` file in development)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Seeds the demo users; `python -m app.seed` refuses to run outside development.
DEFAULT_DEMO_PASSWORD = "think-child-demo"
# Signs the sign-in form's CSRF token. Good enough for development and tests only: production
# refuses to start with it (set SECRET_KEY to a long random string, e.g. `openssl rand -hex 32`).
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
# Keys the audit log's HMAC chain in development and tests only: production refuses to start
# without AUDIT_KEY (or AUDIT_KEY_FILE), a key the database does not hold.
DEVELOPMENT_AUDIT_KEY = "development-only-audit-key-do-not-use-in-production"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Fail closed: unset means production (`make run` and the tests set development / test).
    environment: Environment = Environment.PRODUCTION
    # Development's SQLite file; production must name its database (DATABASE_URL), so a
    # container never serves from a file database nobody chose (compose.yaml: PostgreSQL).
    database_url: str = "sqlite:///data/thinkchild.db"
    demo_password: str = DEFAULT_DEMO_PASSWORD
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)

    # The audit log (app/audit): its HMAC key, given directly or as a file holding it (a
    # mounted secret), and the append-only file `python -m app.audit anchor` writes the head to.
    audit_key: SecretStr | None = None
    audit_key_file: str | None = None
    audit_anchor_file: str | None = None

    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    session_touch_seconds: int = Field(default=30, ge=0)

    # Sign-in throttling (app/accounts/throttle.py): attempts counted per user name from one
    # address, and per address for all names; past the limit, a wait that doubles from
    # LOGIN_BACKOFF_SECONDS up to LOGIN_LOCKOUT_MINUTES. After that long with no attempt, the
    # count starts again.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_backoff_seconds: int = Field(default=60, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)

    # argon2id: OWASP's minimum (m=19 MiB, t=2, p=1), about 23 ms a hash here.
    argon2_memory_kib: int = Field(default=19456, ge=8)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)

    # Delivery to the MASH (app/referrals/delivery.py, run by `python -m app.worker`). With no
    # endpoint, referrals are written as JSON + PDF files to OUTBOX_DIR (the one-machine demo).
    mash_endpoint: str | None = None
    # How the MASH knows a parcel is ours (app/referrals/transport.py): a bearer token and/or
    # a client certificate (mutual TLS, with the CA bundle that signed the MASH's certificate),
    # and an HMAC key signing each body (X-Signature). Production needs a key and one of the
    # two when MASH_ENDPOINT is set.
    mash_token: SecretStr | None = None
    mash_client_cert: str | None = None
    mash_client_key: str | None = None
    mash_ca_bundle: str | None = None
    mash_signing_key: SecretStr | None = None
    outbox_dir: str = "outbox"
    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_backoff_seconds: float = Field(default=30, ge=0)  # doubles each retry, up to 1 hour
    delivery_lease_seconds: int = Field(default=120, ge=1)  # a claim older than this is retried
    delivery_timeout_seconds: float = Field(default=10, gt=0)

    # PDFs (app/referrals/pdf_pool.py, pdf_cache.py): drawn in worker processes, at most
    # PDF_WORKERS at once (0: one a core), each within PDF_TIMEOUT_SECONDS; a request waits up
    # to PDF_WAIT_SECONDS for a free worker, then gets "busy, try again". Drawn PDFs are kept
    # in PDF_CACHE_DIR (personal data: keep it beside the database, with the same care).
    # Requests run database work in a pool of threads; each holds at most one connection. The
    # connection pool is sized from the threads (plus a few for the worker's own sessions), so a
    # request never waits for a connection while a thread it needs waits for one too.
    web_threads: int = Field(default=30, ge=4, le=200)
    db_pool_extra: int = Field(default=5, ge=0, le=100)
    db_pool_timeout_seconds: int = Field(default=10, ge=1, le=120)
    pdf_workers: int = Field(default=0, ge=0)
    pdf_timeout_seconds: float = Field(default=30, gt=0)
    pdf_wait_seconds: float = Field(default=10, ge=0)
    pdf_cache_dir: str = "data/pdf-cache"
    pdf_cache_max_files: int = Field(default=500, ge=0)  # 0: keep none (every PDF drawn)

    @field_validator("mash_endpoint", mode="before")
    @classmethod
    def _blank_endpoint_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_delivery(self) -> Settings:
        endpoint = self.mash_endpoint
        if endpoint is not None:
            production = self.environment is Environment.PRODUCTION
            if not endpoint.startswith("https://" if production else ("https://", "http://")):
                raise ValueError("MASH_ENDPOINT must be https (http only outside production)")
            if production and not (
                self.mash_signing_key and (self.mash_token or self.mash_client_cert)
            ):
                raise ValueError(
                    "MASH_ENDPOINT needs MASH_SIGNING_KEY and MASH_TOKEN or MASH_CLIENT_CERT: "
                    "the MASH must be able to tell our referrals from forged ones"
                )
        # A lease shorter than a request could let a second worker start the same delivery.
        if self.delivery_lease_seconds <= self.delivery_timeout_seconds:
            raise ValueError("DELIVERY_LEASE_SECONDS must exceed DELIVERY_TIMEOUT_SECONDS")
        return self

    @model_validator(mode="after")
    def _check_database_url(self) -> Settings:
        if (
            self.environment is Environment.PRODUCTION
            and "database_url" not in self.model_fields_set
        ):
            raise ValueError(
                "DATABASE_URL must be set in production, for example "
                "postgresql+psycopg://USER:PASSWORD@HOST:5432/thinkchild"
            )
        return self

    @model_validator(mode="after")
    def _check_secret_key(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            key = self.secret_key.get_secret_value()
            if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
                raise ValueError(
                    "SECRET_KEY must be set to a random string of 32 characters or more"
                )
        return self

    @model_validator(mode="after")
    def _read_audit_key(self) -> Settings:
        if self.audit_key is None and self.audit_key_file:
            try:
                with open(self.audit_key_file, encoding="utf-8") as handle:
                    self.audit_key = SecretStr(handle.read().strip())
            except OSError as error:
                raise ValueError(f"AUDIT_KEY_FILE cannot be read: {error}") from error
        if self.environment is Environment.PRODUCTION:
            key = self.audit_key.get_secret_value() if self.audit_key else ""
            if key == DEVELOPMENT_AUDIT_KEY or len(key) < 32:
                raise ValueError(
                    "AUDIT_KEY (or AUDIT_KEY_FILE) must hold a random key of 32 characters or "
                    "more: the audit log cannot be made tamper-evident without it"
                )
        return self

    @property
    def audit_hmac_key(self) -> bytes:
        """The audit chain's key: AUDIT_KEY, or the development key outside production."""
        if self.audit_key is not None:
            return self.audit_key.get_secret_value().encode()
        return DEVELOPMENT_AUDIT_KEY.encode()

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def secure_cookies(self) -> bool:
        return self.environment is Environment.PRODUCTION


@lru_cache
def get_settings() -> Settings:
    return Settings()
