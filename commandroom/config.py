"""Typed settings loaded from TOML, and the paths of everything the app writes.

``--data-dir`` (or ``COMMANDROOM_DATA_DIR``) puts config, data and logs into one folder,
so tests and several installs never share state.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
import tomli_w

from commandroom.files import private_dir, tighten_dir, write_private

log = logging.getLogger(__name__)

APP_NAME = "commandroom"
DATA_DIR_ENV = "COMMANDROOM_DATA_DIR"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "commandroom.db"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "snapshots"

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"

    def ensure(self) -> None:
        """Create the folders, private to the user (police data); ours made earlier with
        looser modes are tightened."""
        for path in (self.config_dir, self.data_dir, self.log_dir):
            private_dir(path)
            tighten_dir(path)

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None) -> Paths:
        chosen = data_dir or os.environ.get(DATA_DIR_ENV)
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(config_dir=root, data_dir=root, log_dir=root / "logs")
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME)),
        )


@dataclass
class VideoSettings:
    open_timeout_s: float = 5.0
    # No data, or data without a decodable picture, for this long: the connection is given
    # up and a new one made (the "stall timeout"; see video/lifecycle.py).
    read_timeout_s: float = 5.0
    stall_after_s: float = 3.0  # no picture for this long while connected: STALLED
    # No picture for this long (a cut cable and a stalled camera alike): OFFLINE instead of
    # RECONNECTING. Retries go on; the tile says when the next one is.
    offline_after_s: float = 20.0
    # LIVE but this many seconds further behind real time than at its best: SLOW.
    slow_behind_s: float = 1.0
    # LIVE with an end-to-end delay (by the camera's clock, from RTCP sender reports) of
    # at least this: DELAYED. Cameras' own encoding takes 0.05-0.2 s.
    delay_warn_s: float = 0.25
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0
    idle_stop_s: float = 5.0
    default_transport: str = "tcp"
    # A tile at least this wide (device pixels) plays the main stream.
    main_stream_min_width: int = 960
    # How often the pump looks for new frames; a tile repaints only when its frame is
    # new, so this bounds the wait before a frame is shown (10 ms), not the paint rate.
    # Measured at 16 tiles: 100 Hz keeps GUI lag p99 at 4-5 ms vs 15-28 ms at 30 Hz
    # (smaller bursts of tiles per tick) and takes painted latency from 40 to 29 ms.
    paint_hz: int = 100
    # Up to this many streams playing at once, RTSP H.264 skips FFmpeg's parser: 40 ms
    # less latency at 25 fps, but ~6x more packets through PyAV, each handing the GIL
    # over three times. Measured with painted tiles: 9 streams cost 64 % vs 58 % of a
    # core (GUI lag p99 12 ms either way); 16 streams 108 % vs 81 % and lag p99 55-87 ms
    # vs 18 ms. Beyond the limit new sessions use the parser (see rtp_units).
    low_latency_max_streams: int = 9
    # Hardware decoding (video/hw_decode.py): "auto" tries the device types this machine
    # offers (probed once per process), "off" decodes in software, or a device type name
    # ("vaapi", "qsv", "cuda"...). Any failure falls back to software for that stream.
    # Probing a machine without a GPU costs ~1 ms once (measured), so "auto" by default.
    hw_decode: str = "auto"
    # Stream readers in this many worker processes (pictures cross in shared memory, a
    # worker that dies is restarted); 0: reader threads in the app's own process; -1
    # (AUTO_READER_PROCESSES): chosen for this computer (video/worker_pool.py), or the
    # environment variable COMMANDROOM_READER_PROCESSES when set (tests, benchmarks).
    # Workers by default: with the readers in the GUI's process, 25 tiles (a console of 9
    # and a wall of 16) painted 3-4 fps with GUI lag p99 0.5-0.6 s on 2 cores; in 2
    # workers (nice 5) 18-21 fps, lag p99 31-48 ms, and today 25.0 fps; 4 workers keep
    # 64 tiles at 25.0 fps where 2 lost paintings (bench/README.md, issue 18).
    reader_processes: int = -1
    # The workers' scheduling priority (nice, 0-19; Linux and macOS): when decoding
    # needs more CPU than there is, the GUI thread (painting, the officer's keys) goes
    # first and the workers drop frames, not the console. Measured with 25 tiles in 2
    # workers on 2 cores (bench_wall console-wall): GUI lag p99 62-97 ms at 0, 36-43 ms
    # at 5, 10-17 ms at 10, 7 ms at 15. But the 4K wall's 1080p decoders, starved at 15
    # behind the GUI's 4K painting, missed their read timeout and reconnected (the big
    # wall test failed 2 of 2 at 15, 1 of 4 at 10, 0 of 3 at 5): 5 it is.
    reader_nice: int = 5


@dataclass
class EvidenceSettings:
    pre_seconds: float = 10.0
    post_seconds: float = 10.0


@dataclass
class RecordingSettings:
    folder: str = ""  # empty: <data dir>/recordings
    segment_s: float = 60.0  # one file per this long (cut at the next keyframe)
    # A crash or power cut loses at most this much of the file being written, plus the
    # writer's quarter-second batch: each fragment is on disk (fdatasync) once the next
    # one starts.
    fragment_s: float = 1.5
    keep_days: int = 30  # per camera, unless the camera has its own
    quota_gb: float = 0.0  # all cameras together; 0: no quota, only the disk's size
    warn_hours: float = 24.0  # warn when the disk fills within this at the current rate
    # Demo cameras without a saved choice record continuously, so a new user sees
    # recording (and instant replay) work at once; "off" spares a machine the encoders.
    demo_cameras_record: bool = True
    # The housekeeper's timer (recording/housekeeper.py): a sweep takes < 0.1 s when
    # little is due, the forecast a few ms.
    sweep_every_s: float = 300.0
    forecast_every_s: float = 60.0

    def root(self, paths: Paths) -> Path:
        return Path(self.folder).expanduser() if self.folder else paths.recordings_dir


@dataclass
class EventSettings:
    """Camera events (commandroom/camera_events): what is kept, and how plates match."""

    retention_days: int = 30  # events and their pictures; a suggestion's stays longer
    # The same plate read at the same camera within this many seconds is one card.
    fold_seconds: float = 60.0
    # A picture larger than this is not written (the event is, with a note saying so).
    max_picture_bytes: int = 4 * 1024 * 1024
    match_threshold: float = 0.6  # watchlist plate_match score a read must reach
    match_limit: int = 3  # at most this many cards per read (watch-list files sharing a plate)
    queue_size: int = 10000  # events waiting for the database; beyond it counted as dropped
    backoff_initial_s: float = 1.0  # reconnecting to a camera's events: first wait
    backoff_max_s: float = 30.0  # ... doubled up to this
    sweep_every_s: float = 3600.0  # how often retention runs


@dataclass
class WallSettings:
    screen_name: str = ""
    # With one screen the console comes first; the officer opens the wall window beside it
    # (Wall menu, Ctrl+Alt+W) and the next start does the same.
    window_on_one_screen: bool = False
    font_scale: float = 1.6
    show_clock: bool = True
    tour_dwell_s: float = 10.0


@dataclass
class ConsoleSettings:
    show_timeline: bool = True  # the timeline under the grid (View menu, Ctrl+B)
    # Camera event types (EventType values) whose events flash the camera's tiles
    # (Camera events menu, "Flash tiles on"); motion is off: it would flash all day.
    flash_event_types: list[str] = field(
        default_factory=lambda: ["plate", "intrusion", "line_crossing", "tamper"])


@dataclass
class SecuritySettings:
    idle_lock_minutes: int = 15


@dataclass
class AlertSettings:
    ack_bind: str = "127.0.0.1"
    ack_port: int = 8765
    # The https:// address the teams' phones reach the acknowledgement page at (a reverse
    # proxy with TLS in front of ack_bind, or this endpoint itself with ack_tls_*). Empty,
    # loopback, unspecified or link-local: messages carry no link, only a sentence asking
    # the team to acknowledge by phone (a link to 127.0.0.1 would open the phone itself).
    ack_public_url: str = ""
    # The station's certificate and key (PEM files): the endpoint then speaks HTTPS itself.
    ack_tls_cert: str = ""
    ack_tls_key: str = ""


@dataclass
class Settings:
    database_url: str = ""
    language: str = ""  # empty: follow the system locale
    log_level: str = "INFO"
    video: VideoSettings = field(default_factory=VideoSettings)
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    recording: RecordingSettings = field(default_factory=RecordingSettings)
    wall: WallSettings = field(default_factory=WallSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    events: EventSettings = field(default_factory=EventSettings)

    def effective_database_url(self, paths: Paths) -> str:
        return self.database_url or f"sqlite:///{paths.database_file}"


_T = TypeVar("_T")


def _from_mapping(cls: type[_T], data: dict[str, Any], where: str) -> _T:
    kwargs: dict[str, Any] = {}
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key, value in data.items():
        f = fields.get(key)
        if f is None:
            log.warning("settings: unknown key %s%s ignored", where, key)
            continue
        default = getattr(cls(), key)
        if dataclasses.is_dataclass(default):
            if not isinstance(value, dict):
                log.warning("settings: %s%s must be a table; ignored", where, key)
                continue
            kwargs[key] = _from_mapping(type(default), value, f"{where}{key}.")
        elif isinstance(default, float) and isinstance(value, int | float):
            kwargs[key] = float(value)
        elif isinstance(value, type(default)):
            kwargs[key] = value
        else:
            log.warning(
                "settings: %s%s should be %s, got %r; default kept",
                where, key, type(default).__name__, value,
            )
    return cls(**kwargs)


def load_settings(paths: Paths) -> Settings:
    """Read the settings file; a missing file gives defaults, a broken one says why."""
    try:
        raw = paths.settings_file.read_bytes()
    except FileNotFoundError:
        return Settings()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        log.error("settings: %s is not valid TOML (%s); using defaults", paths.settings_file, exc)
        return Settings()
    return _from_mapping(Settings, data, "")


def save_settings(paths: Paths, settings: Settings) -> None:
    write_private(paths.settings_file, tomli_w.dumps(dataclasses.asdict(settings)).encode())
