"""The installation's signature on audit exports (Ed25519), so an outsider can tell offline
that a bundle came from this kolpact and was not edited since.

KOLPACT_SIGNING_KEY holds the private key (base64 of its 32 bytes); the public key
is what the brand hands its auditors (`kolpact audit public-key`,
GET /api/v1/audit/public-key). A bundle names the key that signed it, but only a
key the auditor already trusts proves where it came from.
"""

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from application.infrastructure.settings import ConfigurationError


class Signer:
    def __init__(self, private_key: bytes) -> None:
        try:
            self.key = Ed25519PrivateKey.from_private_bytes(private_key)
        except ValueError as error:
            raise ConfigurationError("KOLPACT_SIGNING_KEY must be 32 bytes (base64)") \
                from error

    @classmethod
    def from_text(cls, text: str) -> "Signer":
        try:
            return cls(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError) as error:
            raise ConfigurationError("KOLPACT_SIGNING_KEY is not base64") from error

    @property
    def public_key(self) -> str:
        return _b64(self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def sign(self, content: bytes) -> str:
        return _b64(self.key.sign(content))


def new_signing_key() -> str:
    return _b64(Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def signature_holds(public_key: str, signature: str, content: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(signature), content)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
