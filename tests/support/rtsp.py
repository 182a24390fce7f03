"""Start/stop the RTSP test server (tests/support/rtsp_server.py) from pytest or a bench.

The server runs under Debian's ``/usr/bin/python3`` (the venv cannot import gi). We wait
for its ``READY <port>`` line instead of sleeping, can stop and restart it on the SAME
port (the "server killed -> reconnecting -> live again" case), and always kill it at the
end. Its stdin is a pipe we hold: if this process dies, the server exits on its own.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = Path(__file__).with_name("rtsp_server.py")
CLIP_SCRIPT = REPO / "scripts" / "make_test_clip.sh"
SYSTEM_PYTHON = "/usr/bin/python3"
CACHE_DIR = REPO / ".test-data"
SECURE_USER = "officer"
SECURE_PASSWORD = "s3cret-Pa55"
STARTUP_TIMEOUT_S = 20.0


def ensure_test_clip(seconds: int = 180, size: str = "640x360", bitrate: str = "") -> Path:
    """The pre-encoded H.264 clip (cached in .test-data/; ~5 s to make the first time)."""
    out = subprocess.run(
        [str(CLIP_SCRIPT), str(CACHE_DIR), str(seconds), size, bitrate],
        check=True, capture_output=True, text=True, timeout=300,
    )
    return Path(out.stdout.strip().splitlines()[-1]).resolve()


# A camera's 1080p main stream for big-wall tests and benches: 40 s at 2 Mbit/s (10 MB,
# ~11 s of one core to encode the first time, measured; ~2 ms a frame to decode). The
# server does not loop clips: sessions must end within the 40 s.
MAIN_CLIP_SECONDS = 40


def ensure_main_clip(seconds: int = MAIN_CLIP_SECONDS) -> Path:
    """The pre-encoded 1920x1080 H.264 clip served on /mainN (cached in .test-data/)."""
    return ensure_test_clip(seconds, "1920x1080", "2M")


@dataclass
class RtspTestServer:
    """One server process; ``start()`` / ``stop()`` / ``restart()``; use ``url(mount)``."""

    live_mounts: int = 2
    barcode_mounts: int = 1
    clip: Path | None = None
    clip_mounts: int = 16
    main_clip: Path | None = None  # a 1080p clip (ensure_main_clip) served on /main1..N
    main_clip_mounts: int = 4
    password: str = SECURE_PASSWORD
    port: int = 0
    # NVR playback mounts (rtsp_playback_mounts.py): recorded windows in UTC epoch seconds
    # (empty: everything recorded), Dahua local time offset, Digest authentication.
    recorded: list[tuple[float, float]] = field(default_factory=list)
    nvr_utc_offset_min: int = 480
    playback_digest: bool = False
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rtsp-test-")))
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def events_file(self) -> Path:
        return self.workdir / "events.log"

    @property
    def log_file(self) -> Path:
        return self.workdir / "server.log"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def url(self, mount: str, host: str = "127.0.0.1", port: int | None = None) -> str:
        """``rtsp://127.0.0.1:<port>/<mount>`` (no credentials: they go in StreamSpec)."""
        return f"rtsp://{host}:{port or self.port}/{mount.lstrip('/')}"

    def start(self) -> RtspTestServer:
        assert not self.running, "server already running"
        cmd = [
            SYSTEM_PYTHON, str(SERVER_SCRIPT), "--port", str(self.port),
            "--live", str(self.live_mounts), "--password", self.password,
            "--barcode-mounts", str(self.barcode_mounts),
            "--events", str(self.events_file),
        ]
        if self.clip is not None:
            cmd += ["--clip", str(self.clip), "--clip-mounts", str(self.clip_mounts)]
        if self.main_clip is not None:
            cmd += ["--main-clip", str(self.main_clip),
                    "--main-clip-mounts", str(self.main_clip_mounts)]
        for start, end in self.recorded:
            cmd += ["--recorded", f"{start}:{end}"]
        cmd += ["--nvr-utc-offset-min", str(self.nvr_utc_offset_min)]
        if self.playback_digest:
            cmd.append("--playback-digest")
        with open(self.log_file, "ab") as log:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                cwd=REPO, start_new_session=True,  # our Ctrl-C must not hit it mid-test
            )
        try:
            self.port = self._read_ready_port()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_ready_port(self) -> int:
        assert self._proc is not None and self._proc.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        buffer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(self._proc.stdout, selectors.EVENT_READ)
            while b"\n" not in buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"RTSP server not ready in {STARTUP_TIMEOUT_S} s")
                if not selector.select(remaining):
                    continue
                chunk = os.read(self._proc.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(
                        f"RTSP server exited (rc={self._proc.wait()}): {self.log_tail()}"
                    )
                buffer += chunk
        line = buffer.split(b"\n", 1)[0].decode()
        word, _, port = line.partition(" ")
        if word != "READY":
            raise RuntimeError(f"unexpected first line from RTSP server: {line!r}")
        return int(port)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM, then SIGKILL if it lingers. Keeps ``port`` so start() reuses it."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()

    def kill(self) -> None:
        """Die abruptly like a crashed camera (no RTSP teardown)."""
        if self._proc is not None:
            self._proc.kill()
        self.stop()

    def restart(self) -> None:
        self.stop()
        self.start()

    def events(self) -> list[str]:
        try:
            return self.events_file.read_text().splitlines()
        except FileNotFoundError:
            return []

    def event_counts(self) -> Counter[str]:
        """e.g. ``counts["DESCRIBE /secure"]``, ``counts["CONNECT"]``."""
        return Counter(self.events())

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def __enter__(self) -> RtspTestServer:
        return self.start() if not self.running else self

    def close(self) -> None:
        """Stop for good and remove the work folder with its logs: every session of the
        suite left its servers' folders in /tmp (527 of them here)."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __exit__(self, *_: object) -> None:
        self.close()


@contextmanager
def rtsp_server(**kwargs: object) -> Iterator[RtspTestServer]:
    """``with rtsp_server(live_mounts=1) as srv: srv.url("live1")`` — always stopped."""
    server = RtspTestServer(**kwargs)  # type: ignore[arg-type]
    try:
        yield server.start()
    finally:
        server.close()


def free_port() -> int:
    """A port nothing listens on right now (for "no server there" tests)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- helpers for tests against commandroom.video.StreamHub -------------------------------
# Typed loosely (Any) so this module imports before/without the engine.


class StatusRecorder:
    """``on_status`` callback for StreamHub that tests can wait on (no sleeps).

    Keeps every (spec, status) in order; ``wait_for`` blocks on a Condition until a status
    matching the predicate arrives, optionally only among those after index ``since``.
    """

    def __init__(self) -> None:
        import threading

        self._cond = threading.Condition()
        self.history: list[tuple[float, Any, Any]] = []

    def __call__(self, spec: Any, status: Any) -> None:
        with self._cond:
            self.history.append((time.monotonic(), spec, status))
            self._cond.notify_all()

    def mark(self) -> int:
        with self._cond:
            return len(self.history)

    def statuses(self, spec: Any, since: int = 0) -> list[Any]:
        with self._cond:
            return [st for _, sp, st in self.history[since:] if sp == spec]

    def wait_for(
        self, spec: Any, predicate: Callable[[Any], bool], timeout: float, since: int = 0
    ) -> tuple[int, Any]:
        """(index, status) of the first match at or after ``since``; TimeoutError if none."""
        deadline = time.monotonic() + timeout
        with self._cond:
            checked = since
            while True:
                for index in range(checked, len(self.history)):
                    _, sp, st = self.history[index]
                    if sp == spec and predicate(st):
                        return index, st
                checked = len(self.history)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [str(st) for st in self.statuses(spec, since)]
                    raise TimeoutError(f"no matching status in {timeout} s; saw {seen}")
                self._cond.wait(remaining)

    def wait_state(
        self, spec: Any, state: str, timeout: float, since: int = 0
    ) -> tuple[int, Any]:
        return self.wait_for(spec, lambda st: st.state == state, timeout, since)


def wait_for_seq(handle: Any, seq: int, timeout: float) -> Any:
    """Wait until ``handle.slot`` holds frame number >= ``seq``; returns that frame.

    FrameSlot has nothing to wait on (it is polled at paint rate by design), so we poll
    with a deadline, as a painter would.
    """
    deadline = time.monotonic() + timeout
    while handle.slot.seq < seq:
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"frame {seq} not reached in {timeout} s (at {handle.slot.seq}; "
                f"status {handle.status()})"
            )
        time.sleep(0.01)
    return handle.slot.latest()
