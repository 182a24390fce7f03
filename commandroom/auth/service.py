"""Log in, lock out, hand over, and manage operators; every step lands in the audit trail.

There is no default password: on first run (no operator at all) the caller creates the
administrator with a password it supplies (``bootstrap_admin``).
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.models import OperatorRow
from commandroom.auth.permissions import Actor, Permission, Role
from commandroom.auth.policy import (
    LockoutPolicy,
    PolicyError,
    check_password,
    check_username,
    default_hasher,
    normalise_username,
)
from commandroom.db.base import utcnow

log = logging.getLogger(__name__)

WRONG_CREDENTIALS = "wrong username or password"
# Failed attempts happen before anyone is authenticated; the audit trail names this actor.
LOGIN_SCREEN = Actor(username="(login)", role=Role.VIEWER)


class LoginFailed(Exception):
    """Refused login, unlock or password check; the message is safe to show as it is.

    ``reason`` (one of the ``FAILED_*`` codes) and ``locked_for_s`` let a screen word it
    itself: the lock screen has no user name field to be wrong about."""

    def __init__(self, message: str, reason: str = "wrong_credentials",
                 locked_for_s: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.locked_for_s = locked_for_s


FAILED_WRONG_CREDENTIALS = "wrong_credentials"  # locked_for_s > 0: and now locked
FAILED_LOCKED = "locked"  # locked_for_s: seconds left
FAILED_DEACTIVATED = "deactivated"
FAILED_ALREADY_LOGGED_IN = "already_logged_in"


class OperatorError(ValueError):
    """An operator-management request that cannot be done (unknown name, last admin...)."""


class BootstrapError(RuntimeError):
    """``bootstrap_admin`` called although operators already exist."""


@dataclass(frozen=True)
class OperatorInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    must_change_password: bool
    failed_count: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


def _info(row: OperatorRow) -> OperatorInfo:
    return OperatorInfo(row.id, row.username, row.display_name, Role(row.role), row.active,
                        row.must_change_password, row.failed_count, row.locked_until,
                        row.last_login_at, row.created_at)


def _actor(row: OperatorRow) -> Actor:
    return Actor(username=row.username, role=Role(row.role), operator_id=row.id)


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise PolicyError(f"unknown role {value!r}; one of: {', '.join(Role)}") from None


class AuthService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        clock: Callable[[], datetime] = utcnow,
        hasher: PasswordHasher | None = None,
        lockout: LockoutPolicy | None = None,
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._clock = clock
        self._hasher = hasher or default_hasher()
        self._lockout = lockout or LockoutPolicy()
        self._dummy_hash: str | None = None

    # -- first run -------------------------------------------------------------------

    @open_access("first run: there is nobody to ask yet")
    def needs_bootstrap(self) -> bool:
        with self._sessions() as session:
            return not session.scalar(select(func.count()).select_from(OperatorRow))

    @open_access("works only while no operator exists at all")
    def bootstrap_admin(self, username: str, password: str, display_name: str = "",
                        log_in: bool = False) -> Actor:
        """Create the first administrator with the caller's password; returns its Actor.

        ``log_in``: the person at the console just chose that password; they are logged in
        (audited as a login) instead of typing it again."""
        name = check_username(username)
        check_password(password, name)
        with self._sessions.begin() as session:
            if session.scalar(select(func.count()).select_from(OperatorRow)):
                raise BootstrapError("operators already exist; an administrator creates accounts")
            row = self._new_row(name, display_name, Role.ADMINISTRATOR, password, False)
            session.add(row)
            session.flush()
            actor = _actor(row)
            self._audit.append(session, actor, "operator.bootstrap", name, {"role": row.role})
            if log_in:
                row.last_login_at = self._clock()
                self._audit.append(session, actor, "auth.login", name)
        log.info("auth: first administrator %s created%s", name,
                 " and logged in" if log_in else "")
        return actor

    # -- the operator's own session ----------------------------------------------------

    @open_access("the password is the credential being checked")
    def login(self, username: str, password: str) -> Actor:
        name = normalise_username(username)
        with self._sessions.begin() as session:
            row = self._find(session, name)
            error = self._attempt(session, row, name, password, "login")
            if row is not None and error is None:
                row.last_login_at = self._clock()
                actor = _actor(row)
                self._audit.append(session, actor, "auth.login", name)
        if error is not None:
            raise error
        log.info("auth: %s logged in", name)
        return actor

    @open_access("ends the caller's own session")
    def logout(self, actor: Actor, reason: str = "") -> None:
        """``reason``: why, when it is not the operator's own choice alone (e.g. "quit":
        the application was closed, which ends the session)."""
        with self._sessions.begin() as session:
            self._audit.append(session, actor, "auth.logout", actor.username,
                               {"reason": reason} if reason else None)
        log.info("auth: %s logged out%s", actor.username, f" ({reason})" if reason else "")

    @open_access("records the caller's own console lock")
    def record_lock(self, actor: Actor, reason: str) -> None:
        """The console was locked (``reason``: "manual", "idle"...); the unlock that ends
        it is audited by ``verify_password_for_unlock``."""
        with self._sessions.begin() as session:
            self._audit.append(session, actor, "auth.lock", actor.username, {"reason": reason})
        log.info("auth: console locked for %s (%s)", actor.username, reason)

    @open_access("the operator's own password; the old one is required")
    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        check_password(new_password, actor.username)
        if new_password == old_password:
            raise PolicyError("the new password must differ from the old one")
        with self._sessions.begin() as session:
            row = self._find(session, actor.username)
            error = self._attempt(session, row, actor.username, old_password, "change_password")
            if row is not None and error is None:
                row.password_hash = self._hasher.hash(new_password)
                row.must_change_password = False
                row.updated_at = self._clock()
                self._audit.append(session, actor, "auth.password_changed", actor.username)
        if error is not None:
            raise error

    @open_access("asks about the caller's own account")
    def must_change_password(self, actor: Actor) -> bool:
        with self._sessions() as session:
            row = self._find(session, actor.username)
            return bool(row is not None and row.must_change_password)

    @open_access("the next operator's password is the credential being checked")
    def hand_over(self, current: Actor, next_username: str, next_password: str) -> Actor:
        """Shift change: the next operator logs in; only then is ``current`` logged out."""
        name = normalise_username(next_username)
        if name == current.username:
            raise LoginFailed(f"{name} is already logged in", FAILED_ALREADY_LOGGED_IN)
        with self._sessions.begin() as session:
            row = self._find(session, name)
            error = self._attempt(session, row, name, next_password, "hand_over")
            if row is not None and error is None:
                row.last_login_at = self._clock()
                actor = _actor(row)
                details: dict[str, object] = {"handed_over_to": name}
                # The trail's head with its HMAC, inside the record of the shift change: a
                # chain rewritten before it no longer matches (commandroom.audit.verify).
                head = self._audit.anchor_head(session)
                if head is not None:
                    details["audit_head"] = head
                self._audit.append(session, current, "auth.logout", current.username, details)
                self._audit.append(session, actor, "auth.login", name,
                                   {"handed_over_from": current.username})
        if error is not None:
            raise error
        log.info("auth: %s handed over to %s", current.username, name)
        return actor

    @open_access("the operator's own password unlocks the idle-locked console")
    def verify_password_for_unlock(self, actor: Actor, password: str) -> Actor:
        """Raises ``LoginFailed`` (failures count towards lockout); returns a fresh Actor,
        since an administrator may have changed the role while the console was locked."""
        with self._sessions.begin() as session:
            row = self._find(session, actor.username)
            error = self._attempt(session, row, actor.username, password, "unlock")
            if row is not None and error is None:
                fresh = _actor(row)
                self._audit.append(session, fresh, "auth.unlock", actor.username)
        if error is not None:
            raise error
        return fresh

    # -- administration ------------------------------------------------------------------

    @requires(Permission.MANAGE_OPERATORS)
    def create_operator(self, actor: Actor, username: str, password: str,
                        role: Role | str, display_name: str = "") -> OperatorInfo:
        """New accounts must change the password the administrator gave them."""
        name = check_username(username)
        new_role = _role(role)
        check_password(password, name)
        with self._sessions.begin() as session:
            if self._find(session, name) is not None:
                raise OperatorError(f"an operator named {name!r} already exists")
            row = self._new_row(name, display_name, new_role, password, True)
            session.add(row)
            session.flush()
            self._audit.append(session, actor, "operator.create", name,
                               {"role": row.role, "display_name": display_name})
            return _info(row)

    @requires(Permission.MANAGE_OPERATORS)
    def reset_password(self, actor: Actor, username: str, new_password: str) -> None:
        """Set a new password, clear any lockout; the operator must change it at next login."""
        with self._sessions.begin() as session:
            row = self._get(session, username)
            check_password(new_password, row.username)
            row.password_hash = self._hasher.hash(new_password)
            row.must_change_password = True
            row.failed_count, row.locked_until = 0, None
            row.updated_at = self._clock()
            self._audit.append(session, actor, "operator.reset_password", row.username)

    @requires(Permission.MANAGE_OPERATORS)
    def unlock_operator(self, actor: Actor, username: str) -> None:
        with self._sessions.begin() as session:
            row = self._get(session, username)
            row.failed_count, row.locked_until = 0, None
            row.updated_at = self._clock()
            self._audit.append(session, actor, "operator.unlock", row.username)

    @requires(Permission.MANAGE_OPERATORS)
    def set_role(self, actor: Actor, username: str, role: Role | str) -> None:
        new_role = _role(role)
        with self._sessions.begin() as session:
            row = self._get(session, username)
            old_role = row.role
            if old_role == new_role:
                return
            if old_role == Role.ADMINISTRATOR and row.active:
                self._keep_an_admin(session, row)
            row.role = new_role.value
            row.updated_at = self._clock()
            self._audit.append(session, actor, "operator.set_role", row.username,
                               {"from": old_role, "to": new_role.value})

    @requires(Permission.MANAGE_OPERATORS)
    def deactivate(self, actor: Actor, username: str) -> None:
        with self._sessions.begin() as session:
            row = self._get(session, username)
            if row.username == actor.username:
                raise OperatorError("you cannot deactivate your own account")
            if not row.active:
                return
            if row.role == Role.ADMINISTRATOR:
                self._keep_an_admin(session, row)
            row.active = False
            row.updated_at = self._clock()
            self._audit.append(session, actor, "operator.deactivate", row.username)

    @requires(Permission.MANAGE_OPERATORS)
    def reactivate(self, actor: Actor, username: str) -> None:
        with self._sessions.begin() as session:
            row = self._get(session, username)
            if row.active:
                return
            row.active = True
            row.updated_at = self._clock()
            self._audit.append(session, actor, "operator.reactivate", row.username)

    @requires(Permission.MANAGE_OPERATORS)
    def list_operators(self, actor: Actor) -> list[OperatorInfo]:
        with self._sessions() as session:
            rows = session.scalars(select(OperatorRow).order_by(OperatorRow.username))
            return [_info(row) for row in rows]

    # -- internals -------------------------------------------------------------------------

    def _new_row(self, name: str, display_name: str, role: Role, password: str,
                 must_change: bool) -> OperatorRow:
        now = self._clock()
        return OperatorRow(
            username=name, display_name=display_name.strip(), role=role.value,
            password_hash=self._hasher.hash(password), failed_count=0, locked_until=None,
            must_change_password=must_change, active=True, created_at=now, updated_at=now,
        )

    @staticmethod
    def _find(session: Session, username: str) -> OperatorRow | None:
        name = normalise_username(username)
        return session.scalar(select(OperatorRow).where(OperatorRow.username == name))

    def _get(self, session: Session, username: str) -> OperatorRow:
        row = self._find(session, username)
        if row is None:
            raise OperatorError(f"no operator named {normalise_username(username)!r}")
        return row

    @staticmethod
    def _keep_an_admin(session: Session, row: OperatorRow) -> None:
        others = session.scalar(
            select(func.count()).select_from(OperatorRow).where(
                OperatorRow.role == Role.ADMINISTRATOR.value,
                OperatorRow.active.is_(True),
                OperatorRow.id != row.id,
            )
        )
        if not others:
            raise OperatorError(
                f"{row.username} is the last active administrator; make another one first"
            )

    def _attempt(self, session: Session, row: OperatorRow | None, name: str, password: str,
                 via: str) -> LoginFailed | None:
        """Check ``password``; update the lockout state and audit a failure.

        Returns the refusal to raise, or None when the password is right. The caller
        commits either way, so a failure is counted even though it raises afterwards.
        """
        now = self._clock()
        if row is None:
            self._equal_time(password)
            # The typed name may be a password typed into the wrong field: not recorded.
            self._audit.append(session, LOGIN_SCREEN, "auth.login_failed", "",
                               {"via": via, "reason": "unknown user"})
            return LoginFailed(WRONG_CREDENTIALS)
        if row.locked_until is not None and row.locked_until > now:
            left = math.ceil((row.locked_until - now).total_seconds())
            self._audit.append(session, LOGIN_SCREEN, "auth.login_refused", row.username,
                               {"via": via, "locked_for_s": left})
            return LoginFailed(f"account locked for {left} s after repeated wrong passwords",
                               FAILED_LOCKED, left)
        try:
            self._hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            row.failed_count += 1
            lock_s = self._lockout.lock_seconds(row.failed_count)
            row.locked_until = now + timedelta(seconds=lock_s) if lock_s else None
            self._audit.append(session, LOGIN_SCREEN, "auth.login_failed", row.username,
                               {"via": via, "failed_count": row.failed_count,
                                "locked_for_s": lock_s})
            if lock_s:
                log.warning("auth: %s locked for %d s", row.username, lock_s)
                return LoginFailed(f"{WRONG_CREDENTIALS}; account locked for {lock_s} s",
                                   FAILED_WRONG_CREDENTIALS, lock_s)
            return LoginFailed(WRONG_CREDENTIALS)
        if not row.active:
            # Said only to someone who knows the password.
            self._audit.append(session, LOGIN_SCREEN, "auth.login_refused", row.username,
                               {"via": via, "reason": "deactivated"})
            return LoginFailed("this account is deactivated; ask an administrator",
                               FAILED_DEACTIVATED)
        row.failed_count, row.locked_until = 0, None
        if self._hasher.check_needs_rehash(row.password_hash):
            row.password_hash = self._hasher.hash(password)
        return None

    def _equal_time(self, password: str) -> None:
        """Spend a hash verification, so an unknown name answers as slowly as a known one."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a real password")
        with contextlib.suppress(VerificationError):
            self._hasher.verify(self._dummy_hash, password)
