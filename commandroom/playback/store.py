"""The cameras' playback sources, saved with their credentials in the secret store."""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.models import CameraRow
from commandroom.cameras.registry import Camera
from commandroom.playback.models import PlaybackSourceRow
from commandroom.playback.nvr import (
    NvrSource,
    PlaybackConfigError,
    PlaybackKind,
    validate_source,
)
from commandroom.secrets.store import SecretStore, get_credentials, put_credentials

log = logging.getLogger(__name__)


def _to_source(row: PlaybackSourceRow) -> NvrSource:
    try:
        kind = PlaybackKind(row.kind)
    except ValueError:  # a kind from a newer version: play nothing rather than guess
        kind = PlaybackKind.NONE
    return NvrSource(
        kind=kind, host=row.host, rtsp_port=row.rtsp_port, onvif_port=row.onvif_port,
        channel=row.channel, credential_ref=row.credential_ref,
        utc_offset_min=row.utc_offset_min, clock_offset_s=row.clock_offset_s,
        hikvision_local_time=row.hikvision_local_time, recording_token=row.recording_token,
    )


def _audit_fields(source: NvrSource) -> dict[str, Any]:
    """What the audit keeps: everything but the credential reference."""
    fields = asdict(source)
    fields.pop("credential_ref")
    fields["kind"] = str(source.kind)
    return fields


def credential_ref_for(camera_id: int) -> str:
    """The secret holding a camera's recorder credentials (one per camera)."""
    return f"playback-camera-{camera_id}"


class PlaybackSources:
    """Reading needs VIEW_VIDEO, changing MANAGE_CAMERAS; changes are audited."""

    def __init__(self, sessions: sessionmaker[Session], secrets: SecretStore,
                 audit: AuditSink) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._audit = audit

    @requires(Permission.VIEW_VIDEO)
    def get(self, actor: Actor, camera_id: int) -> NvrSource:
        """The camera's source; ``PlaybackKind.NONE`` when it has none."""
        with self._sessions() as s:
            row = s.get(PlaybackSourceRow, camera_id)
            return _to_source(row) if row is not None else NvrSource()

    @requires(Permission.MANAGE_CAMERAS)
    def save(self, actor: Actor, camera_id: int, source: NvrSource,
             user: str | None = None, password: str | None = None) -> NvrSource:
        """Save (or replace) a camera's source. ``user``: new recorder credentials, kept
        in the secret store; None keeps the ones saved before (or the camera's own)."""
        source = validate_source(source)
        with self._sessions.begin() as s:  # secret, row and audit commit together
            camera = s.get(CameraRow, camera_id)
            if camera is None:
                raise PlaybackConfigError("That camera no longer exists.")
            row = s.get(PlaybackSourceRow, camera_id)
            ref = row.credential_ref if row is not None else ""
            if user:
                ref = put_credentials(self._secrets, user, password or "",
                                      credential_ref_for(camera_id), s)
            source = replace(source, credential_ref=ref)
            before = _audit_fields(_to_source(row)) if row is not None else None
            if row is None:
                row = PlaybackSourceRow(camera_id=camera_id)
                s.add(row)
            for key, value in asdict(source).items():
                setattr(row, key, str(value) if key == "kind" else value)
            s.flush()
            self._audit.append(s, actor, "camera.playback_source", camera.name,
                               {"before": before, "after": _audit_fields(source),
                                "credentials_changed": bool(user)})
        log.info("playback source of camera %d saved: %s %s", camera_id, source.kind,
                 source.host)
        return source

    @requires(Permission.MANAGE_CAMERAS)
    def remove(self, actor: Actor, camera_id: int) -> None:
        """Forget a camera's source and its recorder credentials."""
        ref = ""
        with self._sessions.begin() as s:
            row = s.get(PlaybackSourceRow, camera_id)
            if row is None:
                return
            ref = row.credential_ref
            camera = s.get(CameraRow, camera_id)
            self._audit.append(s, actor, "camera.playback_source.remove",
                               camera.name if camera is not None else str(camera_id),
                               _audit_fields(_to_source(row)))
            s.delete(row)
        if ref:
            self._secrets.delete(ref)

    @requires(Permission.MANAGE_CAMERAS, subject=lambda _source, camera: camera.name)
    def credentials(self, actor: Actor, source: NvrSource,
                    camera: Camera) -> tuple[str, str] | None:
        """User and password for the recorder (administrators only, like a camera's)."""
        return self._credentials(source, camera)

    def _credentials(self, source: NvrSource, camera: Camera) -> tuple[str, str] | None:
        """The recorder's own credentials, else the camera's: only for the StreamSpec that
        PlaybackSource hands to the video layer, never for a caller to read."""
        ref = source.credential_ref or camera.credential_ref
        return get_credentials(self._secrets, ref) if ref else None
