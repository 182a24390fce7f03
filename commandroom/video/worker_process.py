"""Inside a reader worker process: ordinary StreamReaders, their pictures in shared memory.

The GUI process (``worker_pool``) starts this with ``multiprocessing``'s spawn context and
talks to it over one duplex pipe. Commands come in as tuples (``open``, ``stop``,
``decoding``, ``target``, ``forward``, ``full``, ``clip``, ``quit``); out go statuses,
stats, log lines, the answers to full-resolution and clip requests, and the compressed
access units of the streams the GUI process records (``forward``; its recorders run
there). Each stream's evidence ring stays here, beside its reader: a clip crosses whole
when asked for (worker_units). Pictures do not go over the pipe: each stream's reader
publishes to a ``SharedSlotWriter`` the GUI process paints from, in BGRA or, while the
GUI says (``target``) that every viewer of the stream paints on the GPU, in 4:2:0 planes.

Everything the readers say is queued and sent by one thread, in batches (a list of
messages per send), so a reader thread never waits for the pipe. The pipe closing (the
GUI process ended, even killed) ends the worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import av

from commandroom.config import VideoSettings
from commandroom.redact import redact_text
from commandroom.startup_heap import freeze_startup_objects
from commandroom.video.clips import ClipError, ClipRequest
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.reader import StreamReader
from commandroom.video.shm_slot import SharedSlotWriter
from commandroom.video.state import StreamStatus
from commandroom.video.stream_spec import StreamSpec
from commandroom.video.worker_units import (
    NOT_RUNNING_REPLY,
    ClipReply,
    ring_fields,
    unit_fields,
)

log = logging.getLogger(__name__)

STATS_EVERY_S = 0.5
_WATCH_EVERY_S = 0.25
_JOIN_TIMEOUT_S = 2.0
_BATCH_MAX = 256

Message = tuple[Any, ...]


class _Forwarder:
    """A PacketSink that sends the reader's feed to the GUI process."""

    def __init__(self, sid: int, out: queue.SimpleQueue[Message | None]) -> None:
        self._sid = sid
        self._out = out

    def start_segment(self, info: SegmentInfo) -> None:
        self._out.put(("segment", self._sid, info))

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        self._out.put(("unit", self._sid, *unit_fields(packet, arrival)))

    def end_segment(self) -> None:
        self._out.put(("end", self._sid))


class _LogToParent(logging.Handler):
    def __init__(self, out: queue.SimpleQueue[Message | None]) -> None:
        super().__init__(logging.INFO)
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        # Formatted and redacted here (the GUI process's handlers redact again): readers
        # log display_url only, but an FFmpeg error text may hold a URL with credentials.
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self._out.put(("log", record.levelno, record.name, redact_text(text)))


@dataclass(eq=False)
class _Stream:
    sid: int
    slot: SharedSlotWriter
    target: tuple[int, int] | None
    planes: bool  # every viewer paints on the GPU: 4:2:0 planes, not BGRA
    forwarder: _Forwarder  # in the reader's sinks while the GUI process records the stream
    reader: StreamReader


class Worker:
    def __init__(self, conn: Connection, settings: VideoSettings) -> None:
        self._conn = conn
        self._settings = settings
        self._out: queue.SimpleQueue[Message | None] = queue.SimpleQueue()
        self._streams: dict[int, _Stream] = {}
        self._lock = threading.Lock()
        self._done = threading.Event()

    def serve(self) -> None:
        sender = threading.Thread(target=self._send_all, name="worker-sender", daemon=True)
        watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)
        sender.start()
        watcher.start()
        try:
            while True:
                try:
                    message = self._conn.recv()
                except (EOFError, OSError):
                    break  # the GUI process is gone: nothing left to serve
                if message[0] == "quit":
                    break
                try:
                    self._handle(message)
                except Exception:  # one bad command must not end every stream here
                    log.exception("video worker: command %r failed", message[0])
        finally:
            self._done.set()
            with self._lock:
                streams = list(self._streams.values())
            for stream in streams:
                stream.reader.stop()
            for stream in streams:
                stream.reader.join(_JOIN_TIMEOUT_S)
            watcher.join(_JOIN_TIMEOUT_S)
            self._out.put(None)
            sender.join(_JOIN_TIMEOUT_S)

    def _handle(self, message: Message) -> None:
        kind, sid = message[0], message[1]
        if kind == "open":
            self._open(sid, *message[2:])
            return
        with self._lock:
            stream = self._streams.get(sid)
        if stream is None:
            if kind == "full":
                self._out.put(("full", message[2], None))
            elif kind == "clip":
                self._out.put(("clip", message[2], NOT_RUNNING_REPLY))
            return
        if kind == "stop":
            stream.reader.stop()
        elif kind == "decoding":
            stream.reader.set_decoding(bool(message[2]))
        elif kind == "forward":
            if message[2]:
                stream.reader.sinks.add(stream.forwarder)
            else:
                stream.reader.sinks.remove(stream.forwarder)
        elif kind == "clip":
            self._clip(stream.reader, *message[2:])
        elif kind == "target":
            target, segment, planes = message[2], message[3], message[4]
            if segment is not None:
                stream.slot.attach(*segment)
            stream.target, stream.planes = target, planes
        elif kind == "full":
            found = stream.reader.full_resolution(message[3])
            reply = None
            if found is not None:
                bgr, frame = found
                # The tile-size picture lives in this process: a copy goes along.
                planes = None if frame.planes is None else tuple(
                    p.copy() for p in frame.planes)
                reply = (bgr, frame.image.copy(), frame.seq, frame.capture_time,
                         frame.source_size, frame.codec, planes, frame.colour)
            self._out.put(("full", message[2], reply))

    def _clip(self, reader: StreamReader, request_id: int, pre_s: float, post_s: float,
              now: float) -> None:
        """Cut a clip from the stream's ring; send it whole once its end has come."""
        try:
            request = reader.open_clip(pre_s, post_s, now)
        except ClipError as exc:
            self._out.put(("clip", request_id, (None, [], str(exc))))
            return
        # The GUI process waits post_s + read_timeout_s + a grace (hub._submit_clip): a
        # stalled camera's clip is sent with what came, in time to be written.
        wait_s = max(0.0, now + post_s - time.time()) + self._settings.read_timeout_s
        threading.Thread(target=self._send_clip, args=(request_id, request, wait_s),
                         name="worker-clip", daemon=True).start()

    def _send_clip(self, request_id: int, request: ClipRequest, wait_s: float) -> None:
        request.done.wait(wait_s)
        reply: ClipReply = (request.info, [ring_fields(p) for p in request.packets()], None)
        self._out.put(("clip", request_id, reply))

    def _open(self, sid: int, spec: StreamSpec, decoding: bool,
              target: tuple[int, int] | None, segment: tuple[str, tuple[int, int]] | None,
              seq_base: int, low_latency: bool, from_ring: bool, planes: bool,
              keep_s: float, forward: bool) -> None:
        slot = SharedSlotWriter(seq_base)
        if segment is not None:
            slot.attach(*segment)
        # The reader's callbacks below read `stream`, made right after the reader: none of
        # them runs before reader.start().

        def report(status: StreamStatus) -> None:
            # The figures first: whoever hears of the status reads them at once.
            self._out.put(("stats", sid, stream.reader.stats()))
            self._out.put(("status", sid, status))

        # The evidence ring lives here (clips are cut here, see _clip).
        reader = StreamReader(
            spec, self._settings, slot, keep_s=keep_s, clock=time.monotonic,
            on_status=report, target_size=lambda: stream.target,
            wants_planes=lambda: stream.planes,
            low_latency=lambda: low_latency, decoding=decoding,
            first_picture_from_ring=from_ring,
        )
        stream = _Stream(sid, slot, target, planes, _Forwarder(sid, self._out), reader)
        if forward:
            reader.sinks.add(stream.forwarder)
        # Started before the watcher can see it: a reader whose thread has not started yet
        # is not alive, and the watcher would drop it as ended and tell the GUI so, which
        # left the stream's tiles "connecting" for good while it played on here unseen.
        # Commands come on this thread only, so none can ask for the stream meanwhile.
        reader.start()
        with self._lock:
            self._streams[sid] = stream

    def _watch(self) -> None:
        """What the hub's watchdog does for in-process readers (check), stats, and the
        'stopped' notice once a reader's thread has ended."""
        next_stats = 0.0
        while not self._done.wait(_WATCH_EVERY_S):
            now = time.monotonic()
            send_stats = now >= next_stats
            if send_stats:
                next_stats = now + STATS_EVERY_S
            self.check_streams(now, send_stats)

    def check_streams(self, now: float, send_stats: bool) -> None:
        """One round of the watcher."""
        with self._lock:
            streams = list(self._streams.values())
        for stream in streams:
            reader = stream.reader
            if not reader.is_alive():  # stopped, or crashed (it said so in its status)
                with self._lock:
                    self._streams.pop(stream.sid, None)
                self._out.put(("stopped", stream.sid))
                continue
            reader.check(now)
            if send_stats:
                self._out.put(("stats", stream.sid, reader.stats()))

    def _send_all(self) -> None:
        """Send what the readers queued, everything waiting in one batch: one pickle and
        one wake-up of the GUI's receiving thread for several access units."""
        while True:
            batch = [self._out.get()]
            while len(batch) < _BATCH_MAX:
                try:
                    batch.append(self._out.get_nowait())
                except queue.Empty:
                    break
            last = None in batch
            messages = [m for m in batch if m is not None]
            try:
                if messages:
                    self._conn.send(messages)
            except (OSError, ValueError):
                return  # the GUI process is gone
            if last:
                return


def run(conn: Connection, settings: VideoSettings) -> None:
    """The worker process's entry point."""
    lower_priority(settings.reader_nice)
    worker = Worker(conn, settings)
    root = logging.getLogger()
    # Only to the parent, redacted: a handler some import installed (onvif-zeep calls
    # logging.basicConfig) would print every line again, unredacted, on stderr.
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.INFO)
    root.addHandler(_LogToParent(worker._out))
    # Before the first stream: a full collection walking the imports stopped every
    # stream of the worker for 144-186 ms (startup_heap.py).
    frozen = freeze_startup_objects()
    log.info("video worker %d ready; %d objects of its start-up frozen out of the garbage "
             "collector's passes", os.getpid(), frozen)
    worker.serve()


def lower_priority(nice: int) -> None:
    """Yield the CPU to the GUI process when both want it (VideoSettings.reader_nice):
    frames dropped here cost less than a console that stops answering."""
    increment = max(0, min(19, nice))
    if increment and hasattr(os, "nice"):  # not on Windows: the default priority stays
        with contextlib.suppress(OSError):
            os.nice(increment)
