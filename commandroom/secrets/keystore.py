"""Where the secret store's key lives: the OS keyring if there is one, else a 0600 key file.

The ``keyring`` package is optional (Windows Credential Manager, macOS Keychain, Secret
Service on a Linux desktop). A key already in the key file stays there even when a keyring
appears later: moving it silently would make every stored secret unreadable elsewhere.
"""

from __future__ import annotations

import importlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session, sessionmaker

from commandroom.config import Paths
from commandroom.files import private_dir, tighten_dir
from commandroom.secrets.store import DatabaseSecretStore, SecretStoreError, load_or_create_key

log = logging.getLogger(__name__)

KEYRING_SERVICE = "commandroom"
KEYRING_ENTRY = "secret-store-key"
KEY_FILE_NAME = "secret.key"
# Default for ``keyring`` arguments: ask the OS. ``None`` means "use no keyring".
SYSTEM_KEYRING: Any = object()


def system_keyring() -> Any | None:
    """The ``keyring`` module if it is installed and has a real (not fail/null) backend."""
    try:
        module = importlib.import_module("keyring")
    except ImportError:
        return None
    try:
        backend = module.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception:  # a broken backend must not stop the app; the key file works
        log.warning("secrets: OS keyring unusable; using the key file", exc_info=True)
        return None
    # Fail/null/plaintext backends have priority <= 0 (or about it): no protection gained.
    return module if priority >= 1 else None


def private_key_file(path: Path) -> bytes:
    """Read or create the key file; its folder 0700, the file 0600, content a Fernet key."""
    private_dir(path.parent)
    tighten_dir(path.parent)
    key = load_or_create_key(path)
    if stat.S_IMODE(path.stat().st_mode) != 0o600:
        log.warning("secrets: key file %s was readable by others; made private", path)
        os.chmod(path, 0o600)
    _check_key(key, f"key file {path}")
    return key


def _check_key(key: bytes, where: str) -> None:
    try:
        Fernet(key)
    except (ValueError, TypeError) as exc:
        raise SecretStoreError(f"{where} does not hold a valid secret-store key") from exc


def secret_store_key(paths: Paths, keyring: Any = SYSTEM_KEYRING) -> tuple[bytes, str]:
    """(key, where it came from): the keyring's entry, else the key file."""
    ring = system_keyring() if keyring is SYSTEM_KEYRING else keyring
    key_file = paths.data_dir / KEY_FILE_NAME
    if ring is not None:
        stored = ring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        if stored:
            key = str(stored).encode("ascii")
            _check_key(key, "the OS keyring entry")
            return key, "keyring"
        if not key_file.exists():
            key = Fernet.generate_key()
            ring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, key.decode("ascii"))
            return key, "keyring"
    return private_key_file(key_file), str(key_file)


def open_secret_store(paths: Paths, sessions: sessionmaker[Session],
                      keyring: Any = SYSTEM_KEYRING) -> DatabaseSecretStore:
    key, source = secret_store_key(paths, keyring)
    log.info("secrets: key from %s", source)
    return DatabaseSecretStore(sessions, key)
