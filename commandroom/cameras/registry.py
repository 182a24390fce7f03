"""Camera registry service: groups and cameras, the use cases the console calls."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.directory import CameraDirectory, Snapshot, make_snapshot
from commandroom.cameras.models import CameraGroupRow, CameraRow
from commandroom.events import EventBus
from commandroom.notices import Notice, NoticeError, define, notice
from commandroom.redact import redact_url, strip_credentials
from commandroom.secrets.store import SecretStore, get_credentials, put_credentials

if TYPE_CHECKING:
    from commandroom.onvif.models import CameraEndpoint
    from commandroom.video.stream_spec import StreamSpec

log = logging.getLogger(__name__)

TRANSPORTS = ("tcp", "udp")
# camera_events.model.EventSource values (a feature above: named here, checked there).
EVENT_SOURCES = ("", "onvif", "isapi", "dahua", "local_motion")
EVENT_URL_SCHEMES = ("http", "https")
URL_SCHEMES = ("rtsp", "rtsps", "demo", "file", "http", "https")


NAME_REQUIRED = define("camera.name_required", "The camera needs a name.")
NAME_TOO_LONG = define("camera.name_too_long",
                       "The camera name is longer than {limit} characters.")
JUNCTION_TOO_LONG = define("camera.junction_too_long",
                           "The junction is longer than {limit} characters.")
MAIN_URL_REQUIRED = define("camera.main_url_required", "The camera needs a main stream URL.")
URL_UNSUPPORTED = define("camera.url_unsupported", "Unsupported stream URL: {url}")
TRANSPORT_INVALID = define("camera.transport_invalid",
                           "Transport must be tcp or udp, not '{value}'.")
GROUP_NAME_REQUIRED = define("camera.group_name_required", "The group needs a name.")
GROUP_NAME_TOO_LONG = define("camera.group_name_too_long",
                             "The group name is longer than {limit} characters.")
GROUP_EXISTS = define("camera.group_exists", "A group named '{name}' already exists.")
GROUP_GONE = define("camera.group_gone", "That group no longer exists.")
CAMERA_EXISTS = define("camera.exists", "A camera named '{name}' already exists.")
CAMERA_GONE = define("camera.gone", "That camera no longer exists.")
NOT_SAVED = define("camera.not_saved", "Only a saved camera can be edited.")
EVENT_SOURCE_INVALID = define(
    "camera.event_source_invalid",
    "Unknown event source '{value}' (onvif, isapi, dahua or local_motion).")
EVENT_URL_UNSUPPORTED = define("camera.event_url_unsupported",
                               "The event address must start with http:// or https://: {url}")
EVENT_CHANNEL_INVALID = define("camera.event_channel_invalid",
                               "The event channel must be 1 or more, not {value}.")
NAME_LIMIT, JUNCTION_LIMIT = 120, 200  # the columns' sizes (PostgreSQL enforces them)


class CameraError(NoticeError, ValueError):
    """A camera or group could not be saved; ``notice`` says why, for the officer."""

    def __init__(self, message: Notice | str, /, **params: str | int) -> None:
        super().__init__(message if isinstance(message, Notice) else notice(message, **params))


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    position: int = 0


@dataclass(frozen=True)
class Camera:
    id: int | None
    name: str
    main_url: str
    junction: str = ""
    group_id: int | None = None
    sub_url: str = ""
    transport: str = "tcp"
    credential_ref: str = ""
    onvif_url: str = ""
    ptz_capable: bool = False
    map_x: float | None = None
    map_y: float | None = None
    enabled: bool = True
    event_source: str = ""  # camera_events.model.EventSource value; "" none
    event_url: str = ""  # "" : derived from onvif_url / main_url
    event_channel: int = 1
    motion_detection: bool = False  # our own detection on the sub stream

    def __repr__(self) -> str:  # URLs are stored without credentials, redact anyway
        return f"Camera(id={self.id}, name={self.name!r}, main_url={redact_url(self.main_url)!r})"


@dataclass(frozen=True)
class CamerasChanged:
    """Domain event: the registry changed (the camera tree reloads)."""

    camera_ids: tuple[int, ...] = field(default_factory=tuple)


def _to_camera(row: CameraRow) -> Camera:
    return Camera(
        id=row.id, name=row.name, main_url=row.main_url, junction=row.junction,
        group_id=row.group_id, sub_url=row.sub_url, transport=row.transport,
        credential_ref=row.credential_ref, onvif_url=row.onvif_url,
        ptz_capable=row.ptz_capable, map_x=row.map_x, map_y=row.map_y, enabled=row.enabled,
        event_source=row.event_source, event_url=row.event_url,
        event_channel=row.event_channel, motion_detection=row.motion_detection,
    )


def validate_camera(camera: Camera) -> Camera:
    """Normalise and check a camera; raises CameraError with a sentence for the officer."""
    name = camera.name.strip()
    if not name:
        raise CameraError(NAME_REQUIRED)
    if len(name) > NAME_LIMIT:
        raise CameraError(NAME_TOO_LONG, limit=NAME_LIMIT)
    if len(camera.junction.strip()) > JUNCTION_LIMIT:
        raise CameraError(JUNCTION_TOO_LONG, limit=JUNCTION_LIMIT)
    main_url = camera.main_url.strip()
    if not main_url:
        raise CameraError(MAIN_URL_REQUIRED)
    for url in (main_url, camera.sub_url.strip()):
        if url and url.split("://", 1)[0].lower() not in URL_SCHEMES:
            raise CameraError(URL_UNSUPPORTED, url=redact_url(url))
    transport = camera.transport.strip().lower() or "tcp"
    if transport not in TRANSPORTS:
        raise CameraError(TRANSPORT_INVALID, value=camera.transport)
    event_source = camera.event_source.strip().lower()
    if event_source not in EVENT_SOURCES:
        raise CameraError(EVENT_SOURCE_INVALID, value=camera.event_source)
    event_url = camera.event_url.strip()
    if event_url and event_url.split("://", 1)[0].lower() not in EVENT_URL_SCHEMES:
        raise CameraError(EVENT_URL_UNSUPPORTED, url=redact_url(event_url))
    if camera.event_channel < 1:
        raise CameraError(EVENT_CHANNEL_INVALID, value=camera.event_channel)
    return replace(
        camera, name=name, main_url=main_url, sub_url=camera.sub_url.strip(),
        junction=camera.junction.strip(), transport=transport, event_source=event_source,
        event_url=event_url,
    )


class CameraRegistry:
    """Cameras and groups. Reading needs VIEW_VIDEO, changing MANAGE_CAMERAS; every change
    is audited in the same transaction.

    Reads (cameras, groups, get, stream specs, ONVIF endpoints) come from an in-memory
    snapshot (``commandroom.cameras.directory``), so the GUI thread may ask freely; each
    write reloads it before ``CamerasChanged`` goes out."""

    def __init__(
        self, sessions: sessionmaker[Session], secrets: SecretStore, events: EventBus,
        audit: AuditSink,
    ) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._events = events
        self._audit = audit
        self.directory = CameraDirectory(self._load_snapshot)
        self.directory.reload()

    def _load_snapshot(self) -> Snapshot:
        with self._sessions() as s:
            groups = [Group(r.id, r.name, r.position) for r in s.scalars(
                select(CameraGroupRow).order_by(CameraGroupRow.position, CameraGroupRow.name))]
            cameras = [_to_camera(r) for r in s.scalars(select(CameraRow).order_by(
                CameraRow.name))]
        credentials: dict[str, tuple[str, str]] = {}
        for ref in {c.credential_ref for c in cameras if c.credential_ref}:
            stored = get_credentials(self._secrets, ref)
            if stored is not None:
                credentials[ref] = stored
        return make_snapshot(cameras, groups, credentials)

    def _changed(self, camera_ids: tuple[int, ...] = ()) -> None:
        """After a write committed: the snapshot first, then the event (its subscribers
        read the snapshot)."""
        self.directory.reload()
        self._events.publish(CamerasChanged(camera_ids))

    # -- groups ---------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def groups(self, actor: Actor) -> list[Group]:
        return list(self.directory.snapshot.groups)

    @requires(Permission.MANAGE_CAMERAS)
    def add_group(self, actor: Actor, name: str) -> Group:
        name = _group_name(name)
        with self._sessions.begin() as s:
            if s.scalar(select(CameraGroupRow.id).where(CameraGroupRow.name == name)):
                raise CameraError(GROUP_EXISTS, name=name)
            count = s.scalar(select(func.count()).select_from(CameraGroupRow)) or 0
            row = CameraGroupRow(name=name, position=count)
            s.add(row)
            s.flush()
            group = Group(row.id, row.name, row.position)
            self._audit.append(s, actor, "camera_group.add", name)
        self._changed()
        return group

    def _group_by_name(self, session: Session, name: str, create: bool) -> int | None:
        name = name.strip()
        if not name:
            return None
        gid = session.scalar(select(CameraGroupRow.id).where(CameraGroupRow.name == name))
        if gid is None and create:
            row = CameraGroupRow(name=name)
            session.add(row)
            session.flush()
            gid = row.id
        return gid

    @requires(Permission.MANAGE_CAMERAS)
    def rename_group(self, actor: Actor, group_id: int, name: str) -> None:
        name = _group_name(name)
        try:
            with self._sessions.begin() as s:
                row = s.get(CameraGroupRow, group_id)
                if row is None:
                    raise CameraError(GROUP_GONE)
                self._audit.append(s, actor, "camera_group.rename", name,
                                   {"before": row.name, "after": name})
                row.name = name
                s.flush()
        except IntegrityError as exc:
            raise CameraError(GROUP_EXISTS, name=name) from exc
        self._changed()

    @requires(Permission.MANAGE_CAMERAS)
    def delete_group(self, actor: Actor, group_id: int) -> None:
        """Delete a group; its cameras stay, ungrouped."""
        with self._sessions.begin() as s:
            for cam in s.scalars(select(CameraRow).where(CameraRow.group_id == group_id)):
                cam.group_id = None
            row = s.get(CameraGroupRow, group_id)
            if row is not None:
                self._audit.append(s, actor, "camera_group.delete", row.name)
                s.delete(row)
        self._changed()

    # -- cameras --------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def cameras(self, actor: Actor, enabled_only: bool = False) -> list[Camera]:
        cameras = self.directory.snapshot.cameras
        return [c for c in cameras if c.enabled] if enabled_only else list(cameras)

    @requires(Permission.VIEW_VIDEO)
    def get(self, actor: Actor, camera_id: int) -> Camera | None:
        return self.directory.snapshot.by_id.get(camera_id)

    @requires(Permission.MANAGE_CAMERAS)
    def add(
        self, actor: Actor, camera: Camera, user: str | None = None, password: str | None = None
    ) -> Camera:
        camera = validate_camera(camera)
        try:
            with self._sessions.begin() as s:  # secret and camera commit together
                camera = self._take_credentials(camera, user, password, s)
                row = CameraRow(**_row_fields(camera))
                s.add(row)
                s.flush()
                saved = _to_camera(row)
                self._audit.append(s, actor, "camera.add", saved.name, _audit_fields(saved))
        except IntegrityError as exc:
            raise CameraError(CAMERA_EXISTS, name=camera.name) from exc
        log.info("camera added: %s (%s)", saved.name, redact_url(saved.main_url))
        self._changed((saved.id or 0,))
        return saved

    @requires(Permission.MANAGE_CAMERAS)
    def update(
        self, actor: Actor, camera: Camera, user: str | None = None, password: str | None = None
    ) -> Camera:
        if camera.id is None:
            raise CameraError(NOT_SAVED)
        camera = validate_camera(camera)
        try:
            with self._sessions.begin() as s:
                camera = self._take_credentials(camera, user, password, s)
                row = s.get(CameraRow, camera.id)
                if row is None:
                    raise CameraError(CAMERA_GONE)
                before = _audit_fields(_to_camera(row))
                for key, value in _row_fields(camera).items():
                    setattr(row, key, value)
                s.flush()
                saved = _to_camera(row)
                self._audit.append(s, actor, "camera.update", saved.name,
                                   {"before": before, "after": _audit_fields(saved),
                                    "credentials_changed": bool(user)})
        except IntegrityError as exc:
            raise CameraError(CAMERA_EXISTS, name=camera.name) from exc
        self._changed((saved.id or 0,))
        return saved

    @requires(Permission.MANAGE_CAMERAS)
    def set_enabled(self, actor: Actor, camera_id: int, enabled: bool) -> None:
        with self._sessions.begin() as s:
            row = s.get(CameraRow, camera_id)
            if row is None:
                raise CameraError(CAMERA_GONE)
            row.enabled = enabled
            self._audit.append(s, actor, "camera.enable" if enabled else "camera.disable",
                               row.name)
        self._changed((camera_id,))

    @requires(Permission.MANAGE_CAMERAS)
    def delete(self, actor: Actor, camera_id: int) -> None:
        with self._sessions.begin() as s:
            row = s.get(CameraRow, camera_id)
            if row is None:
                return
            ref = row.credential_ref
            self._audit.append(s, actor, "camera.delete", row.name,
                               _audit_fields(_to_camera(row)))
            s.delete(row)
        if ref:
            self._secrets.delete(ref)
        self._changed((camera_id,))

    @requires(Permission.MANAGE_CAMERAS)
    def add_many(
        self, actor: Actor, items: list[tuple[int, Camera, str, str | None, str | None]]
    ) -> tuple[list[str], list[tuple[int, Notice]]]:
        """Add validated cameras (line, camera, group name, user, password) in ONE
        transaction; returns (names added, [(line, reason)] refused)."""
        added: list[str] = []
        refused: list[tuple[int, Notice]] = []
        with self._sessions.begin() as s:
            existing = {n.casefold() for n in s.scalars(select(CameraRow.name))}
            for line, camera, group_name, user, password in items:
                if camera.name.casefold() in existing:
                    refused.append((line, notice(CAMERA_EXISTS, name=camera.name)))
                    continue
                existing.add(camera.name.casefold())
                cam = self._take_credentials(camera, user, password, s)
                fields = _row_fields(cam) | {"group_id": self._group_by_name(s, group_name, True)}
                s.add(CameraRow(**fields))
                added.append(cam.name)
            if added:
                self._audit.append(s, actor, "camera.import", f"{len(added)} cameras",
                                   {"names": added, "refused_lines": [r[0] for r in refused]})
        if added:
            self._changed()
        return added, refused

    # -- credentials: only the layers that talk to the camera get the password ----------
    @requires(Permission.MANAGE_CAMERAS, subject=lambda camera: camera.name)
    def credentials(self, actor: Actor, camera: Camera) -> tuple[str, str] | None:
        """The camera's user and password, for an administrator (who sets them anyway).

        Nobody else reads a password: the video engine gets it inside ``stream_spec``,
        ONVIF inside ``onvif_endpoint``; a viewer asking here is refused and audited.
        """
        return self._stored_credentials(camera)

    @requires(Permission.VIEW_VIDEO)
    def credential_user(self, actor: Actor, camera: Camera) -> str:
        """The user name the camera is opened with ("" if none): shown, never the password."""
        creds = self._stored_credentials(camera)
        return creds[0] if creds else ""

    @requires(Permission.VIEW_VIDEO)
    def stream_spec(self, actor: Actor, camera: Camera, main: bool) -> StreamSpec:
        """What the video engine opens: main stream for large tiles, sub stream (when the
        camera has one) for small ones, with the credentials kept apart from the URL."""
        from commandroom.video.stream_spec import StreamSpec  # the engine only when asked

        url = camera.main_url if main or not camera.sub_url else camera.sub_url
        user, password = self._stored_credentials(camera) or (None, None)
        return StreamSpec(url=url, user=user or None, password=password or None,
                          transport=camera.transport)

    @requires(Permission.CONTROL_PTZ, subject=lambda camera: camera.name)
    def onvif_endpoint(self, actor: Actor, camera: Camera) -> CameraEndpoint | None:
        """Where and how ONVIF reaches the camera (None without an ONVIF address); for
        whoever may steer it, since the endpoint carries the password to the camera."""
        from commandroom.onvif.addresses import parse_onvif_url  # ONVIF only when asked
        from commandroom.onvif.models import CameraEndpoint

        where = parse_onvif_url(camera.onvif_url)
        if where is None:
            return None
        user, password = self._stored_credentials(camera) or (None, None)
        return CameraEndpoint(where[0], where[1], user or None, password or None)

    def _stored_credentials(self, camera: Camera) -> tuple[str, str] | None:
        if not camera.credential_ref:
            return None
        return self.directory.snapshot.credentials.get(camera.credential_ref)

    def _take_credentials(
        self, camera: Camera, user: str | None, password: str | None,
        session: Session | None = None,
    ) -> Camera:
        """Move credentials typed into a URL, or given apart, into the secret store."""
        main, url_user, url_password = strip_credentials(camera.main_url)
        sub, sub_user, sub_password = strip_credentials(camera.sub_url)
        events, event_user, event_password = strip_credentials(camera.event_url)
        user = user or url_user or sub_user or event_user
        password = password if password is not None else (
            url_password or sub_password or event_password)
        if user and password is None and camera.credential_ref:
            # "Password: unchanged": the stored one stays, read here, never by the caller.
            stored = get_credentials(self._secrets, camera.credential_ref)
            password = stored[1] if stored else None
        camera = replace(camera, main_url=main, sub_url=sub, event_url=events)
        if user:
            existing_ref = camera.credential_ref or None
            ref = put_credentials(self._secrets, user, password or "", existing_ref, session)
            camera = replace(camera, credential_ref=ref)
        return camera


def _group_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise CameraError(GROUP_NAME_REQUIRED)
    if len(name) > NAME_LIMIT:
        raise CameraError(GROUP_NAME_TOO_LONG, limit=NAME_LIMIT)
    return name


def _audit_fields(camera: Camera) -> dict[str, Any]:
    """What the audit keeps of a camera: no credential reference, URLs redacted."""
    return {
        "name": camera.name, "junction": camera.junction, "group_id": camera.group_id,
        "main_url": redact_url(camera.main_url), "sub_url": redact_url(camera.sub_url),
        "transport": camera.transport, "onvif_url": redact_url(camera.onvif_url),
        "enabled": camera.enabled, "event_source": camera.event_source,
        "event_url": redact_url(camera.event_url), "event_channel": camera.event_channel,
        "motion_detection": camera.motion_detection,
    }


def _row_fields(camera: Camera) -> dict[str, Any]:
    return {
        "name": camera.name, "junction": camera.junction, "group_id": camera.group_id,
        "main_url": camera.main_url, "sub_url": camera.sub_url, "transport": camera.transport,
        "credential_ref": camera.credential_ref, "onvif_url": camera.onvif_url,
        "ptz_capable": camera.ptz_capable, "map_x": camera.map_x, "map_y": camera.map_y,
        "enabled": camera.enabled, "event_source": camera.event_source,
        "event_url": camera.event_url, "event_channel": camera.event_channel,
        "motion_detection": camera.motion_detection,
    }
