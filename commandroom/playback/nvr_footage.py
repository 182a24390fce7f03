"""A camera's NVR (or Profile G device) as a replay feed for the video engine.

``NvrFootage.open_at(T)`` asks ``PlaybackSource.open`` for a session from T and opens its
stream with the project's own network source (FFmpeg's parser: whole frames, as nothing
here is live). A packet's recorded time is the session's origin (what the recorder was
asked for, see ``nvr.playback_origin``) plus its media time from the first packet; the
replay reader then drops the frames before T, so the first frame shown is the one at T
even when the recorder starts on a whole second or at a keyframe.

Limits of RTSP playback as FFmpeg speaks it: the recorder sends at its own pace (1x):
faster speeds show what arrives; a long pause may let the recorder end the session, and
playing on reopens it at the paused moment.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

import av.error

from commandroom.auth.permissions import Actor
from commandroom.cameras.registry import Camera
from commandroom.config import VideoSettings
from commandroom.playback.ranges import Gap
from commandroom.playback.source import PlaybackSession, PlaybackSource
from commandroom.video.errors import StreamEndedError
from commandroom.video.packet_sources import NetworkSource
from commandroom.video.remux import frame_ticks
from commandroom.video.replay_feed import (
    FeedFailed,
    FeedPacket,
    FeedSegment,
    FeedUnavailable,
    FootageKind,
)

log = logging.getLogger(__name__)

# How much a playback session asks for (vendor URLs need an end); replay reopens after.
WINDOW = dt.timedelta(hours=1)


class NvrFootage:
    """A ``ReplayOpener`` over one camera's playback source."""

    def __init__(self, playback: PlaybackSource, actor: Actor, camera: Camera,
                 settings: VideoSettings) -> None:
        self.playback = playback
        self.actor = actor
        self.camera = camera
        self.settings = settings

    def open_at(self, moment: float, stop: threading.Event) -> NvrFeed | FeedUnavailable:
        start = dt.datetime.fromtimestamp(moment, dt.UTC)
        opened = self.playback.open(self.actor, self.camera, start, start + WINDOW)
        if isinstance(opened, Gap):
            return FeedUnavailable(opened.reason.value, opened.detail, opened.retry_in_s)
        try:
            source = NetworkSource(opened.spec, self.settings, low_latency=False)
        except Exception as exc:
            gap = self.playback.report_failure(opened, exc)
            return FeedUnavailable(gap.reason.value, gap.detail, gap.retry_in_s)
        return NvrFeed(self.playback, opened, source)


class NvrFeed:
    kind = FootageKind.NVR

    def __init__(self, playback: PlaybackSource, session: PlaybackSession,
                 source: NetworkSource) -> None:
        self._playback = playback
        self._session = session
        self._source = source
        self._aborted = False

    def abort(self) -> None:
        self._aborted = True
        self._source.abort()

    def close(self) -> None:
        try:
            self._source.close()
        finally:
            self._session.close()

    def items(self) -> Iterator[FeedPacket]:
        session = self._session
        info = self._source.info
        origin = (session.origin or session.start).timestamp()
        time_base = float(info.time_base)
        frame_s = 1.0 / float(info.rate) if info.rate else 0.04
        ticks = frame_ticks(info.rate, info.time_base)
        segment: FeedSegment | None = None
        waiting: list[Any] = []  # packets before the first with a timestamp
        try:
            for item in self._source.packets():
                packet = item.decode
                if packet is None:
                    continue
                if segment is None:
                    if packet.pts is None:
                        waiting.append(packet)
                        continue
                    # The first packets (a keyframe) may come without a timestamp.
                    first_pts = packet.pts - len(waiting) * ticks
                    segment = FeedSegment(self._source.decoder, info.codec, origin,
                                          first_pts, time_base, frame_s)
                    self._playback.report_playing(session)
                    for n, early in enumerate(waiting):
                        yield FeedPacket(early, segment, origin + n * frame_s,
                                         bool(early.is_keyframe))
                    waiting = []
                wall = segment.wall(packet.pts, origin)
                yield FeedPacket(packet, segment, wall, bool(packet.is_keyframe))
        except StreamEndedError:
            return  # the recorder sent the whole window
        except (av.error.FFmpegError, OSError, TimeoutError) as exc:
            if self._aborted:
                raise
            gap = self._playback.report_failure(session, exc)
            raise FeedFailed(gap.reason.value, gap.detail) from exc
