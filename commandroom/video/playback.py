"""One connection's packets turned into pictures, robustly: the reader thread's inner loop.

- Damaged data keeps decoding: FFmpeg conceals errors (the frames come out, marked
  corrupt) and every damaged frame or refused packet is counted (DamageCounter). Nothing
  here gives up a connection: the reader does that only when no picture at all comes
  for read_timeout_s.
- RTSP H.264 decoded slice by slice (rtp_units, ``flags2=+chunks``) cannot survive
  damage: FFmpeg ends a chunked picture when its last macroblock row is decoded, and
  after one damaged or lost slice it never does again. When a complete frame made no
  picture (or the decoder refused data), the connection goes on with whole frames
  through a fresh decoder, which conceals like FFmpeg's own player.
- A backlog arriving in a burst (a slow link that recovered) is not played fast:
  ``CatchUp`` holds it from its newest keyframe and shows only the newest picture.
- A decoder that fails otherwise (a hardware frame that cannot be downloaded, a device
  lost: hw_decode.py) is replaced by a software one from the next keyframe (at once when
  the failing packet is a keyframe); the connection stays up. A software decoder gets
  one such fresh start per connection; failing again gives the connection up.
- Each frame's media time and arrival feed the LagMeter (behind, bursts, delay by the
  sender's clock).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import av
import av.error
from av.video.codeccontext import VideoCodecContext

from commandroom.video.health import CatchUp, DamageCounter, LagMeter
from commandroom.video.hw_decode import StreamDecoder
from commandroom.video.packet_sources import PacketSource, SourcePacket
from commandroom.video.state import DelaySource
from commandroom.video.stats import StatsMeter

log = logging.getLogger(__name__)

# A camera without keyframes for this many frames: stop keeping its frames for a takeover.
MAX_GOP_FRAMES = 600

Publish = Callable[[av.VideoFrame, float], None]
# The decode step; a test seam (a decoder that fails after K frames), the decoder's own
# ``decode`` otherwise.
DecodeStep = Callable[[VideoCodecContext, "av.Packet[Any]"], "list[av.VideoFrame]"]


def decode_packet(decoder: VideoCodecContext, packet: av.Packet[Any]) -> list[av.VideoFrame]:
    return decoder.decode(packet)


class Playback:
    """Per connection; used by the reader thread only (the watchdog reads the figures)."""

    def __init__(
        self,
        source: PacketSource,
        publish: Publish,
        clock: Callable[[], float],
        stats: StatsMeter,
        *,
        catch_up_behind_s: float,
        name: str = "",
        decode_step: DecodeStep = decode_packet,
    ) -> None:
        self._source = source
        self._decode_step = decode_step
        self._publish = publish
        self._clock = clock
        self._stats = stats
        self._name = name
        self.decoder = source.decoder
        self.chunked = source.skips_parser
        self.meter = LagMeter()
        self.catch_up = CatchUp(catch_up_behind_s)
        self.damage = DamageCounter()
        self.pictures = 0
        self._pictures_at_unit = -1  # pictures when the previous frame was complete
        self._last_pts: int | None = None
        self._gop: list[av.Packet[Any]] = []  # chunked: whole frames since the last keyframe
        self._time_base = float(source.info.time_base)
        # Resumed mid-connection (see resume): what to skip until decoding can go on.
        self._skip_to_unit = False  # chunked: the rest of an access unit already begun
        self._skip_to_key = False  # no GOP to start from: wait for a keyframe
        # A sender's clock may become known (RTCP sender reports); demo and file cannot.
        self._senders_clock = source.delay_source not in (
            DelaySource.LOCAL, DelaySource.NOT_LIVE
        )
        self.delay_source = (
            DelaySource.NO_SENDER_REPORTS if self._senders_clock else source.delay_source
        )

    @property
    def stream_decoder(self) -> StreamDecoder:
        return self._source.stream_decoder

    def resume(self, gop: list[av.Packet[Any]], arrival: float) -> None:
        """Decoding starts again mid-connection (a viewer came to a stream that was only
        demuxed for recording). ``gop``: the whole access units from the newest keyframe
        (the evidence ring), decoded at once, the newest picture shown; empty: wait for
        the next keyframe (up to a GOP: ~1 s on average at a 2 s GOP)."""
        self.decoder.flush_buffers()  # references from before the pause are stale
        self._last_pts = None
        self._pictures_at_unit = -1
        usable = bool(gop) and getattr(self._source, "evidence_decodable", True)
        self._gop = list(gop) if usable and self.chunked else []
        if usable:
            fallbacks = self.stream_decoder.fallbacks
            self._decode_backlog(gop, arrival)
            if self.stream_decoder.fallbacks != fallbacks:
                return  # the decoder failed on it: software from the next keyframe
            # Chunked decoding: the NAL units of the unit under way were not decoded;
            # it is decoded whole when it completes, and slice by slice after that.
            self._skip_to_unit = self.chunked
            self._skip_to_key = False
        else:
            self._skip_to_unit = False
            self._skip_to_key = True

    def feed(self, item: SourcePacket) -> None:
        if (self._skip_to_unit or self._skip_to_key) and not self._resuming(item):
            return
        packet = item.decode
        if packet is not None:
            pts = packet.pts
            if pts != self._last_pts and pts is not None:  # first packet of a new frame
                self._last_pts = pts
                self._new_unit(pts * self._time_base, item.arrival)
            decode_now = self.catch_up.mode == CatchUp.NORMAL or self._offer(
                packet, pts, item.arrival
            )
            refused = decode_now and not self._decode(packet, item.arrival)
            if refused and self.chunked and self.pictures:  # (before: waiting for a key)
                self._whole_frames(item.arrival)
        unit = item.evidence
        if self.chunked and unit is not None:
            # The frames since the last keyframe, for a decoder that must take over.
            if unit.is_keyframe:
                self._gop = [unit]
            elif self._gop and len(self._gop) < MAX_GOP_FRAMES:
                self._gop.append(unit)
            # The frame before this packet is complete and its last slice decoded: it must
            # have made a picture, if it was a keyframe or once the stream has made one
            # (unless a catch-up holds the packets back). Damage from the very start must
            # not leave a stream without pictures: its first keyframe counts too.
            if self.catch_up.mode != CatchUp.NORMAL:
                self._pictures_at_unit = -1
                return
            expected = self.pictures > 0 or unit.is_keyframe
            if expected and self._pictures_at_unit == self.pictures:
                self._whole_frames(item.arrival)
            self._pictures_at_unit = self.pictures

    def _resuming(self, item: SourcePacket) -> bool:
        """After ``resume``: False while ``item`` is to be skipped."""
        if self._skip_to_key:
            packet = item.decode
            if packet is None or not self._source.key_packet(packet):
                return False
            self._skip_to_key = False
            return True
        unit = item.evidence
        if unit is None:
            return False  # a slice of the unit under way: it comes whole below
        self._skip_to_unit = False
        # Counted from before it: the damage check below expects this unit's picture.
        self._pictures_at_unit = self.pictures
        self._decode(unit, item.evidence_arrival)
        return True

    def _new_unit(self, media_s: float, arrival: float) -> None:
        meter = self.meter
        if meter.sender_epoch is None and self._senders_clock:
            meter.sender_epoch = self._source.sender_epoch()
            if meter.sender_epoch is not None:
                self.delay_source = DelaySource.SENDER_REPORTS
        catch_up = self.catch_up
        if catch_up.mode == CatchUp.NORMAL:
            if catch_up.should_start(meter, media_s, arrival):
                catch_up.start()
                self._pictures_at_unit = -1  # no pictures while holding: not damage
            meter.unit(media_s, arrival)
            return
        meter.unit(media_s, arrival)
        held = catch_up.new_unit(meter)
        if held:
            self._decode_backlog(held, arrival)

    def _offer(self, packet: av.Packet[Any], pts: int | None, arrival: float) -> bool:
        """During a catch-up: True when ``packet`` is to be decoded now."""
        catch_up = self.catch_up
        if catch_up.offer(packet, self._source.key_packet(packet), pts):
            return True
        if catch_up.mode == CatchUp.NORMAL:  # held too much without the burst ending
            self._decode_backlog(catch_up.take_held(), arrival)
        return False

    def _decode(self, packet: av.Packet[Any], arrival: float) -> bool:
        """Decode and publish; False when the decoder refused the data (counted)."""
        try:
            frames = self._decode_step(self.decoder, packet)
        except av.error.InvalidDataError:
            # Damaged data: FFmpeg conceals what it can in the next frames. Counted once
            # a picture came (before, the decoder is waiting for a keyframe: no damage).
            if self.pictures:
                self.damage.hit(self._clock())
            return False
        except av.error.FFmpegError as exc:
            self._to_software(exc)
            if self._source.key_packet(packet):  # no need to wait for the next one
                self._skip_to_key = False
                return self._decode(packet, arrival)
            return True
        for decoded in frames:
            if decoded.is_corrupt and self.pictures:  # decoded with errors, concealed
                self.damage.hit(self._clock())
            self.pictures += 1
            self._publish(decoded, arrival)
        return True

    def _decode_backlog(self, packets: Iterable[av.Packet[Any]], arrival: float) -> None:
        """Decode packets held during a catch-up; show only the newest picture."""
        newest: av.VideoFrame | None = None
        for packet in packets:
            try:
                for decoded in self._decode_step(self.decoder, packet):
                    newest = decoded
            except av.error.InvalidDataError:
                if self.pictures:
                    self.damage.hit(self._clock())
            except av.error.FFmpegError as exc:
                self._to_software(exc)  # the rest of this backlog: from the next keyframe
                break
        if newest is not None:
            self.pictures += 1
            self._publish(newest, arrival)

    def _to_software(self, error: av.error.FFmpegError) -> None:
        """The decoder failed (not damaged data): software from the next keyframe, or
        ``error`` raised (the connection is given up) if software already failed."""
        stream_decoder = self._source.stream_decoder
        if stream_decoder.device is None and stream_decoder.fallbacks:
            raise error
        self._source.software_after(error)
        self.decoder = self._source.decoder
        self._stats.decoder = stream_decoder.label
        # Nothing decodes until the keyframe: no picture is missing, no damage.
        self._skip_to_key, self._skip_to_unit = True, False
        self._pictures_at_unit = -1
        self._last_pts = None

    def _whole_frames(self, arrival: float) -> None:
        """Chunked decoding lost a picture to damage: go on with whole frames."""
        self.damage.hit(self._clock())
        if self._source.decode_whole_frames():
            log.info("video %s: damaged data; whole frames from now on (one frame later)",
                     self._name)
            self.decoder = self._source.decoder
            self.chunked = self._stats.skips_parser = False
            # The new decoder starts from the last keyframe, now, not at the next one (a
            # GOP can be longer than the stall timeout).
            gop, self._gop = self._gop, []
            self._decode_backlog(gop, arrival)
