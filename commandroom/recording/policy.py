"""Which cameras are recorded: a mode per camera, and the rule that applies it.

``off``, ``continuous``, or ``while_shown`` (recorded while some tile or the wall shows
it). A camera without a saved choice records continuously if it is a demo camera (so a
new user sees recording work at once) and not at all otherwise.

Which stream is recorded (``record_stream``): ``main`` by default, the evidence-quality
stream; a tile wide enough for the main stream then shares the recording's connection.
A small tile shows the sub stream, which is a second RTSP session on the camera: almost
every camera serves a main and a sub stream to several clients at once (that is what an
NVR plus a viewing client already do). For a camera that refuses a second session, set
``sub``: its tiles and its recording then use one connection at every tile size (the UI
opens the recorded stream for a recorded camera's tiles), at the sub stream's quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.models import CameraRow
from commandroom.events import EventBus
from commandroom.recording.models import CameraRecordingRow

MAX_KEEP_DAYS = 3650


class RecordingMode(StrEnum):
    OFF = "off"
    CONTINUOUS = "continuous"
    WHILE_SHOWN = "while_shown"


class RecordStream(StrEnum):
    MAIN = "main"
    SUB = "sub"


@dataclass(frozen=True)
class RecordingPolicyChanged:
    """Domain event: a camera's recording mode or stream changed (the scheduler applies
    it at once)."""

    camera_id: int


def must_record(mode: RecordingMode, shown: bool) -> bool:
    """The whole rule: the recorder of a camera runs exactly when this is True."""
    return mode is RecordingMode.CONTINUOUS or (mode is RecordingMode.WHILE_SHOWN and shown)


def default_mode(main_url: str, demo_cameras_record: bool = True) -> RecordingMode:
    demo = main_url.lower().startswith("demo:")
    return RecordingMode.CONTINUOUS if demo and demo_cameras_record else RecordingMode.OFF


@dataclass(frozen=True)
class CameraRecording:
    camera_id: int
    mode: RecordingMode
    keep_days: int | None  # None: the [recording] keep_days setting
    saved: bool  # False: the default for this kind of camera
    record_stream: RecordStream = RecordStream.MAIN


class RecordingPolicyError(ValueError):
    """A setting out of range; the message says which."""


class RecordingPolicy:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink,
                 bus: EventBus | None = None, *, demo_cameras_record: bool = True) -> None:
        self._sessions = sessions
        self._audit = audit
        self._bus = bus
        self._demo_cameras_record = demo_cameras_record

    @open_access("which cameras to record: needed by the engine; reveals no footage")
    def all_cameras(self) -> dict[int, CameraRecording]:
        with self._sessions() as session:
            saved = {r.camera_id: r for r in session.scalars(select(CameraRecordingRow))}
            result = {}
            for camera_id, url in session.execute(select(CameraRow.id, CameraRow.main_url)):
                row = saved.get(camera_id)
                result[camera_id] = (
                    CameraRecording(camera_id, RecordingMode(row.mode), row.keep_days, True,
                                    RecordStream(row.record_stream))
                    if row is not None
                    else CameraRecording(camera_id, default_mode(url, self._demo_cameras_record),
                                         None, False)
                )
            return result

    @open_access("which cameras to record: needed by the engine; reveals no footage")
    def camera(self, camera_id: int) -> CameraRecording | None:
        return self.all_cameras().get(camera_id)

    @open_access("applies the saved modes; reveals no footage")
    def should_record(self, camera_id: int, shown: bool) -> bool:
        found = self.camera(camera_id)
        return found is not None and must_record(found.mode, shown)

    @requires(Permission.MANAGE_CAMERAS)
    def set_mode(self, actor: Actor, camera_id: int, mode: RecordingMode) -> None:
        with self._sessions.begin() as session:
            row = self._row(session, camera_id)
            before = row.mode
            row.mode, row.updated_by = RecordingMode(mode).value, actor.username
            self._audit.append(session, actor, "recording.mode", f"camera {camera_id}",
                               {"from": before, "to": row.mode})
        self._changed(camera_id)

    @requires(Permission.MANAGE_CAMERAS)
    def set_record_stream(self, actor: Actor, camera_id: int, stream: RecordStream) -> None:
        """Record the camera's main or sub stream (see the module's docstring)."""
        try:
            stream = RecordStream(stream)
        except ValueError as exc:
            raise RecordingPolicyError(f"record_stream must be main or sub, not {stream!r}"
                                       ) from exc
        with self._sessions.begin() as session:
            row = self._row(session, camera_id)
            before = row.record_stream
            row.record_stream, row.updated_by = stream.value, actor.username
            self._audit.append(session, actor, "recording.stream", f"camera {camera_id}",
                               {"from": before, "to": row.record_stream})
        self._changed(camera_id)

    def _changed(self, camera_id: int) -> None:
        if self._bus is not None:
            self._bus.publish(RecordingPolicyChanged(camera_id))

    @requires(Permission.MANAGE_SETTINGS)
    def set_keep_days(self, actor: Actor, camera_id: int, keep_days: int | None) -> None:
        """A camera's own retention (None: back to the general setting)."""
        if keep_days is not None and not 1 <= keep_days <= MAX_KEEP_DAYS:
            raise RecordingPolicyError(f"keep_days must be 1..{MAX_KEEP_DAYS}, not {keep_days}")
        with self._sessions.begin() as session:
            row = self._row(session, camera_id)
            before = row.keep_days
            row.keep_days, row.updated_by = keep_days, actor.username
            self._audit.append(session, actor, "recording.keep_days", f"camera {camera_id}",
                               {"from": before, "to": keep_days})

    def _row(self, session: Session, camera_id: int) -> CameraRecordingRow:
        row = session.get(CameraRecordingRow, camera_id)
        if row is not None:
            return row
        camera = session.get(CameraRow, camera_id)
        if camera is None:
            raise RecordingPolicyError(f"no camera with id {camera_id}")
        mode = default_mode(camera.main_url, self._demo_cameras_record)
        row = CameraRecordingRow(camera_id=camera_id, mode=mode.value,
                                 record_stream=RecordStream.MAIN.value)
        session.add(row)
        return row
