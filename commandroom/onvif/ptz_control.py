"""PTZ on behalf of an operator: CONTROL_PTZ is checked here, in the core, and every PTZ
session (a run of moves on one camera) leaves one audit event."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission, PermissionDenied
from commandroom.db.base import utcnow
from commandroom.onvif.models import CameraEndpoint, PtzPreset, PtzStatus, PtzSupport
from commandroom.onvif.service import OnvifService

T = TypeVar("T")
SESSION_GAP = timedelta(minutes=5)  # moves closer together than this are one session


class PtzControl:
    def __init__(self, onvif: OnvifService, sessions: sessionmaker[Session], audit: AuditSink,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._onvif = onvif
        self._sessions = sessions
        self._audit = audit
        self._clock = clock
        self._lock = threading.Lock()
        self._last_move: dict[tuple[str, str], datetime] = {}

    def _session(self, actor: Actor, endpoint: CameraEndpoint, what: str) -> None:
        key, now = (actor.username, endpoint.where), self._clock()
        with self._lock:
            last = self._last_move.get(key)
            self._last_move[key] = now
        if last is None or now - last > SESSION_GAP:
            with self._sessions.begin() as session:
                self._audit.append(session, actor, "ptz.session", endpoint.where,
                                   {"first_command": what})

    @requires(Permission.CONTROL_PTZ)
    def move(self, actor: Actor, endpoint: CameraEndpoint, pan: float, tilt: float,
             zoom: float = 0.0, profile_token: str | None = None
             ) -> concurrent.futures.Future[None]:
        self._session(actor, endpoint, "move")
        return self._onvif.ptz_move(endpoint, pan, tilt, zoom, profile_token)

    @open_access("stopping a camera is always safe, even after a hand-over to a viewer")
    def stop(self, actor: Actor, endpoint: CameraEndpoint,
             profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._onvif.ptz_stop(endpoint, profile_token)

    @requires(Permission.CONTROL_PTZ)
    def goto_preset(self, actor: Actor, endpoint: CameraEndpoint, preset_token: str,
                    profile_token: str | None = None) -> concurrent.futures.Future[None]:
        self._session(actor, endpoint, f"goto preset {preset_token}")
        return self._onvif.ptz_goto_preset(endpoint, preset_token, profile_token)

    @requires(Permission.CONTROL_PTZ)
    def set_preset(self, actor: Actor, endpoint: CameraEndpoint, name: str,
                   preset_token: str | None = None, profile_token: str | None = None
                   ) -> concurrent.futures.Future[str]:
        self._session(actor, endpoint, f"set preset {name!r}")
        return self._onvif.ptz_set_preset(endpoint, name, preset_token, profile_token)

    @requires(Permission.VIEW_VIDEO)
    def status(self, actor: Actor, endpoint: CameraEndpoint,
               profile_token: str | None = None) -> concurrent.futures.Future[PtzStatus]:
        return self._onvif.ptz_status(endpoint, profile_token)

    @requires(Permission.VIEW_VIDEO)
    def presets(self, actor: Actor, endpoint: CameraEndpoint,
                profile_token: str | None = None) -> concurrent.futures.Future[list[PtzPreset]]:
        return self._onvif.ptz_presets(endpoint, profile_token)

    @requires(Permission.VIEW_VIDEO)
    def support(self, actor: Actor, endpoint: CameraEndpoint,
                profile_token: str | None = None) -> concurrent.futures.Future[PtzSupport]:
        return self._onvif.ptz_support(endpoint, profile_token)


def _refused(exc: PermissionDenied) -> concurrent.futures.Future[T]:
    failed: concurrent.futures.Future[T] = concurrent.futures.Future()
    failed.set_exception(exc)
    return failed


class OperatorPtz:
    """The PTZ calls of OnvifService, made for whoever ``actor()`` is at that moment; a
    refusal comes back as a failed future, like any other PTZ failure."""

    def __init__(self, control: PtzControl, actor: Callable[[], Actor]) -> None:
        self._control = control
        self._actor = actor

    def _call(self, fn: Callable[[], concurrent.futures.Future[T]]
              ) -> concurrent.futures.Future[T]:
        try:
            return fn()
        except PermissionDenied as exc:
            return _refused(exc)

    def ptz_move(self, endpoint: CameraEndpoint, pan: float, tilt: float, zoom: float = 0.0,
                 profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._call(lambda: self._control.move(self._actor(), endpoint, pan, tilt, zoom,
                                                     profile_token))

    def ptz_stop(self, endpoint: CameraEndpoint,
                 profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._control.stop(self._actor(), endpoint, profile_token)

    def ptz_goto_preset(self, endpoint: CameraEndpoint, preset_token: str,
                        profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._call(lambda: self._control.goto_preset(self._actor(), endpoint,
                                                            preset_token, profile_token))

    def ptz_set_preset(self, endpoint: CameraEndpoint, name: str,
                       preset_token: str | None = None, profile_token: str | None = None,
                       ) -> concurrent.futures.Future[str]:
        return self._call(lambda: self._control.set_preset(self._actor(), endpoint, name,
                                                           preset_token, profile_token))

    def ptz_status(self, endpoint: CameraEndpoint,
                   profile_token: str | None = None) -> concurrent.futures.Future[PtzStatus]:
        return self._call(lambda: self._control.status(self._actor(), endpoint, profile_token))

    def ptz_presets(self, endpoint: CameraEndpoint, profile_token: str | None = None,
                    ) -> concurrent.futures.Future[list[PtzPreset]]:
        return self._call(lambda: self._control.presets(self._actor(), endpoint,
                                                        profile_token))

    def ptz_support(self, endpoint: CameraEndpoint,
                    profile_token: str | None = None) -> concurrent.futures.Future[PtzSupport]:
        return self._call(lambda: self._control.support(self._actor(), endpoint,
                                                        profile_token))
