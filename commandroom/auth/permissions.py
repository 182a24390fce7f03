"""Roles, permissions and the check every core service makes before it acts.

Every service method that changes or reveals police data takes an ``Actor`` and calls
``require(actor, Permission.X)`` first; hiding a button in the UI is only a courtesy.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Permission(StrEnum):
    VIEW_VIDEO = "view_video"
    TAG_SIGHTING = "tag_sighting"
    SEND_ALERT = "send_alert"
    ACK_ALERT = "ack_alert"
    CONTROL_PTZ = "control_ptz"
    CONTROL_WALL = "control_wall"
    VIEW_WATCHLIST = "view_watchlist"
    EDIT_WATCHLIST = "edit_watchlist"
    EXPORT_DATA = "export_data"
    # Recorded video cut out as evidence (MP4 + manifest): the duty officer's job, where
    # EXPORT_DATA (whole lists, the audit trail) needs a supervisor.
    EXPORT_VIDEO = "export_video"
    EDIT_TEAMS = "edit_teams"
    VIEW_AUDIT = "view_audit"
    MANAGE_OPERATORS = "manage_operators"
    MANAGE_CAMERAS = "manage_cameras"
    MANAGE_SETTINGS = "manage_settings"


class Role(StrEnum):
    VIEWER = "viewer"
    DUTY_OFFICER = "duty_officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


_VIEWER = frozenset({Permission.VIEW_VIDEO})
_DUTY = _VIEWER | {
    Permission.TAG_SIGHTING,
    Permission.SEND_ALERT,
    Permission.ACK_ALERT,
    Permission.CONTROL_PTZ,
    Permission.CONTROL_WALL,
    Permission.VIEW_WATCHLIST,
    Permission.EXPORT_VIDEO,
}
_SUPERVISOR = _DUTY | {
    Permission.EDIT_WATCHLIST,
    Permission.EXPORT_DATA,
    Permission.VIEW_AUDIT,
}
_ADMIN = _SUPERVISOR | {
    # Teams hold members' phone numbers and the channels' credentials (issue 12: the
    # Teams window is the administrator's).
    Permission.EDIT_TEAMS,
    Permission.MANAGE_OPERATORS,
    Permission.MANAGE_CAMERAS,
    Permission.MANAGE_SETTINGS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.DUTY_OFFICER: frozenset(_DUTY),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(_ADMIN),
}


@dataclass(frozen=True)
class Actor:
    """Who is calling a service: the logged-in operator (or ``system`` for workers)."""

    username: str
    role: Role
    operator_id: int | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM = Actor(username="system", role=Role.ADMINISTRATOR)


class PermissionDenied(PermissionError):
    def __init__(self, actor: Actor, permission: Permission, target: str = "") -> None:
        super().__init__(f"{actor.username} ({actor.role}) may not {permission}")
        self.actor = actor
        self.permission = permission
        self.target = target


# Who hears about refusals: the composition root installs the audit trail's recorder
# (commandroom.auth.denials); a listener that fails is logged, never raised into the
# refused call.
DenialListener = Callable[[Actor, Permission, str], None]
_listeners: list[DenialListener] = []
_listeners_lock = threading.Lock()


def add_denial_listener(listener: DenialListener) -> Callable[[], None]:
    """Call ``listener(actor, permission, target)`` on every refusal; returns the remover."""
    with _listeners_lock:
        _listeners.append(listener)

    def remove() -> None:
        with _listeners_lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return remove


def require(actor: Actor, permission: Permission, target: str = "") -> None:
    """Refuse with ``PermissionDenied`` unless ``actor`` holds ``permission``; ``target``
    names what was asked for (a method, a camera) for the audit trail."""
    if actor.can(permission):
        return
    if not target:  # a direct call names its caller: "WatchlistService.create"
        target = sys._getframe(1).f_code.co_qualname
    with _listeners_lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(actor, permission, target)
        except Exception:  # the refusal itself must still happen
            log.exception("permission denial listener failed")
    raise PermissionDenied(actor, permission, target)
