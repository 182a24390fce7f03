"""Secret store: camera and channel passwords never sit in plain text anywhere.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``)
under a key kept in a file readable only by the user (0600) and stored in the
database as ciphertext, referenced by an opaque name (``credential_ref``).
"""

from __future__ import annotations

import json
import secrets as pysecrets
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from commandroom.db.base import Base
from commandroom.files import write_private


class SecretRow(Base):
    __tablename__ = "secret"

    ref: Mapped[str] = mapped_column(String(120), primary_key=True)
    ciphertext: Mapped[str] = mapped_column(Text)


class SecretStoreError(Exception):
    """A secret could not be read (wrong key file, corrupted value)."""


class SecretStore(Protocol):
    def put(self, value: str, ref: str | None = None, session: Session | None = None) -> str:
        """Store ``value``; inside ``session``'s transaction when one is given."""
        ...

    def get(self, ref: str) -> str | None: ...
    def delete(self, ref: str) -> None: ...


def load_or_create_key(key_file: Path) -> bytes:
    if key_file.exists():
        return key_file.read_bytes().strip()
    key = Fernet.generate_key()
    write_private(key_file, key)
    return key


class DatabaseSecretStore:
    """Fernet ciphertexts in the ``secret`` table, key in a 0600 file."""

    def __init__(self, sessions: sessionmaker[Session], key: bytes) -> None:
        self._sessions = sessions
        self._fernet = Fernet(key)

    def put(self, value: str, ref: str | None = None, session: Session | None = None) -> str:
        ref = ref or f"sec-{pysecrets.token_hex(8)}"
        token = self._fernet.encrypt(value.encode("utf-8")).decode("ascii")
        if session is not None:
            self._upsert(session, ref, token)
        else:
            with self._sessions.begin() as own:
                self._upsert(own, ref, token)
        return ref

    @staticmethod
    def _upsert(session: Session, ref: str, token: str) -> None:
        row = session.get(SecretRow, ref)
        if row is None:
            session.add(SecretRow(ref=ref, ciphertext=token))
        else:
            row.ciphertext = token

    def get(self, ref: str) -> str | None:
        if not ref:
            return None
        with self._sessions() as session:
            token = session.scalar(select(SecretRow.ciphertext).where(SecretRow.ref == ref))
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretStoreError(
                f"secret {ref!r} cannot be decrypted: the key file does not match"
            ) from exc

    def delete(self, ref: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(SecretRow, ref)
            if row is not None:
                session.delete(row)


def put_credentials(
    store: SecretStore, user: str, password: str, ref: str | None = None,
    session: Session | None = None,
) -> str:
    """Store a user/password pair under one reference."""
    return store.put(json.dumps({"user": user, "password": password}), ref, session)


def get_credentials(store: SecretStore, ref: str) -> tuple[str, str] | None:
    raw = store.get(ref)
    if raw is None:
        return None
    data = json.loads(raw)
    return str(data.get("user", "")), str(data.get("password", ""))
