"""One place that turns KOLPACT_* environment variables into library configuration.

KOLPACT_DATABASE_URL picks the store: `sqlite:///path/file.db` (default
`sqlite:///var/kolpact.db`), `postgresql://user:pass@host:port/db?schema=name`,
or `memory://` (nothing kept; for tests and experiments).
"""

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DATABASE_URL = "sqlite:///var/kolpact.db"


class ConfigurationError(Exception):
    """Raised when an environment variable cannot be understood."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL connections of one process, shared by its applications and read models:
    # `pool_size` kept open, up to `max_overflow` more on demand; a request that finds none
    # free within `db_wait_seconds` gets 503 (see connections_per_process).
    pool_size: int = 2
    max_overflow: int = 6
    db_wait_seconds: int = 5
    workers: int = 0  # `kolpact serve` processes on PostgreSQL; 0: two per CPU
    max_request_bytes: int = 1024 * 1024
    public_url: str | None = None  # where people reach /t/ links; None: the request's host
    stripe_api_key: str | None = None  # payouts go through Stripe Connect when set
    stripe_api_base: str | None = None  # a Stripe test server's address; None: Stripe's own
    stripe_webhook_secret: str | None = None  # whsec_...: webhooks are refused without it
    stripe_webhook_tolerance: int = 300  # seconds a signed delivery stays acceptable
    reconcile_seconds: float = 600.0  # how often the background worker reconciles
    cipher_key: bytes | None = None  # wraps every person's data key; from KOLPACT_CIPHER_KEY
    signing_key: str | None = None  # Ed25519, base64: signs audit exports when set
    # A person who types their email on the console's sign-in page is given a one-time
    # link by printing it where kolpact runs ("print", KOLPACT_SIGN_IN_LINKS=print: a
    # laptop or demo install, such as `make run`, with no mail); "off": links only from
    # an admin (`kolpact users sign-in-link`).
    sign_in_links: str = "off"

    def __post_init__(self) -> None:
        for name, value, least in (("KOLPACT_DB_POOL_SIZE", self.pool_size, 1),
                                   ("KOLPACT_DB_MAX_OVERFLOW", self.max_overflow, 0),
                                   ("KOLPACT_DB_WAIT_SECONDS", self.db_wait_seconds, 1),
                                   ("KOLPACT_WORKERS", self.workers, 0)):
            if value < least:
                raise ConfigurationError(f"{name} must be at least {least}, not {value}")
        if self.sign_in_links not in ("print", "off"):
            raise ConfigurationError("KOLPACT_SIGN_IN_LINKS must be print or off, not "
                                     f"{self.sign_in_links}")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        try:
            return cls(
                database_url=environ.get("KOLPACT_DATABASE_URL") or DEFAULT_DATABASE_URL,
                pool_size=int(environ.get("KOLPACT_DB_POOL_SIZE", "2")),
                max_overflow=int(environ.get("KOLPACT_DB_MAX_OVERFLOW", "6")),
                db_wait_seconds=int(environ.get("KOLPACT_DB_WAIT_SECONDS", "5")),
                workers=int(environ.get("KOLPACT_WORKERS", "0")),
                max_request_bytes=int(environ.get("KOLPACT_MAX_REQUEST_BYTES", str(1 << 20))),
                public_url=environ.get("KOLPACT_PUBLIC_URL") or None,
                stripe_api_key=environ.get("KOLPACT_STRIPE_API_KEY") or None,
                stripe_api_base=environ.get("KOLPACT_STRIPE_API_BASE") or None,
                stripe_webhook_secret=environ.get("KOLPACT_STRIPE_WEBHOOK_SECRET") or None,
                stripe_webhook_tolerance=int(environ.get("KOLPACT_STRIPE_WEBHOOK_TOLERANCE",
                                                         "300")),
                reconcile_seconds=float(environ.get("KOLPACT_RECONCILE_SECONDS", "600")),
                cipher_key=parse_cipher_key(environ["KOLPACT_CIPHER_KEY"])
                if environ.get("KOLPACT_CIPHER_KEY") else None,
                signing_key=environ.get("KOLPACT_SIGNING_KEY") or None,
                sign_in_links=environ.get("KOLPACT_SIGN_IN_LINKS") or "off",
            )
        except ValueError as error:
            raise ConfigurationError(f"A KOLPACT_* number is not a whole number: {error}") \
                from error

    @property
    def backend(self) -> str:
        scheme = urlparse(self.database_url).scheme
        if scheme in ("postgres", "postgresql"):
            return "postgres"
        if scheme in ("sqlite", "memory"):
            return scheme
        raise ConfigurationError(
            f"KOLPACT_DATABASE_URL must start with sqlite://, postgresql:// or memory://, "
            f"not {scheme or 'nothing'}://")

    def persistence_env(self) -> dict[str, str]:
        """The eventsourcing library's own configuration keys for this store."""
        if self.backend == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.backend == "sqlite":
            return {"PERSISTENCE_MODULE": "application.infrastructure.sqlite_store:SQLiteFactory",
                    "SQLITE_DBNAME": str(self.sqlite_path()), "SQLITE_LOCK_TIMEOUT": "10"}
        url = urlparse(self.database_url)
        return {
            "PERSISTENCE_MODULE": "application.infrastructure.postgres_store:SharedPostgresFactory",
            "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": self.postgres_schema(),
            "POSTGRES_POOL_SIZE": str(self.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.max_overflow),
            # How long a use waits for a free pool connection (the library's name for it).
            "POSTGRES_CONNECT_TIMEOUT": str(self.db_wait_seconds),
            "POSTGRES_LOCK_TIMEOUT": "5",
            # No ping before each use (a round trip on every checkout): a connection the
            # server dropped fails its request with 503 and the pool replaces it.
            "POSTGRES_PRE_PING": "no",
        }

    @property
    def connections_per_process(self) -> int:
        """At most this many PostgreSQL connections per process, besides one per log it
        follows (read-model followers) and one for a moment at start-up."""
        return self.pool_size + self.max_overflow

    @property
    def worker_count(self) -> int:
        return self.workers or 2 * (os.cpu_count() or 1)

    def sqlite_path(self) -> Path:
        path = urlparse(self.database_url).path
        if not path or path == "/":
            raise ConfigurationError("KOLPACT_DATABASE_URL names no SQLite file")
        return Path(path[1:] if path.startswith("/") else path)

    def postgres_schema(self) -> str:
        query = parse_qs(urlparse(self.database_url).query)
        return query.get("schema", ["public"])[0]


CIPHER_KEY_BYTES = 32


def new_cipher_key() -> str:
    """A fresh installation key, as KOLPACT_CIPHER_KEY takes it (base64 of 32 bytes)."""
    return base64.b64encode(os.urandom(CIPHER_KEY_BYTES)).decode()


def parse_cipher_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ConfigurationError("KOLPACT_CIPHER_KEY is not base64") from error
    if len(key) != CIPHER_KEY_BYTES:
        raise ConfigurationError(f"KOLPACT_CIPHER_KEY must be {CIPHER_KEY_BYTES} bytes "
                                 f"(base64), not {len(key)}")
    return key
