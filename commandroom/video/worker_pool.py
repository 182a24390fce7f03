"""A small pool of reader worker processes, and their supervisor.

Streams are spread over the workers (each new one goes to the worker with the fewest).
Each worker has one thread here that receives its messages and hands them to the
``RemoteReader`` they are about; when the pipe ends without being asked to (the process
was killed, or crashed inside FFmpeg) the same thread starts a new process and opens its
streams again, while the other workers' streams go on untouched. A worker that keeps
dying is restarted with a growing pause, so a stream that crashes FFmpeg every time does
not spin the machine.

Processes are started with the 'forkserver' method: forking the app itself (Qt, many
threads) copies locks other threads hold and is not safe, and 'spawn' starts a fresh
interpreter that imports the engine each time (1 s on an idle 2-core box, 3 s under
load: too slow for a restart). The fork server is one clean, single-threaded process that
has imported the worker's modules once; each worker is a fork of it, ready at once.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from commandroom.config import VideoSettings
from commandroom.video import shm_atomic, worker_process
from commandroom.video.frames import Frame
from commandroom.video.remote_reader import FullResolution, RemoteReader
from commandroom.video.worker_units import NOT_RUNNING_REPLY, ClipReply

log = logging.getLogger(__name__)

READER_PROCESSES_ENV = "COMMANDROOM_READER_PROCESSES"
_QUIT_TIMEOUT_S = 3.0
# A worker that lived at least this long before dying is restarted at once.
_STEADY_S = 10.0
_MAX_PAUSE_S = 10.0


AUTO_READER_PROCESSES = -1
# 4 workers wherever there are 2 CPUs or more. The streams of one worker share its
# interpreter and GIL, and 64 tiles in 2 workers (32 streams each) lost paintings: on 2
# cores (bench_wall grid64, 4 alternating pairs of 30 s runs, nice 5) the lowest tile
# painted 22.6-24.6 fps with 2 workers and 25.0 fps in every run with 4 (24.9-25.0 in 5
# more), for the same app CPU (148-154 % of a core). Console 9 + wall 16 and 16 tiles
# read alike either way (bench/README.md, issue 18). (When every evidence unit still
# crossed to the GUI process and the workers ran at nice 0, more workers had painted
# less: 25 tiles, 2 workers 16-20 fps, 4 workers 8.)
_AUTO_WORKERS = 4


def auto_reader_processes(cpu_count: int | None) -> int:
    """Workers for a computer with ``cpu_count`` logical CPUs: none on one CPU (a process
    switch per frame would cost more than the GIL), else _AUTO_WORKERS."""
    if cpu_count is None or cpu_count < 2:
        return 0
    return _AUTO_WORKERS


def reader_processes(settings: VideoSettings) -> int:
    """How many reader worker processes: the setting when it gives a number, else the
    environment's say, else ``auto_reader_processes``; none where the shared slot's
    protocol is not sound (shm_atomic.PORTABLE)."""
    wanted, asked = settings.reader_processes, settings.reader_processes >= 0
    if not asked:
        wanted = auto_reader_processes(os.cpu_count())
        value = os.environ.get(READER_PROCESSES_ENV, "").strip()
        if value:
            try:
                wanted, asked = max(0, int(value)), True
            except ValueError:
                log.warning("%s=%r is not a number; using %d", READER_PROCESSES_ENV,
                            value, wanted)
    if wanted and not shm_atomic.PORTABLE:
        (log.warning if asked else log.info)(
            "readers stay in this process: this CPU needs libatomic (Debian package "
            "libatomic1) for frames in shared memory")
        return 0
    return wanted


@dataclass(eq=False)
class _Worker:
    index: int
    process: BaseProcess | None = None
    conn: Connection | None = None
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    readers: dict[int, RemoteReader] = field(default_factory=dict)
    thread: threading.Thread | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restarts: int = 0


class WorkerPool:
    def __init__(self, size: int, settings: VideoSettings) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one process")
        self._settings = settings
        self._context = multiprocessing.get_context("forkserver")
        # Not the app's __main__ (it would import Qt into every worker).
        self._context.set_forkserver_preload([worker_process.__name__])
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._sids = itertools.count(1)
        self._replies: dict[int, tuple[_Worker, concurrent.futures.Future[Any]]] = {}
        self._where: dict[int, _Worker] = {}
        self._workers = [_Worker(i) for i in range(size)]
        for worker in self._workers:
            self._spawn(worker)
            worker.thread = threading.Thread(
                target=self._serve, args=(worker,), name=f"video-worker-{worker.index}",
                daemon=True,
            )
            worker.thread.start()

    # ----------------------------------------------------------------- for readers
    def open(self, reader: RemoteReader) -> None:
        with self._lock:
            worker = min(self._workers, key=lambda w: len(w.readers))
            reader.sid = next(self._sids)
            worker.readers[reader.sid] = reader
            self._where[reader.sid] = worker
        self._send(worker, reader.open_message())

    def stop(self, reader: RemoteReader) -> None:
        self.send(reader, ("stop", reader.sid))

    def send(self, reader: RemoteReader, message: tuple[Any, ...]) -> None:
        with self._lock:
            worker = self._where.get(reader.sid)
        if worker is not None:
            self._send(worker, message)

    def ask_full(self, reader: RemoteReader, seq: int | None
                 ) -> concurrent.futures.Future[FullResolution | None]:
        return self._ask(reader, "full", seq)

    def ask_clip(self, reader: RemoteReader, pre_s: float, post_s: float, now: float
                 ) -> concurrent.futures.Future[ClipReply | None]:
        """A clip of ``now - pre_s`` to ``now + post_s`` from the worker's evidence ring;
        answered once the clip's end has come (None: the worker died first)."""
        return self._ask(reader, "clip", pre_s, post_s, now, absent=NOT_RUNNING_REPLY)

    def _ask(self, reader: RemoteReader, kind: str, *args: Any, absent: Any = None
             ) -> concurrent.futures.Future[Any]:
        """``absent`` answers at once when no worker reads the stream (it ended, or was
        never opened): for a clip that is a reason of its own, not "the worker died"."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            worker = self._where.get(reader.sid)
            request = next(self._sids)
            if worker is None:
                future.set_result(absent)
                return future
            self._replies[request] = (worker, future)
        self._send(worker, (kind, reader.sid, request, *args))
        return future

    # ----------------------------------------------------------------- supervision
    def pids(self) -> list[int | None]:
        """Each worker's process id now (for benchmarks and the crash tests)."""
        return [w.process.pid if w.process is not None else None for w in self._workers]

    def worker_of(self, reader: RemoteReader) -> int | None:
        with self._lock:
            worker = self._where.get(reader.sid)
        return None if worker is None else worker.index

    def restarts(self) -> int:
        return sum(w.restarts for w in self._workers)

    def close(self) -> None:
        """Ask every worker to quit (its readers stop), wait, then make sure."""
        self._closing.set()
        for worker in self._workers:
            self._send(worker, ("quit",))
        for worker in self._workers:
            process = worker.process
            if process is None:
                continue
            process.join(_QUIT_TIMEOUT_S)
            if process.is_alive():
                log.warning("video worker %d did not quit in time; killing it", worker.index)
                process.kill()
                process.join(_QUIT_TIMEOUT_S)
        for worker in self._workers:
            if worker.thread is not None:
                worker.thread.join(_QUIT_TIMEOUT_S)

    def _spawn(self, worker: _Worker) -> None:
        here, there = self._context.Pipe()
        process = self._context.Process(
            target=worker_process.run, args=(there, self._settings),
            name=f"commandroom-video-worker-{worker.index}", daemon=True,
        )
        process.start()
        there.close()  # only the child holds its end: its death reads as EOF here
        worker.process, worker.conn = process, here
        worker.started_at = time.monotonic()

    def _send(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        with worker.send_lock:
            conn = worker.conn
            if conn is None:
                return
            # A dead worker's pipe refuses: its supervisor opens its streams again.
            with contextlib.suppress(OSError, ValueError):
                conn.send(message)

    def _serve(self, worker: _Worker) -> None:
        """Receive the worker's messages; restart it when it dies."""
        while True:
            conn = worker.conn
            assert conn is not None
            try:
                while True:
                    for message in conn.recv():  # a batch (worker_process._send_all)
                        self._dispatch(worker, message)
            except (EOFError, OSError):
                pass
            process = worker.process
            if process is not None:
                process.join(_QUIT_TIMEOUT_S)
            with worker.send_lock:
                conn.close()
                worker.conn = None
            if self._closing.is_set():
                self._lost(worker, closing=True)
                return
            code = process.exitcode if process is not None else None
            log.warning("video worker %d ended unexpectedly (exit code %s): restarting it",
                        worker.index, code)
            self._lost(worker, closing=False)
            if not self._pause_before_restart(worker):
                self._lost(worker, closing=True)
                return
            with worker.send_lock:
                self._spawn(worker)
                worker.restarts += 1
                with self._lock:
                    readers = [r for r in worker.readers.values() if not r.stopping]
                    gone = [r for r in worker.readers.values() if r.stopping]
                    for reader in gone:  # stopped while no worker could hear it
                        worker.readers.pop(reader.sid, None)
                        self._where.pop(reader.sid, None)
                for reader in gone:
                    reader.on_ended()
                for reader in readers:
                    try:
                        assert worker.conn is not None
                        worker.conn.send(reader.open_message())
                    except (OSError, ValueError):
                        break  # died again at once: the next round sees it

    def _pause_before_restart(self, worker: _Worker) -> bool:
        lived = time.monotonic() - worker.started_at
        worker.quick_deaths = 0 if lived >= _STEADY_S else worker.quick_deaths + 1
        pause = 0.0 if worker.quick_deaths <= 1 else min(
            _MAX_PAUSE_S, 0.5 * 2 ** (worker.quick_deaths - 2))
        return not self._closing.wait(pause)

    def _lost(self, worker: _Worker, *, closing: bool) -> None:
        """The worker's process is gone: its readers' feeds ended, its answers will not
        come. Readers asked to stop (or all, when closing) have ended; the others wait
        for the new process."""
        with self._lock:
            replies = [r for r, (w, _) in self._replies.items() if w is worker]
            futures = [self._replies.pop(r)[1] for r in replies]
            readers = list(worker.readers.values())
            ended = [r for r in readers if closing or r.stopping]
            for reader in ended:
                worker.readers.pop(reader.sid, None)
                self._where.pop(reader.sid, None)
        for future in futures:
            future.set_result(None)
        for reader in readers:
            if reader in ended:
                reader.on_ended()
            else:
                reader.on_worker_lost()

    def _dispatch(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "log":
            logging.getLogger(message[2]).log(message[1], "%s", message[3])
            return
        if kind in ("full", "clip"):
            with self._lock:
                waiting = self._replies.pop(message[1], None)
            if waiting is not None:
                reply = message[2]
                waiting[1].set_result(_full_resolution(reply) if kind == "full" else reply)
            return
        with self._lock:
            reader = worker.readers.get(message[1])
            if kind == "stopped" and reader is not None:
                worker.readers.pop(reader.sid, None)
                self._where.pop(reader.sid, None)
        if reader is None:
            return
        if kind == "unit":
            reader.on_unit(*message[2:])
        elif kind == "status":
            reader.on_status(message[2])
        elif kind == "stats":
            reader.on_stats(message[2])
        elif kind == "segment":
            reader.on_segment(message[2])
        elif kind == "end":
            reader.on_segment_end()
        elif kind == "stopped":
            reader.on_ended()


def _full_resolution(reply: tuple[Any, ...] | None) -> FullResolution | None:
    if reply is None:
        return None
    bgr, image, seq, capture_time, source_size, codec, planes, colour = reply
    for array in (image, *(planes or ())):
        array.flags.writeable = False
    if planes is not None:  # the Y plane is the image: one array, as the worker had it
        image = planes[0]
    return bgr, Frame(image, seq, capture_time, source_size, codec, planes=planes,
                      colour=colour)
