"""NalAssembler: what FFmpeg's RTP depacketiser hands out with +noparse, put back together.

The packets are made the way libavformat's rtpdec makes them from RTP (one per NAL unit;
FU-A fragments with a start code and NAL header only on the first), out of a real x264
stream with two slices per frame, so the decoder check below is end to end.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy
import pytest
from av.video.codeccontext import VideoCodecContext

from commandroom.video.rtp_units import START_CODE, NalAssembler

WIDTH, HEIGHT, FRAMES = 320, 240, 30


def _split_nal_units(access_unit: bytes) -> list[bytes]:
    """Annex B access unit -> NAL units, each with a 4-byte start code."""
    units = []
    for part in access_unit.split(b"\x00\x00\x01"):
        part = part.rstrip(b"\x00")
        if part:
            units.append(START_CODE + part)
    return units


@pytest.fixture(scope="module")
def access_units() -> list[tuple[bytes, bool]]:
    """(Annex B access unit, keyframe) for FRAMES frames of moving noise, 2 slices each."""
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    encoder.time_base = Fraction(1, 25)
    encoder.gop_size = 10
    encoder.max_b_frames = 0
    encoder.options = {"preset": "ultrafast", "tune": "zerolatency", "x264-params": "slices=2"}
    rng = numpy.random.default_rng(7)
    units: list[tuple[bytes, bool]] = []
    for n in range(FRAMES):
        image = rng.integers(0, 255, (HEIGHT * 3 // 2, WIDTH), dtype=numpy.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="yuv420p")
        frame.pts = n
        units += [(bytes(p), bool(p.is_keyframe)) for p in encoder.encode(frame)]
    units += [(bytes(p), bool(p.is_keyframe)) for p in encoder.encode(None)]
    assert len(units) == FRAMES
    return units


def _rtpdec_packets(nal: bytes, payload: int, *, even: bool = False) -> list[bytes]:
    """One NAL unit as rtpdec outputs it: whole if it fits ``payload``, else FU-A pieces."""
    body = nal[len(START_CODE):]
    if len(body) <= payload:
        return [nal]
    header, rest = body[:1], body[1:]
    size = payload - 2  # FU indicator + FU header take two bytes of every RTP payload
    if even:  # a payloader that splits into equal parts instead of filling each one
        count = -(-len(rest) // size)
        size = -(-len(rest) // count)
    pieces = [rest[i:i + size] for i in range(0, len(rest), size)]
    return [START_CODE + header + pieces[0], *pieces[1:]]


def _decoder(chunks: bool) -> VideoCodecContext:
    decoder = av.CodecContext.create("h264", "r")
    assert isinstance(decoder, VideoCodecContext)
    if chunks:
        decoder.options = {"flags2": "+chunks"}
    return decoder


def _frames(decoder: VideoCodecContext, data: bytes) -> list[av.VideoFrame]:
    return list(decoder.decode(av.Packet(data)))


def test_fragmented_nal_units_are_released_whole_with_their_last_fragment(
    access_units: list[tuple[bytes, bool]],
) -> None:
    assembler = NalAssembler("h264")
    released_at: list[tuple[int, bytes]] = []  # (index of the packet that released it, NAL)
    last_piece: list[int] = []  # per NAL unit in order: index of its last packet
    index = 0
    for pts, (access_unit, _key) in enumerate(access_units):
        for nal in _split_nal_units(access_unit):
            for piece in _rtpdec_packets(nal, payload=1100):
                out = assembler.push(piece, pts)
                released_at += [(index, unit) for unit in out.nal_units]
                index += 1
            last_piece.append(index - 1)
    expected = [nal for au, _ in access_units for nal in _split_nal_units(au)]
    assert [unit for _, unit in released_at] == expected
    late = [at for (at, _), due in zip(released_at, last_piece, strict=True) if at != due]
    # Only NAL units whose last fragment is exactly full must wait for the next packet.
    assert len(late) <= 2, f"{len(late)} of {len(expected)} NAL units were released late"
    assert not assembler.fallback


def test_each_frame_decodes_on_the_packet_that_completes_it(
    access_units: list[tuple[bytes, bool]],
) -> None:
    """The point of it all: no frame waits for the next one (FFmpeg's parser makes it wait)."""
    reference = _decoder(chunks=False)
    expected = [f.to_ndarray() for au, _ in access_units for f in _frames(reference, au)]
    assert len(expected) == FRAMES

    assembler = NalAssembler("h264")
    decoder = _decoder(chunks=True)
    decoded = []
    for pts, (access_unit, _key) in enumerate(access_units):
        before = len(decoded)
        for nal in _split_nal_units(access_unit):
            for piece in _rtpdec_packets(nal, payload=1200):
                out = assembler.push(piece, pts)
                if out.nal_units:
                    decoded += [f.to_ndarray() for f in
                                _frames(decoder, b"".join(out.nal_units))]
        assert len(decoded) == before + 1, f"frame {pts} was not out when its data was in"
    for got, want in zip(decoded, expected, strict=True):
        numpy.testing.assert_array_equal(got, want)


def test_access_units_for_the_evidence_ring_are_whole_frames_with_keyframe_flags(
    access_units: list[tuple[bytes, bool]],
) -> None:
    assembler = NalAssembler("h264")
    got = []
    for pts, (access_unit, _key) in enumerate(access_units):
        for nal in _split_nal_units(access_unit):
            for piece in _rtpdec_packets(nal, payload=1100):
                unit = assembler.push(piece, pts, arrival=100.0 + pts).access_unit
                if unit is not None:
                    got.append(unit)
    # The last frame completes when a next one starts; all the others are here.
    assert len(got) == FRAMES - 1
    for unit, (access_unit, key) in zip(got, access_units, strict=False):
        assert unit.data == b"".join(_split_nal_units(access_unit))
        assert unit.keyframe == key
        assert unit.arrival == 100.0 + unit.pts
    assert sum(u.keyframe for u in got) == 3  # GOP of 10 over 29 frames


def test_fragments_that_do_not_fill_the_payload_switch_to_waiting_for_the_next_unit(
    access_units: list[tuple[bytes, bool]],
) -> None:
    assembler = NalAssembler("h264")
    released: list[bytes] = []
    expected: list[bytes] = []
    for pts, (access_unit, _key) in enumerate(access_units):
        for nal in _split_nal_units(access_unit):
            expected.append(nal)
            for piece in _rtpdec_packets(nal, payload=1100, even=True):
                released += assembler.push(piece, pts).nal_units
    assert assembler.fallback
    # Once in fallback, every NAL unit comes out whole (the ones before may be cut short).
    tail = released[-40:]
    assert tail == expected[-41:-1]  # the very last one waits for a next unit


def test_joining_in_the_middle_of_a_nal_unit_skips_to_the_next_one() -> None:
    assembler = NalAssembler("h264")
    assert assembler.push(b"\x11" * 300, 0).nal_units == []
    assert assembler.push(b"\x22" * 100, 0).nal_units == []
    whole = START_CODE + b"\x41" + b"\x33" * 50
    assert assembler.push(whole, 1).nal_units == [whole]
    assert not assembler.fallback


def test_an_aggregation_packet_holding_an_idr_slice_marks_a_keyframe() -> None:
    assembler = NalAssembler("h264")
    sps, idr = START_CODE + b"\x67\x42\x00", START_CODE + b"\x65\x88\x84"
    assembler.push(sps + idr, 0)
    unit = assembler.push(START_CODE + b"\x41\x9a", 1).access_unit
    assert unit is not None and unit.keyframe and unit.data == sps + idr


def test_hevc_keyframes_are_irap_nal_units() -> None:
    assembler = NalAssembler("hevc")
    cra = START_CODE + bytes([21 << 1, 1]) + b"\x00" * 10  # CRA_NUT = 21
    trail = START_CODE + bytes([1 << 1, 1]) + b"\x00" * 10  # TRAIL_R = 1
    assembler.push(cra, 0)
    first = assembler.push(trail, 1).access_unit
    second = assembler.push(trail, 2).access_unit
    assert first is not None and first.keyframe
    assert second is not None and not second.keyframe


def test_large_whole_nal_units_wait_once_then_the_limit_is_learnt() -> None:
    """A stream that never fragments (1400-byte payloads, slices of 1.1-1.3 kB)."""
    assembler = NalAssembler("h264")
    slices = [START_CODE + b"\x41" + bytes([n]) * (1100 + 37 * n) for n in range(6)]
    first = assembler.push(slices[5], 0)  # 1290 bytes: might be a fragment's head
    assert first.nal_units == []
    second = assembler.push(slices[0], 1)  # a new NAL unit: the first one was whole
    assert second.nal_units == [slices[5], slices[0]]
    for n in range(1, 5):  # all smaller than the one proven whole: out at once
        assert assembler.push(slices[n], 2 + n).nal_units == [slices[n]]
    assert not assembler.fallback


def test_a_short_last_fragment_seen_first_does_not_hold_back_smaller_whole_units() -> None:
    assembler = NalAssembler("h264")
    idr = START_CODE + b"\x65" + b"\x01" * 1500
    head, tail = idr[:1391], idr[1391:]  # 1400-byte payloads: a 1391-byte head, short tail
    assert assembler.push(head, 0).nal_units == []
    # The first continuation may or may not be the last: it waits, and its size is learnt.
    assert assembler.push(tail, 0).nal_units == []
    big = START_CODE + b"\x41" + b"\x02" * 600  # whole, but above the learnt head size
    assert assembler.push(big, 1).nal_units == [idr]  # big itself is not proven: it waits
    small = START_CODE + b"\x41" + b"\x03" * 500
    assert assembler.push(small, 2).nal_units == [big, small]
    assert assembler.push(small, 3).nal_units == [small]  # below the proven size: at once


def test_a_lost_fragment_head_on_udp_is_not_taken_for_an_irregular_payloader(
    access_units: list[tuple[bytes, bool]],
) -> None:
    assembler = NalAssembler("h264")
    released: list[bytes] = []
    lost = 0
    for pts, (access_unit, _key) in enumerate(access_units):
        for nal in _split_nal_units(access_unit):
            pieces = _rtpdec_packets(nal, payload=1100)
            if pts == 12 and len(pieces) > 2 and not lost:
                pieces, lost = pieces[1:], 1  # the head of this fragmented unit never came
            for piece in pieces:
                released += assembler.push(piece, pts).nal_units
    released += assembler.push(START_CODE + b"\x09\xf0", FRAMES).nal_units  # flushes the last
    assert lost and not assembler.fallback
    expected = [nal for au, _ in access_units[13:] for nal in _split_nal_units(au)]
    assert released[-len(expected) - 1 : -1] == expected  # after the loss: all whole again
