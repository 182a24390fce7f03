"""Hardware decoding's fallback to software, on a machine as it is.

No test here fakes a working hardware decoder: on a machine without a GPU the device
really fails to open (PyAV/FFmpeg say why) and the fallback is what runs. A decoder
that fails mid-stream is a real software decoder wrapped at the decode step (the seam
``StreamReader(decode_step=...)``) that raises what PyAV raises when a hardware frame
cannot be downloaded (``av_hwframe_transfer_data`` failing: an ``av.error.OSError``).
"""

from __future__ import annotations

import dataclasses
import errno
import time
from collections import Counter
from typing import Any

import av
import av.error
import pytest
from av.video.codeccontext import VideoCodecContext

from commandroom.config import VideoSettings
from commandroom.video import StreamHub, StreamSpec, StreamState, StreamStatus, hw_decode
from commandroom.video.frames import FrameSlot
from commandroom.video.reader import StreamReader
from commandroom.video.state import HwFallback
from tests.unit.video.conftest import wait_until

DEMO = "demo://hw{n}?w=160&h=96&fps=25&gop=0.4"


def _fresh_probe(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """A new process-wide probe whose device openings are counted (the real ones)."""
    opened: Counter[str] = Counter()

    def open_device(device: str) -> None:
        opened[device] += 1
        hw_decode._open_device(device)

    monkeypatch.setattr(hw_decode, "PROBE", hw_decode.DeviceProbe(open_device=open_device))
    return opened


def _expected_label(device: str) -> str:
    """What this machine should decode with when ``device`` is asked for."""
    return device if not hw_decode.PROBE.error(device) else hw_decode.SOFTWARE


def test_sixteen_streams_on_auto_probe_each_device_once(
    settings: VideoSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _fresh_probe(monkeypatch)
    hub = StreamHub(dataclasses.replace(settings, hw_decode="auto"))
    try:
        handles = [hub.subscribe(StreamSpec(DEMO.format(n=n)), (160, 96)) for n in range(16)]
        assert wait_until(lambda: all(h.slot.seq >= 2 for h in handles), 30.0)
        built = [d for d in hw_decode.AUTO_ORDER if d in av.codec.hwaccel.hwdevices_available()]
        # Each device type tried at most once for 16 streams opened at once.
        assert opened and all(count == 1 for count in opened.values()), opened
        assert set(opened) <= set(built)
        assert hw_decode.PROBE.probes == sum(opened.values())
        chosen, why, _ = hw_decode.PROBE.choose("auto")
        for handle in handles:
            stats = handle.stats()
            assert stats.decoder == (chosen or hw_decode.SOFTWARE)
            assert stats.hw_fallback is why
    finally:
        hub.close()
    # Reopening later probes nothing again.
    probes = hw_decode.PROBE.probes
    hw_decode.StreamDecoder("h264", None, "auto")
    assert hw_decode.PROBE.probes == probes


def test_a_device_that_does_not_open_plays_in_software_with_the_reason(
    settings: VideoSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _fresh_probe(monkeypatch)
    hub = StreamHub(dataclasses.replace(settings, hw_decode="cuda"))
    try:
        started = time.monotonic()
        handle = hub.subscribe(StreamSpec(DEMO.format(n="cuda")), (160, 96))
        assert wait_until(lambda: handle.slot.seq >= 5, 10.0)
        print(f"first 5 pictures with hw_decode=cuda: {time.monotonic() - started:.3f} s")
        stats = handle.stats()
        assert stats.decoder == _expected_label("cuda")
        if stats.decoder == hw_decode.SOFTWARE:  # no NVIDIA GPU here (the usual case)
            assert stats.hw_fallback is HwFallback.DEVICE_FAILED
            assert hw_decode.PROBE.error("cuda")  # FFmpeg's reason, kept and logged once
        assert opened["cuda"] == 1
        assert handle.status().state is StreamState.LIVE
    finally:
        hub.close()


def test_a_device_absent_from_this_ffmpeg_is_software_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    probe = hw_decode.DeviceProbe()
    for _ in range(3):  # three streams (or reconnections): said once
        decoder = hw_decode.StreamDecoder("h264", None, "cdua", probe=probe)
        assert decoder.label == hw_decode.SOFTWARE
        assert decoder.fallback is HwFallback.DEVICE_FAILED
        assert "not built" in decoder.detail
    said = [r for r in caplog.records if "'cdua' is not a device type" in r.getMessage()]
    assert len(said) == 1 and probe.probes == 0
    off = hw_decode.StreamDecoder("h264", None, "off", probe=hw_decode.DeviceProbe())
    assert (off.label, off.fallback) == (hw_decode.SOFTWARE, None)


class FailingTransfer:
    """The decode step of a decoder whose frames stop downloading after ``after``
    frames: the next ``times`` calls raise what PyAV raises when
    ``av_hwframe_transfer_data`` fails (EIO); real decoding otherwise."""

    def __init__(self, after: int, times: int = 1) -> None:
        self.after = after
        self.times = times
        self.frames = 0
        self.raised = 0

    def __call__(self, decoder: VideoCodecContext, packet: av.Packet[Any]
                 ) -> list[av.VideoFrame]:
        if self.raised < self.times and self.frames >= self.after:
            self.raised += 1
            raise av.error.OSError(errno.EIO, "Input/output error")
        frames = decoder.decode(packet)
        self.frames += len(frames)
        return frames


def _reader(settings: VideoSettings, step: FailingTransfer, statuses: list[StreamStatus],
            name: str) -> StreamReader:
    return StreamReader(
        StreamSpec(DEMO.format(n=name)), settings, FrameSlot(), keep_s=2.0,
        clock=time.monotonic, on_status=statuses.append, target_size=lambda: (160, 96),
        decode_step=step,
    )


def test_a_decoder_failing_mid_stream_goes_on_in_software_without_reconnecting(
    settings: VideoSettings,
) -> None:
    statuses: list[StreamStatus] = []
    step = FailingTransfer(after=12)
    reader = _reader(settings, step, statuses, "midstream")
    reader.start()
    try:
        assert wait_until(lambda: step.raised == 1, 10.0)
        at_failure = reader.slot.seq
        # Pictures go on (from the next keyframe, 0.4 s GOP) on a fresh software decoder.
        assert wait_until(lambda: reader.slot.seq >= at_failure + 25, 10.0)
        stats = reader.stats()
        assert stats.decoder == hw_decode.SOFTWARE
        assert stats.hw_fallback is HwFallback.DECODE_FAILED
        assert stats.decoder_fallbacks == 1
        states = [s.state for s in statuses]
        assert states[0] is StreamState.CONNECTING
        assert set(states[1:]) == {StreamState.LIVE}, states  # never RECONNECTING
        assert reader.stats().damaged_frames == 0  # a decoder swap is not damage
    finally:
        reader.stop()
        reader.join(5.0)


def test_software_failing_again_gives_the_connection_up(settings: VideoSettings) -> None:
    """The fallback decoder failing too: the connection is made again, as before; and
    the next connection starts in software (no device retried at each reconnect)."""
    statuses: list[StreamStatus] = []
    step = FailingTransfer(after=5, times=2)
    reader = _reader(settings, step, statuses, "twice")
    reader.start()
    try:
        assert wait_until(
            lambda: any(s.state is StreamState.RECONNECTING for s in statuses), 10.0)
        assert wait_until(lambda: reader.status().state is StreamState.LIVE, 10.0)
        assert step.raised == 2
        assert reader.stats().decoder == hw_decode.SOFTWARE
    finally:
        reader.stop()
        reader.join(5.0)


def test_a_decoder_failing_on_the_ring_backlog_goes_on_in_software(
    settings: VideoSettings,
) -> None:
    """A viewer arrives at a recorded-only stream: decoding starts from the ring's newest
    GOP (a backlog decoded at once), and the decoder fails on it: software from the next
    keyframe, no reconnection, nothing counted as damage."""
    statuses: list[StreamStatus] = []
    step = FailingTransfer(after=0)
    reader = StreamReader(
        StreamSpec("demo://backlog?w=160&h=96&fps=25&gop=2"), settings, FrameSlot(),
        keep_s=4.0, clock=time.monotonic, on_status=statuses.append,
        target_size=lambda: (160, 96), decoding=False, decode_step=step,
    )
    reader.start()
    try:
        assert wait_until(lambda: reader.status().state is StreamState.LIVE, 10.0)
        # The ring holds a keyframe and some frames after it.
        assert wait_until(lambda: len(reader._ring.newest_gop()) >= 5, 5.0)
        reader.set_decoding(True)
        assert wait_until(lambda: step.raised == 1, 5.0)
        assert wait_until(lambda: reader.slot.seq >= 10, 10.0)
        stats = reader.stats()
        assert (stats.decoder_fallbacks, stats.hw_fallback) == (1, HwFallback.DECODE_FAILED)
        assert stats.damaged_frames == 0
        assert set(s.state for s in statuses[1:]) == {StreamState.LIVE}
    finally:
        reader.stop()
        reader.join(5.0)
