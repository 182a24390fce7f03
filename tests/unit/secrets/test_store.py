"""Secret store: round trip, private key file, no plaintext in the database, wrong key."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commandroom.config import Paths
from commandroom.db.engine import open_database
from commandroom.secrets.keystore import (
    KEY_FILE_NAME,
    KEYRING_ENTRY,
    KEYRING_SERVICE,
    open_secret_store,
    secret_store_key,
    system_keyring,
)
from commandroom.secrets.store import (
    DatabaseSecretStore,
    SecretStoreError,
    get_credentials,
    put_credentials,
)

PLAINTEXT = "Cam-Passw0rd-unique-7f3a"


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    resolved = Paths.resolve(data_dir)
    resolved.ensure()
    return resolved


@pytest.fixture
def db(paths: Paths) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    engine, sessions = open_database(f"sqlite:///{paths.database_file}")
    yield engine, sessions
    engine.dispose()


class FakeKeyring:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.entries.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.entries[(service, name)] = value


def test_round_trip_of_credentials(paths: Paths, db: tuple[Engine, sessionmaker[Session]]) -> None:
    store = open_secret_store(paths, db[1], None)
    ref = put_credentials(store, "admin", PLAINTEXT)
    assert get_credentials(store, ref) == ("admin", PLAINTEXT)
    # A second store opened later (next start) reads it with the same key file.
    assert get_credentials(open_secret_store(paths, db[1], None), ref) == ("admin", PLAINTEXT)
    store.delete(ref)
    assert store.get(ref) is None


def test_key_file_is_0600_in_a_0700_folder(paths: Paths,
                                          db: tuple[Engine, sessionmaker[Session]]) -> None:
    open_secret_store(paths, db[1], None)
    key_file = paths.data_dir / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o700
    Fernet(key_file.read_bytes())  # a valid key


def test_a_key_file_left_readable_is_made_private(paths: Paths) -> None:
    key_file = paths.data_dir / KEY_FILE_NAME
    key_file.write_bytes(Fernet.generate_key())
    os.chmod(key_file, 0o644)
    os.chmod(paths.data_dir, 0o755)
    secret_store_key(paths, None)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o700


def test_ciphertext_in_the_database_does_not_contain_the_plaintext(
    paths: Paths, db: tuple[Engine, sessionmaker[Session]]
) -> None:
    engine, sessions = db
    store = open_secret_store(paths, sessions, None)
    put_credentials(store, "admin", PLAINTEXT)
    engine.dispose()
    files = list(paths.data_dir.glob(f"{paths.database_file.name}*"))
    raw = b"".join(f.read_bytes() for f in files)
    assert b"gAAAAA" in raw  # the Fernet token is there ...
    assert PLAINTEXT.encode() not in raw  # ... and the password is not


def test_wrong_key_gives_a_clear_error(paths: Paths,
                                       db: tuple[Engine, sessionmaker[Session]]) -> None:
    ref = open_secret_store(paths, db[1], None).put(PLAINTEXT)
    other = DatabaseSecretStore(db[1], Fernet.generate_key())
    with pytest.raises(SecretStoreError, match="cannot be decrypted: the key file does not match"):
        other.get(ref)


def test_a_damaged_key_file_is_reported(paths: Paths) -> None:
    (paths.data_dir / KEY_FILE_NAME).write_bytes(b"not a key")
    with pytest.raises(SecretStoreError, match="does not hold a valid secret-store key"):
        secret_store_key(paths, None)


def test_no_keyring_package_here_means_the_key_file(monkeypatch: pytest.MonkeyPatch,
                                                    paths: Paths) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import fails as when not installed
    assert system_keyring() is None
    _, source = secret_store_key(paths)
    assert source == str(paths.data_dir / KEY_FILE_NAME)


def test_keyring_holds_the_key_when_there_is_one(paths: Paths) -> None:
    ring = FakeKeyring()
    key, source = secret_store_key(paths, ring)
    assert source == "keyring"
    assert ring.entries[(KEYRING_SERVICE, KEYRING_ENTRY)] == key.decode()
    assert not (paths.data_dir / KEY_FILE_NAME).exists()
    assert secret_store_key(paths, ring) == (key, "keyring")


def test_an_existing_key_file_is_kept_when_a_keyring_appears(paths: Paths) -> None:
    file_key, _ = secret_store_key(paths, None)
    ring = FakeKeyring()
    assert secret_store_key(paths, ring)[0] == file_key
    assert ring.entries == {}
