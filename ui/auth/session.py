"""Who is at the console now, idle lock, and the input guard while it is locked.

One event filter on the QApplication sees every event of the process, paint events of
every video tile included, so its unlocked path is one type lookup and one clock read;
the idle QTimer is not restarted per mouse move: when it fires it checks the time of the
last input and re-arms for the remainder (same effect, a fraction of the calls).
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from commandroom.auth.permissions import Actor
from commandroom.auth.service import AuthService
from ui.bridge import FutureBridge, background

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# The session's own audit rows (lock, unlock, hand-over, logout) are written off the GUI
# thread in this lane, one after the other: the trail keeps lock before unlock.
AUDIT_LANE = "session-audit"

_T = QEvent.Type
# Int values: a set of ints is a C-level lookup, enum members would hash in Python.
_ACTIVITY = frozenset(int(t.value) for t in (
    _T.KeyPress, _T.MouseButtonPress, _T.MouseButtonDblClick, _T.MouseMove, _T.Wheel,
    _T.TouchBegin, _T.TouchUpdate, _T.TabletPress,
))
_BLOCKED_WHEN_LOCKED = frozenset(int(t.value) for t in (
    _T.KeyPress, _T.KeyRelease, _T.MouseButtonPress, _T.MouseButtonRelease,
    _T.MouseButtonDblClick, _T.Wheel, _T.ContextMenu, _T.TouchBegin, _T.DragEnter, _T.Drop,
))
_SHORTCUT_OVERRIDE = int(_T.ShortcutOverride.value)


class SessionController(QObject):
    """Holds the current Actor; locks on idle or on request; hands the console over."""

    actor_changed = Signal(object)  # Actor
    locked_changed = Signal(bool)
    handed_over = Signal(object)  # the new Actor, after actor_changed

    def __init__(self, auth: AuthService, actor: Actor, idle_lock_s: float,
                 console: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._console = console
        self._locked = False
        self._ended = False
        # Whether the operator must choose their own password: read with every unlock and
        # hand-over (off the GUI thread), so asking it afterwards needs no database.
        self._must_change = False
        self._bridge = FutureBridge(self)
        self._idle_limit_s = max(0.0, idle_lock_s)
        self._last_input = time.monotonic()
        # The lock screen's own widget: input to it passes while everything else is locked.
        self.lock_screen: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check_idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._arm(self._idle_limit_s)

    # -- state -------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def idle_lock_s(self) -> float:
        return self._idle_limit_s

    def _set_actor(self, actor: Actor) -> None:
        changed = actor != self._actor
        self._actor = actor
        if changed:
            self.actor_changed.emit(actor)

    # -- actions -----------------------------------------------------------------------
    def lock(self, reason: str = "manual") -> None:
        """``reason`` goes into the audit trail: "manual" (Ctrl+L), "idle", or
        "password_change_refused"."""
        if self._locked or self._ended:
            return
        self._locked = True
        self._timer.stop()
        self.locked_changed.emit(True)  # the cover first; the audit row follows in the lane
        background().in_order(AUDIT_LANE, self._record_lock, self._actor, reason)

    def _record_lock(self, actor: Actor, reason: str) -> None:
        try:
            self._auth.record_lock(actor, reason)
        except Exception:  # the console stays locked whatever the database says
            log.exception("auth: could not record the lock of %s", actor.username)

    def unlock(self, password: str) -> concurrent.futures.Future[Actor]:
        """Checks the password off the GUI thread; the future fails with ``LoginFailed``
        (the core's message) or gives the fresh Actor (the role may have changed), once
        the console is unlocked. It resolves on the GUI thread."""
        actor, auth = self._actor, self._auth

        def check() -> tuple[Actor, bool]:
            fresh = auth.verify_password_for_unlock(actor, password)
            return fresh, auth.must_change_password(fresh)

        return self._in_lane(check, self._unlocked)

    def _unlocked(self, checked: tuple[Actor, bool]) -> Actor:
        fresh, self._must_change = checked
        self._set_actor(fresh)
        self._leave_lock()
        return fresh

    def hand_over(self, next_username: str, next_password: str
                  ) -> concurrent.futures.Future[Actor]:
        """Shift change (also from the lock screen), checked off the GUI thread; the future
        fails with ``LoginFailed`` or gives the new Actor once the console is theirs."""
        current, auth = self._actor, self._auth

        def take_over() -> tuple[Actor, bool]:
            actor = auth.hand_over(current, next_username, next_password)
            return actor, auth.must_change_password(actor)

        return self._in_lane(take_over, self._taken_over)

    def _taken_over(self, checked: tuple[Actor, bool]) -> Actor:
        actor, self._must_change = checked
        self._set_actor(actor)
        self._leave_lock()
        self.handed_over.emit(actor)
        return actor

    def change_password(self, old_password: str, new_password: str
                        ) -> concurrent.futures.Future[None]:
        """Off the GUI thread (argon2 takes a noticeable moment); the future fails with the
        core's refusal."""
        actor, auth = self._actor, self._auth
        return self._in_lane(lambda: auth.change_password(actor, old_password, new_password),
                             self._password_changed)

    def _password_changed(self, _none: None) -> None:
        self._must_change = False

    def must_change_password(self) -> bool:
        """As read at the last unlock or hand-over (no database on the GUI thread)."""
        return self._must_change

    def _in_lane(self, work: Callable[[], T], apply: Callable[[T], R]
                 ) -> concurrent.futures.Future[R]:
        """``work`` in the audit lane; ``apply`` its answer to this session on the GUI
        thread, then resolve the returned future (there too) for whoever asked."""
        answer: concurrent.futures.Future[R] = concurrent.futures.Future()
        answer.set_running_or_notify_cancel()

        def applied(value: T) -> None:
            answer.set_result(apply(value))

        self._bridge.call(background().in_order(AUDIT_LANE, work), applied,
                          answer.set_exception)
        return answer

    def end(self, reason: str = "quit") -> None:
        """Log the operator out once (the application quits: ``reason`` "quit"); stops
        the idle watch."""
        if self._ended:
            return
        self._ended = True
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        # Audited in the background, after a lock still being written; the application's
        # shutdown waits for it (shutdown_background) before the database closes.
        background().in_order(AUDIT_LANE, self._auth.logout, self._actor, reason)

    @property
    def ended(self) -> bool:
        return self._ended

    # -- idle --------------------------------------------------------------------------
    def _leave_lock(self) -> None:
        self._last_input = time.monotonic()
        if self._locked:
            self._locked = False
            log.info("auth: console unlocked by %s", self._actor.username)
            self.locked_changed.emit(False)
        self._arm(self._idle_limit_s)

    def _arm(self, seconds: float) -> None:
        if self._idle_limit_s > 0 and not self._locked and not self._ended:
            self._timer.start(max(1, round(seconds * 1000)))

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_input
        if idle + 0.001 >= self._idle_limit_s:
            self.lock("idle")
        else:
            self._arm(self._idle_limit_s - idle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type().value  # ~1 µs, most of this method's cost
        if not self._locked:
            if kind in _ACTIVITY:
                self._last_input = time.monotonic()
            return False
        if kind == _SHORTCUT_OVERRIDE:
            if self._in_console(watched):
                # Accepted override: no console shortcut fires (Return would maximise a
                # tile, Ctrl+Q quit); the key reaches the lock screen's field instead.
                event.accept()
                return True
            return False
        if kind in _BLOCKED_WHEN_LOCKED:
            return self._in_console(watched) and not self._in_lock_screen(watched)
        return False

    def _in_console(self, obj: QObject | None) -> bool:
        while obj is not None:
            if obj is self._console:
                return True
            obj = obj.parent()
        return False

    def _in_lock_screen(self, obj: QObject | None) -> bool:
        screen = self.lock_screen
        while obj is not None and screen is not None:
            if obj is screen:
                return True
            obj = obj.parent()
        return False


def close_other_dialogs(console: QWidget) -> int:
    """Reject every open popup and dialog of the console (a form left open must not stay
    usable above the lock screen); returns how many. The wall is not a dialog: untouched."""
    closed = 0
    popup = QApplication.activePopupWidget()
    while popup is not None:
        popup.close()
        closed += 1
        nxt = QApplication.activePopupWidget()
        popup = None if nxt is popup else nxt
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible() and _descends(widget, console):
            widget.reject()
            closed += 1
    return closed


def _descends(obj: QObject | None, ancestor: QObject) -> bool:
    while obj is not None:
        if obj is ancestor:
            return True
        obj = obj.parent()
    return False
