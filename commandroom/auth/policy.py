"""Password hashing, password and username rules, and the lockout schedule.

Hashing is argon2id (argon2-cffi's ``PasswordHasher``, RFC 9106 low-memory profile:
64 MiB, 3 passes): memory-hard, so a stolen database is expensive to brute-force on GPUs,
and the hash string carries its own salt and parameters, so raising them later only needs
``check_needs_rehash`` at the next login. scrypt (hashlib) is memory-hard too, but we
would have to encode salt and parameters and handle upgrades ourselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 8
# A bound keeps a pasted novel from costing a hash of it.
MAX_PASSWORD_LENGTH = 256
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class PolicyError(ValueError):
    """A username or password breaks a rule; the message says which."""


def default_hasher() -> PasswordHasher:
    return PasswordHasher()


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    """The normalised username, or ``PolicyError`` saying what is wrong with it."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise PolicyError(
            "username must be 1-64 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PolicyError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PolicyError(f"password must be at most {MAX_PASSWORD_LENGTH} characters")
    if username and password.strip().lower() == normalise_username(username):
        raise PolicyError("password must not be the username")


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``free_attempts`` failures in a row, lock for ``first_lock_s``, doubling each
    further failure, never longer than ``max_lock_s``."""

    free_attempts: int = 3
    first_lock_s: int = 30
    max_lock_s: int = 15 * 60

    def lock_seconds(self, failed_count: int) -> int:
        if failed_count < self.free_attempts:
            return 0
        doublings = min(failed_count - self.free_attempts, 32)
        return min(self.first_lock_s * (1 << doublings), self.max_lock_s)
