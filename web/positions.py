"""Log positions as brands see them: opaque tokens, not the installation's counters.

A position such as `contracts:42` counts every brand's events in that log, so a brand
watching its own writes' positions would learn how busy every other brand is. Over
HTTP a position is therefore sealed (AES-GCM under a key derived from
KOLPACT_CIPHER_KEY): a client passes back what it was given and learns nothing more.
Without a cipher key (a store with no personal data) positions travel as they are.
"""

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from application.common.positions import LogPosition
from domain.errors import InvalidValue

PURPOSE = b"kolpact log positions"
NONCE_BYTES = 12


class PositionSeal:
    def __init__(self, cipher_key: bytes | None) -> None:
        self.aead = None if cipher_key is None else AESGCM(
            hashlib.sha256(PURPOSE + cipher_key).digest())

    def seal(self, position: LogPosition) -> str:
        if self.aead is None:
            return str(position)
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.aead.encrypt(nonce, str(position).encode(), PURPOSE)
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, token: str, field: str) -> LogPosition:
        if self.aead is None:
            return LogPosition.parse(token, field)
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            text = self.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], PURPOSE).decode()
        except (ValueError, binascii.Error, InvalidTag, UnicodeDecodeError):
            raise InvalidValue({field: "is not a position this installation gave out (pass "
                                       "a write's X-Log-Position header as it is)"}) from None
        return LogPosition.parse(text, field)
