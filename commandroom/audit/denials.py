"""Refused permission checks go into the audit trail: who, which permission, on what.

Without flooding it: at most one ``auth.denied`` event per distinct (operator, role,
permission, target) per minute. A button pressed ten times, or a timer asking for
something the role may not see, is one row at once; the refusals that follow within
that minute are counted (``refusals``) in the next row for the same refusal, or in a
row written at shutdown. Refusals are rare in normal work, so the limit only bounds a
loop; none goes uncounted.

A refusal inside a transaction that has already appended to the trail (this thread
holds the append lock) is queued and written with the next refusal or at ``close``:
appending from a second session there would wait for the first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditTrail, append_lock_held_here
from commandroom.auth.permissions import Actor, Permission, add_denial_listener

log = logging.getLogger(__name__)

WINDOW_S = 60.0
_MAX_KEYS = 1000  # distinct refusals remembered; older ones are forgotten first

_Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class _Row:
    actor: Actor
    permission: Permission
    target: str
    refusals: int  # how many refusals this row stands for


class DenialAudit:
    """A denial listener (``permissions.add_denial_listener``) writing to the trail."""

    def __init__(self, sessions: sessionmaker[Session], audit: AuditTrail,
                 window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
        self._audit = audit
        self._window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[_Key, float] = {}
        self._folded: dict[_Key, tuple[Actor, Permission, int]] = {}
        self._pending: list[_Row] = []
        self._remove: Callable[[], None] | None = None

    def install(self) -> DenialAudit:
        """Start hearing every refusal in this process (until ``close``)."""
        if self._remove is None:
            self._remove = add_denial_listener(self)
        return self

    def __call__(self, actor: Actor, permission: Permission, target: str) -> None:
        key = (actor.username, str(actor.role), str(permission), target)
        now = self._clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self._window_s:
                _, _, count = self._folded.get(key, (actor, permission, 0))
                self._folded[key] = (actor, permission, count + 1)
                return
            self._last[key] = now
            _, _, folded = self._folded.pop(key, (actor, permission, 0))
            self._pending.append(_Row(actor, permission, target, 1 + folded))
            if len(self._last) > _MAX_KEYS:
                oldest = sorted(self._last, key=self._last.__getitem__)[: len(self._last) // 2]
                for old in oldest:
                    self._last.pop(old, None)
        self.flush()

    def flush(self) -> None:
        """Write what is queued, unless this thread is inside an appending transaction."""
        if append_lock_held_here():
            return
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            with self._sessions.begin() as session:
                for row in rows:
                    self._audit.append(session, row.actor, "auth.denied", row.target, {
                        "permission": str(row.permission), "role": str(row.actor.role),
                        "refusals": row.refusals,
                    })
        except Exception:
            log.exception("audit: %d permission refusal(s) could not be recorded yet",
                          len(rows))
            with self._lock:
                self._pending[:0] = rows  # kept for the next attempt

    def close(self) -> None:
        """At shutdown: stop listening; write the refusals still folded into their
        minute, then the queue."""
        if self._remove is not None:
            self._remove()
            self._remove = None
        with self._lock:
            for (_, _, _, target), (actor, permission, count) in self._folded.items():
                self._pending.append(_Row(actor, permission, target, count))
            self._folded.clear()
        self.flush()
