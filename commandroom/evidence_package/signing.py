"""The station's Ed25519 key that signs every evidence package's manifest.

The private key is one more secret in the secret store (encrypted under the store's key,
like camera passwords); it is made on the first package. Its public key goes into every
package, and its fingerprint (SHA-256 of the raw 32-byte public key) is what a court or
another station compares with the one the station publishes (``commandroom evidence
key``): a package re-signed with another key is then told apart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from commandroom.secrets.store import SecretStore

KEY_REF = "evidence-package-signing-key"


def load_or_create_station_key(store: SecretStore) -> Ed25519PrivateKey:
    pem = store.get(KEY_REF)
    if pem is None:
        key = Ed25519PrivateKey.generate()
        text = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode("ascii")
        store.put(text, KEY_REF)
        return key
    loaded = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"secret {KEY_REF!r} is not an Ed25519 private key")
    return loaded


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The signature file's content: base64 of the 64-byte signature, one line."""
    return base64.b64encode(key.sign(data)) + b"\n"


def load_public_pem(pem: bytes) -> Ed25519PublicKey | None:
    """None when ``pem`` is not an Ed25519 public key."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def signature_valid(key: Ed25519PublicKey, data: bytes, signature_file: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature_file.strip(), validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
