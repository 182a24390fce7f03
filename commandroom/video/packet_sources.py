"""Where packets come from: a network stream, a local file or a demo generator.

Every source hands the reader the same things (compressed packets with their arrival
time, a decoder, the stream parameters), so decode, scale, publish and the evidence ring
are one code path whatever the source.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

import av
import av.container
import av.video
from av.bitstream import BitStreamFilterContext
from av.video.codeccontext import VideoCodecContext

from commandroom.config import VideoSettings
from commandroom.video import gil_free_reads, sender_clock
from commandroom.video.errors import NoVideoError, StreamEndedError, UnsupportedCodecError
from commandroom.video.hw_decode import StreamDecoder, configure_decoder
from commandroom.video.rtp_units import NalAssembler, has_key_nal
from commandroom.video.state import DelaySource
from commandroom.video.stream_spec import SourceKind, StreamSpec

# libavformat 59 (FFmpeg 5) renamed RTSP's socket timeout "stimeout" to "timeout" (µs).
_SOCKET_TIMEOUT_OPTION = "timeout" if av.library_versions["libavformat"][0] >= 59 else "stimeout"
# Bound the probe at open: a camera's parameters arrive with its first keyframe.
_ANALYZE_DURATION_US = "1000000"
# Codecs whose RTSP packets rtp_units puts together (instead of FFmpeg's parser); other
# codecs are reopened with the parser.
LOW_LATENCY_CODECS = ("h264", "hevc")


@dataclass(frozen=True)
class SegmentInfo:
    """Parameters of one connection's video; an evidence clip is remuxed with them."""

    codec: str
    width: int
    height: int
    time_base: Fraction
    rate: Fraction | None
    extradata: bytes | None


@dataclass(frozen=True, slots=True)
class SourcePacket:
    """What one read from a source gives the reader."""

    decode: av.Packet[Any] | None  # for the decoder now; None: nothing whole yet
    arrival: float  # wall clock (time.time()) when it reached us / was rendered
    size: int  # bytes received, for the bit-rate figure
    # A whole frame for the evidence ring (None: no frame completed with this read), and
    # when its first byte arrived.
    evidence: av.Packet[Any] | None
    evidence_arrival: float

    @classmethod
    def whole(cls, packet: av.Packet[Any], arrival: float,
              evidence: av.Packet[Any] | None = None) -> SourcePacket:
        """A packet that is one whole frame, for the decoder and (or as ``evidence``) the ring."""
        return cls(packet, arrival, packet.size,
                   packet if evidence is None else evidence, arrival)


class PacketSource(Protocol):
    info: SegmentInfo
    decoder: VideoCodecContext  # the one to use now (hardware or software)
    # Which decoder runs, and why software if hardware was asked for (hw_decode.py).
    stream_decoder: StreamDecoder
    # Frames decoded as their last slice arrives (RTSP H.264 put together by rtp_units
    # instead of FFmpeg's parser, which holds each frame until the next one starts).
    skips_parser: bool
    # Where sender_epoch() comes from (or why it never will).
    delay_source: DelaySource

    def packets(self) -> Iterator[SourcePacket]: ...

    def sender_epoch(self) -> float | None:
        """Wall time (s) at media time 0 by the sender's clock; None while unknown.
        From the reading thread only."""

    def key_packet(self, packet: av.Packet[Any]) -> bool:
        """Decoding may start at this packet (a keyframe or its parameter sets)."""

    def decode_whole_frames(self) -> bool:
        """Stop decoding frame by frame slice (skips_parser) for the rest of the
        connection: a fresh decoder gets whole frames. False when not skipping."""

    def software_after(self, error: Exception) -> None:
        """The decoder failed mid-stream: ``decoder`` becomes a fresh software one."""

    def abort(self) -> None:
        """From any thread: make a blocked read return now, if this source can."""

    def close(self) -> None: ...


__all__ = ["configure_decoder", "open_source"]


def open_source(
    spec: StreamSpec, settings: VideoSettings, stop: threading.Event, *, low_latency: bool = True
) -> PacketSource:
    """Open ``spec``; blocking calls are bounded by the settings' timeouts.

    ``low_latency``: decode RTSP H.264 frames as their last slice arrives (rtp_units).
    """
    kind = spec.kind
    if kind is SourceKind.DEMO:
        from commandroom.video.demo_source import DemoSource

        return DemoSource(spec.url, stop, settings.hw_decode)
    if kind is SourceKind.FILE:
        return FileSource(spec, settings, stop)
    return NetworkSource(spec, settings, low_latency=low_latency)


class _ContainerSource:
    """Shared by network and file sources: an input container and its first video stream."""

    skips_parser = False
    delay_source = DelaySource.NO_SENDER_REPORTS
    # The evidence packets (whole access units, Annex B) can feed this source's decoder.
    evidence_decodable = True

    def __init__(self, container: av.container.InputContainer, hw_decode: str) -> None:
        self.container = container
        try:
            if not container.streams.video:
                raise NoVideoError("no video stream")
            self.stream = container.streams.video[0]
            decoder = self.stream.codec_context
            if decoder is None or decoder.codec is None:
                raise UnsupportedCodecError("No decoder for this video codec")
            configure_decoder(decoder)
            if self.stream.time_base is None:
                raise NoVideoError("video stream without a time base")
            extradata = decoder.extradata
            # Hardware when the settings and the machine allow; the container's own
            # (software) decoder otherwise.
            self.stream_decoder = StreamDecoder(decoder.name, extradata, hw_decode, decoder)
            self.decoder: VideoCodecContext = self.stream_decoder.context
            # Packets from MP4/MKV files are length-prefixed (AVCC) with the parameter sets
            # only in the extradata. Clips are muxed without a live input stream to copy
            # from, so the ring keeps Annex B packets that carry their parameter sets.
            self._to_annex_b: BitStreamFilterContext | None = None
            if extradata and extradata[0] == 1 and decoder.name in ("h264", "hevc"):
                self._to_annex_b = BitStreamFilterContext(
                    f"{decoder.name}_mp4toannexb", in_stream=self.stream
                )
                extradata = None
                self.evidence_decodable = False  # its decoder reads length-prefixed units
            self.info = SegmentInfo(
                codec=decoder.name,
                width=decoder.width,
                height=decoder.height,
                time_base=self.stream.time_base,
                rate=self.stream.average_rate or self.stream.guessed_rate,
                extradata=extradata,
            )
        except BaseException:
            container.close()
            raise

    def _source_packet(self, packet: av.Packet[Any]) -> SourcePacket:
        evidence = None
        if self._to_annex_b is not None:
            # The filter takes the packet's data over: give it a copy, decode the original.
            copy = av.Packet(bytes(packet))
            copy.pts, copy.dts, copy.time_base = packet.pts, packet.dts, packet.time_base
            copy.is_keyframe = packet.is_keyframe
            filtered = self._to_annex_b.filter(copy)
            if filtered:
                evidence = filtered[0]
                evidence.time_base = packet.time_base
        return SourcePacket.whole(packet, time.time(), evidence)

    def software_after(self, error: Exception) -> None:
        self.decoder = self.stream_decoder.to_software(error)

    def abort(self) -> None:
        pass  # the reader's stop event and PyAV's interrupt callback end a blocked call

    def close(self) -> None:
        self.container.close()

    def sender_epoch(self) -> float | None:
        return None

    def key_packet(self, packet: av.Packet[Any]) -> bool:
        return bool(packet.is_keyframe)

    def decode_whole_frames(self) -> bool:
        return False


class NetworkSource(_ContainerSource):
    """RTSP (or HTTP...) camera; open and every read are bounded by the settings' timeouts.

    H.264 over RTSP skips FFmpeg's parser, which holds every frame back until the next
    one starts (see rtp_units): NAL units are put together here and each frame is decoded
    when its last slice arrives. H.265 is put together the same way but decoded a whole
    frame at a time, as with the parser (FFmpeg's HEVC decoder has no chunked mode).
    """

    def __init__(
        self, spec: StreamSpec, settings: VideoSettings, *, low_latency: bool = True
    ) -> None:
        self._read_timeout_s = settings.read_timeout_s
        self._assembler: NalAssembler | None = None
        self._rtsp = spec.url.lower().startswith(("rtsp://", "rtsps://"))
        rtsp = low_latency and self._rtsp
        container = self._open(spec, settings, noparse=rtsp)
        if rtsp and _codec_name(container) not in LOW_LATENCY_CODECS:
            # Other codecs (MJPEG, MPEG-4...) need the parser to make whole frames.
            container.close()
            container = self._open(spec, settings, noparse=False)
        super().__init__(container, settings.hw_decode)
        self._interrupt: gil_free_reads.NativeInterrupt | None = None
        self._interrupt_tried = False
        self._sender_clock: sender_clock.SenderClock | None = None
        self._chunked = False  # decoding NAL unit by NAL unit (flags2=+chunks)
        if rtsp and self.info.codec in LOW_LATENCY_CODECS:
            self._assembler = NalAssembler(self.info.codec)
            if self.info.codec == "h264":
                self.skips_parser = self._chunked = True
                # Whole NAL units in, a picture out when its last slice is decoded.
                self.decoder.options = {"flags2": "+chunks"}

    @staticmethod
    def _open(
        spec: StreamSpec, settings: VideoSettings, *, noparse: bool
    ) -> av.container.InputContainer:
        options = {
            _SOCKET_TIMEOUT_OPTION: str(int(settings.read_timeout_s * 1_000_000)),
            "analyzeduration": _ANALYZE_DURATION_US,
        }
        if spec.url.lower().startswith(("rtsp://", "rtsps://")):
            options["rtsp_transport"] = spec.transport
        if noparse:
            options["fflags"] = "+noparse"
        return av.open(
            spec.open_url(),
            options=options,
            timeout=(settings.open_timeout_s, settings.read_timeout_s),
        )

    def packets(self) -> Iterator[SourcePacket]:
        last = time.monotonic()
        assembler = self._assembler
        for packet in self.container.demux(self.stream):
            now = time.monotonic()
            if now - last >= 0.95 * self._read_timeout_s:
                # Interrupted by the read timeout, FFmpeg's RTP depacketiser first hands out
                # the frame it was holding and only fails on the NEXT read (measured): that
                # would double the time to notice a dead link.
                raise TimeoutError(f"no data for {now - last:.1f} s")
            last = now
            if packet.size == 0:  # PyAV's flush packet at end of stream
                continue
            if not self._interrupt_tried:
                # demux() has set its read timeout: from here on FFmpeg's socket timeout
                # bounds reads instead, off the GIL (see native_interrupt).
                self._interrupt_tried = True
                self._interrupt = gil_free_reads.attach(self.container)
                if self._rtsp:
                    self._sender_clock = sender_clock.attach(
                        self.container, int(_ANALYZE_DURATION_US)
                    )
                    if self._sender_clock is not None:
                        self.delay_source = DelaySource.SENDER_REPORTS
            if assembler is None:
                yield self._source_packet(packet)
            else:
                yield self._assembled(assembler, packet)
        raise StreamEndedError("end of stream")

    @property
    def interrupt_off_gil(self) -> bool:
        """True once reads no longer take the GIL for FFmpeg's interrupt checks."""
        return self._interrupt is not None

    def abort(self) -> None:
        if self._interrupt is not None:
            self._interrupt.abort()

    def sender_epoch(self) -> float | None:
        clock = self._sender_clock
        return clock.epoch() if clock is not None else None

    def key_packet(self, packet: av.Packet[Any]) -> bool:
        if self._chunked:  # NAL units of a frame: a keyframe starts with SPS or IDR
            return has_key_nal(bytes(packet))
        return bool(packet.is_keyframe)

    def decode_whole_frames(self) -> bool:
        """In chunked mode FFmpeg's H.264 decoder ends a picture when its last macroblock
        row is decoded; one damaged or lost slice and that never happens again, for every
        later frame too (measured: a single flipped byte in 10 s leaves 1 frame of 250).
        Whole frames through a decoder without +chunks conceal the damage instead (one
        frame later, as with FFmpeg's parser). A fresh decoder starts at the next
        keyframe; the parameter sets come in-band or from the SDP (extradata)."""
        if not self._chunked:
            return False
        self.decoder = self.stream_decoder.fresh()  # the same kind: hardware stays
        self._chunked = self.skips_parser = False
        return True

    def software_after(self, error: Exception) -> None:
        super().software_after(error)
        if self._chunked:
            self.decoder.options = {"flags2": "+chunks"}

    def _assembled(self, assembler: NalAssembler, packet: av.Packet[Any]) -> SourcePacket:
        arrival = time.time()
        released = assembler.push(bytes(packet), packet.pts, arrival)
        decode = None
        if released.nal_units and self._chunked:
            decode = self._packet(b"".join(released.nal_units), packet.pts)
        evidence = None
        unit = released.access_unit
        if unit is not None:
            evidence = self._packet(unit.data, unit.pts)
            evidence.is_keyframe = unit.keyframe
            if not self._chunked:
                # No chunked decoding for H.265 in FFmpeg (or given up after damage):
                # decode whole frames (one frame later, as with the parser).
                decode = evidence
        return SourcePacket(
            decode, arrival, packet.size, evidence, unit.arrival if unit else arrival
        )

    def _packet(self, data: bytes, pts: int | None) -> av.Packet[Any]:
        made = av.Packet(data)
        made.pts = made.dts = pts
        made.time_base = self.info.time_base
        return made


def _codec_name(container: av.container.InputContainer) -> str | None:
    streams = container.streams.video
    if not streams or streams[0].codec_context is None:
        return None
    return streams[0].codec_context.name


class FileSource(_ContainerSource):
    """A local video played at real-time pace, looping; timestamps keep increasing."""

    delay_source = DelaySource.NOT_LIVE

    def __init__(self, spec: StreamSpec, settings: VideoSettings, stop: threading.Event) -> None:
        self._stop = stop
        path = spec.file_path()
        if not path.exists():
            # FFmpeg would say the same; saying it here keeps the message free of FFmpeg noise.
            raise FileNotFoundError(2, "No such file", str(path))
        container = av.open(
            str(path), timeout=(settings.open_timeout_s, settings.read_timeout_s)
        )
        super().__init__(container, settings.hw_decode)

    def packets(self) -> Iterator[SourcePacket]:
        time_base = float(self.info.time_base)
        offset = 0  # added to pts/dts so a loop continues the timeline
        start_mono: float | None = None
        first_pts = 0
        while True:
            last_end = offset
            count = 0
            for packet in self.container.demux(self.stream):
                if packet.size == 0:
                    continue
                pts = packet.pts if packet.pts is not None else packet.dts
                if pts is None:
                    continue
                count += 1
                if start_mono is None:
                    start_mono, first_pts = time.monotonic(), pts
                due = start_mono + (pts + offset - first_pts) * time_base
                delay = due - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
                duration = packet.duration or 0
                last_end = max(last_end, pts + offset + duration)
                packet.pts = pts + offset
                if packet.dts is not None:
                    packet.dts += offset
                yield self._source_packet(packet)
            if count == 0:
                raise StreamEndedError("the file holds no video packets")
            offset = last_end - first_pts if last_end > offset else offset + 1
            self.container.seek(0)
