"""Feed a recorder from a real stream exactly as the reader does, without the reader.

``drive`` opens the stream with ``commandroom.video.packet_sources.open_source`` (the reader's
own opener: RTSP demux, Annex B access units with keyframe flags) and hands every
``SourcePacket.evidence`` to the sink, like ``StreamReader._play`` feeds the evidence
ring; nothing is decoded.

Run as a script it records until killed and prints its progress, for the kill -9 test::

    python -m tests.support.record_driver --db sqlite:///x.db --root DIR --camera 1 \
        --url rtsp://127.0.0.1:PORT/clip8 --segment-s 4 --fragment-s 1

Each ``PROGRESS <segments_closed> <durable_until> <last_closed_end> <fed_until>`` line
(wall-clock seconds, 0 when unknown) is printed every 0.1 s.
"""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import dataclass
from typing import Any

from commandroom.config import VideoSettings
from commandroom.video.packet_sources import SegmentInfo, open_source
from commandroom.video.stream_spec import StreamSpec


@dataclass
class DriveStats:
    info: SegmentInfo | None = None
    packets: int = 0
    bytes: int = 0  # of the packets handed over, from the first keyframe on
    media_s: float = 0.0
    fed_until: float = 0.0  # arrival of the last packet handed over
    first_arrival: float = 0.0


def drive(url: str, sink: Any, stop: threading.Event, *, seconds: float | None = None,
          low_latency: bool = True, settings: VideoSettings | None = None,
          stats: DriveStats | None = None) -> DriveStats:
    """Feed ``sink`` from ``url`` until ``seconds`` of media (from the first keyframe)."""
    stats = stats or DriveStats()
    source = open_source(StreamSpec(url), settings or VideoSettings(), stop,
                         low_latency=low_latency)
    try:
        stats.info = source.info
        time_base = float(source.info.time_base)
        sink.start_segment(source.info)
        first_pts: int | None = None
        for item in source.packets():
            packet = item.evidence
            if stop.is_set():
                break
            if packet is None:
                continue
            if first_pts is None:
                if not packet.is_keyframe:
                    continue  # the recorder starts on a keyframe too
                first_pts = packet.pts if packet.pts is not None else 0
                stats.first_arrival = item.evidence_arrival
            sink.append(packet, item.evidence_arrival)
            stats.packets += 1
            stats.bytes += packet.size
            stats.fed_until = item.evidence_arrival
            if packet.pts is not None:
                stats.media_s = (packet.pts - first_pts) * time_base
            if seconds is not None and stats.media_s >= seconds:
                break
        sink.end_segment()
    finally:
        source.close()
    return stats


def main() -> None:
    from pathlib import Path

    from commandroom.config import RecordingSettings
    from commandroom.db.engine import open_database
    from commandroom.recording.index import RecordingIndex
    from commandroom.recording.recorder import RecordedCamera, Recorder

    parser = argparse.ArgumentParser()
    for name in ("--db", "--root", "--url"):
        parser.add_argument(name, required=True)
    parser.add_argument("--camera", type=int, required=True)
    parser.add_argument("--segment-s", type=float, default=4.0)
    parser.add_argument("--fragment-s", type=float, default=1.0)
    args = parser.parse_args()
    _, sessions = open_database(args.db)
    recorder = Recorder(RecordedCamera(args.camera, "killed"), RecordingIndex(sessions),
                        Path(args.root), RecordingSettings(segment_s=args.segment_s,
                                                           fragment_s=args.fragment_s)).start()
    stop = threading.Event()
    stats = DriveStats()
    feeder = threading.Thread(target=drive, args=(args.url, recorder, stop),
                              kwargs={"stats": stats}, daemon=True)
    feeder.start()
    while not stop.wait(0.1):  # until SIGKILL
        progress = recorder.progress()
        print("PROGRESS", progress.segments_closed, progress.durable_until or 0,
              progress.last_closed_end or 0, stats.fed_until, flush=True)
        if not feeder.is_alive():
            print("FEEDER ENDED", file=sys.stderr, flush=True)
            sys.exit(2)


if __name__ == "__main__":
    main()
