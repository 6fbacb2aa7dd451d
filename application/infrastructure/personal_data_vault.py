"""Personal data encrypted at rest, one key per person, and erasure by destroying that key.

Creators' contact details and shipping addresses are encrypted inside the
events (and snapshots) that carry them, with AES-256-GCM under a key of
their own (the data subject's). Those keys are kept wrapped (encrypted)
with the installation's key from KOLPACT_CIPHER_KEY. An erasure request
(PIPL/GDPR) destroys the subject's key: every stored copy of their data,
in old events too, becomes unreadable, and is shown as erased. The stored
bytes do not change, so the event chain still verifies.

Unwrapped keys are cached for a few seconds per process; an erasure clears
the cache of the process that made it, and other processes stop reading the
data within CACHE_SECONDS.
"""

import base64
import json
import os
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

from application.errors import ApplicationError
from application.infrastructure.settings import ConfigurationError
from application.infrastructure.sql import SqlDatabase, Statements
from domain.values import from_primitive, to_primitive

NONCE_BYTES = 12
CACHE_SECONDS = 5.0
KEY_BATCH = 500  # subjects per statement: well under SQLite's limit of bound values
SEALED = "v1"  # the format of a sealed value: "v1.<base64 of nonce + ciphertext>"


class PersonalDataErased(ApplicationError):
    """Raised when personal data would be stored for a person whose data was erased."""


class PersonalDataVault:
    def __init__(self, database: SqlDatabase, master_key: bytes | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.database, self.master_key, self.clock = database, master_key, clock
        self.table = database.table("personal_data_keys")
        self._cache: dict[str, tuple[float, bytes | None]] = {}
        self._kept: dict[str, bytes] = {}  # for a bulk write, while it lasts (keys_kept)
        self._lock = threading.Lock()

    def create_table(self) -> None:
        blob = "BLOB" if self.database.is_sqlite else "BYTEA"
        with self.database.transaction() as sql:
            sql.run(f"CREATE TABLE IF NOT EXISTS {self.table} (subject_id TEXT PRIMARY KEY, "
                    f"wrapped_key {blob}, created_at TEXT NOT NULL, erased_at TEXT, "
                    "erasure_reference TEXT)")

    def seal(self, subject_id: str, value: dict[str, Any]) -> str:
        key = self._key(subject_id, create=True)
        if key is None:
            raise PersonalDataErased(
                "This person's personal data was erased on request; none is kept for them.")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), subject_id.encode())
        return f"{SEALED}.{base64.b64encode(nonce + sealed).decode()}"

    def open(self, subject_id: str, sealed: str) -> dict[str, Any] | None:
        """The value, or None once the person's key was destroyed."""
        key = self._key(subject_id, create=False)
        if key is None:
            return None
        opened = _decrypt(key, base64.b64decode(sealed.removeprefix(f"{SEALED}.")), subject_id)
        value: dict[str, Any] = json.loads(opened)
        return value

    def erase(self, subject_id: str, reference: str, erased_at: str) -> bool:
        """Destroys the person's key; False if it was already destroyed."""
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT erased_at FROM {self.table} WHERE subject_id = %s",
                           (subject_id,))
            if rows and rows[0]["erased_at"] is not None:
                return False
            if rows:
                sql.run(f"UPDATE {self.table} SET wrapped_key = NULL, erased_at = %s, "
                        "erasure_reference = %s WHERE subject_id = %s",
                        (erased_at, reference, subject_id))
            else:  # nothing was ever kept: still refuse to keep anything from now on
                sql.run(f"INSERT INTO {self.table} (subject_id, wrapped_key, created_at, "
                        "erased_at, erasure_reference) VALUES (%s, NULL, %s, %s, %s)",
                        (subject_id, erased_at, erased_at, reference))
        with self._lock:
            self._cache.pop(subject_id, None)
        return True

    def erased(self, subject_id: str) -> bool:
        with self.database.transaction() as sql:
            rows = sql.run(f"SELECT erased_at FROM {self.table} WHERE subject_id = %s",
                           (subject_id,))
        return bool(rows) and rows[0]["erased_at"] is not None

    @contextmanager
    def keys_kept(self, subject_ids: Collection[str]) -> Iterator[None]:
        """For a bulk write (a spreadsheet of new creators): the subjects' keys made where
        they have none and read, KEY_BATCH at a time, then kept at hand until the block
        ends, instead of two or three round trips per value sealed. A subject whose data
        was erased is left out: sealing for them still refuses."""
        master, kept = self._master(), {}
        ordered = sorted(set(subject_ids))
        for start in range(0, len(ordered), KEY_BATCH):
            batch = ordered[start:start + KEY_BATCH]
            with self.database.transaction() as sql:
                self._keep_new_keys(sql, master, batch)
                marks = ", ".join(["%s"] * len(batch))
                for row in sql.run(f"SELECT subject_id, wrapped_key FROM {self.table} "
                                   f"WHERE subject_id IN ({marks})", batch):
                    if row["wrapped_key"] is not None:
                        kept[row["subject_id"]] = _decrypt(
                            master, bytes(row["wrapped_key"]), row["subject_id"])
        with self._lock:
            self._kept.update(kept)
        try:
            yield
        finally:
            with self._lock:
                for subject_id in kept:
                    self._kept.pop(subject_id, None)

    def _key(self, subject_id: str, create: bool) -> bytes | None:
        """The person's data key; None once destroyed."""
        with self._lock:
            if subject_id in self._kept:
                return self._kept[subject_id]
            cached = self._cache.get(subject_id)
        if cached is not None and self.clock() - cached[0] < CACHE_SECONDS:
            return cached[1]
        master = self._master()
        with self.database.transaction() as sql:
            wrapped = self._wrapped(sql, subject_id)
            if wrapped is None and create:
                self._keep_new_key(sql, master, subject_id)
                wrapped = self._wrapped(sql, subject_id)
        if wrapped is None:
            raise ConfigurationError(f"No key for the personal data of {subject_id}.")
        key = _decrypt(master, wrapped, subject_id) if wrapped else None
        with self._lock:
            self._cache[subject_id] = (self.clock(), key)
        return key

    def _wrapped(self, sql: Statements, subject_id: str) -> bytes | None:
        """The wrapped key; b"" once destroyed; None if the person has none yet."""
        rows = sql.run(f"SELECT wrapped_key FROM {self.table} WHERE subject_id = %s",
                       (subject_id,))
        if not rows:
            return None
        return b"" if rows[0]["wrapped_key"] is None else bytes(rows[0]["wrapped_key"])

    def _keep_new_key(self, sql: Statements, master: bytes, subject_id: str) -> None:
        self._keep_new_keys(sql, master, [subject_id])

    def _keep_new_keys(self, sql: Statements, master: bytes, subject_ids: list[str]) -> None:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        values: list[Any] = []
        for subject_id in subject_ids:
            nonce, key = os.urandom(NONCE_BYTES), AESGCM.generate_key(bit_length=256)
            values += [subject_id, nonce + AESGCM(master).encrypt(nonce, key,
                                                                  subject_id.encode()), now]
        # Two writers at once: the first key stays, the second writer reads it back.
        sql.run(f"INSERT INTO {self.table} (subject_id, wrapped_key, created_at) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(subject_ids))
                + " ON CONFLICT (subject_id) DO NOTHING", values)

    def _master(self) -> bytes:
        if self.master_key is None:
            raise ConfigurationError(
                "Personal data (creators' contacts, shipping addresses) is encrypted at rest: "
                "set KOLPACT_CIPHER_KEY (make one with `kolpact cipher-key`).")
        return self.master_key


def _decrypt(key: bytes, sealed: bytes, subject_id: str) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                   subject_id.encode())
    except InvalidTag as error:
        raise ConfigurationError("Personal data does not open with its key: is "
                                 "KOLPACT_CIPHER_KEY the installation's key?") from error


class VaultHolder:
    """The vault an application's transcodings use (none: personal data cannot be read
    or written, as when an application is built without a database)."""

    def __init__(self, vault: PersonalDataVault | None = None) -> None:
        self.vault = vault

    def get(self) -> PersonalDataVault:
        if self.vault is None:
            raise ConfigurationError("Personal data cannot be read or written yet.")
        return self.vault


def personal_transcoding(kind: Any, holder: VaultHolder) -> Transcoding:
    """Stores a personal-data value (a dataclass with `subject_id` and `erased`) sealed
    under its subject's key; reads it back, or as erased once that key is gone.
    Values stored before encryption (plain dicts) still read."""

    class Sealed(Transcoding):
        type = kind
        name = kind.__qualname__

        def encode(self, obj: Any) -> Any:
            fields = {k: v for k, v in to_primitive(obj).items()
                      if k not in ("subject_id", "erased")}
            if obj.erased or obj.subject_id is None or not any(fields.values()):
                return to_primitive(obj)  # nothing personal to hide
            return {"subject_id": obj.subject_id,
                    "sealed": holder.get().seal(obj.subject_id, fields)}

        def decode(self, data: Any) -> Any:
            if "sealed" not in data:
                return from_primitive(kind, data)
            opened = holder.get().open(data["subject_id"], data["sealed"])
            if opened is None:
                return kind.erased_for(data["subject_id"])
            return from_primitive(kind, {**opened, "subject_id": data["subject_id"]})

    return Sealed()
