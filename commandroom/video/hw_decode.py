"""Hardware decoding where the machine offers it, software whenever anything fails.

``VideoSettings.hw_decode``: "off" (software), "auto" (the first device type in
``AUTO_ORDER`` that opens on this machine) or a device type name. Which device types
open is probed ONCE per process (``DeviceProbe``): 16 streams reconnecting must not
each try a missing GPU again, and a failure is logged once.

Per stream (``StreamDecoder``) a hardware decoder is made through PyAV's ``HWAccel``;
with ``allow_software_fallback=False`` so that a decoder that says "cuda" really
decodes on the device (FFmpeg would otherwise switch to software silently, and the
statistics overlay would lie). No device, no hardware config for the codec, a device
that does not open: the stream is decoded in software from the start, with the
reason kept (``HwFallback``). A decoder failing mid-stream (a hardware frame that
cannot be downloaded, a device lost): playback.py switches the stream to software
from the next keyframe without giving the connection up (``to_software``).

PyAV downloads each hardware frame to system memory inside ``decode()``
(``is_hw_owned=False``: ``av_hwframe_transfer_data`` in ``_transfer_hwframe``), so
the frames reaching publish.py are ordinary frames (NV12 typically) for swscale; a
failed download raises from ``decode()``, where the fallback catches it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import av
import av.codec
from av.codec.hwaccel import HWAccel, hwdevices_available
from av.video.codeccontext import VideoCodecContext

from commandroom.video.state import HwFallback

log = logging.getLogger(__name__)

SOFTWARE = "sw"  # the decoder label of software decoding (the UI translates it)
OFF = "off"
AUTO = "auto"
# "auto" tries these in order, those FFmpeg was built with: VA-API (Intel/AMD on Linux;
# DRM has no decoder config of its own in FFmpeg, it is skipped at no cost), Quick Sync,
# then NVIDIA (a command-room PC's integrated GPU first: a discrete one drives the wall).
AUTO_ORDER = ("vaapi", "drm", "qsv", "cuda", "vdpau", "d3d11va", "videotoolbox", "amf")
# Codecs probed for a device's decoder config (the device is opened through one).
_PROBE_CODECS = ("h264", "hevc")


def _hardware_codecs(codec: str, device: str) -> list[av.codec.Codec]:
    """Decoders of ``codec`` with a config for ``device``: FFmpeg's own decoder with a
    hwaccel (cuda, vaapi...) or a wrapper decoder named after the device (h264_qsv)."""
    found = []
    for name in (codec, f"{codec}_{device}"):
        try:
            candidate = av.codec.Codec(name, "r")
        except Exception:  # UnknownCodecError: not built in
            continue
        if any(config.device_type.name == device and config.is_supported
               for config in candidate.hardware_configs):
            found.append(candidate)
    return found


def _open_device(device: str) -> None:
    """Open ``device`` once through any codec with a config for it; raises why not."""
    for codec in _PROBE_CODECS:
        for candidate in _hardware_codecs(codec, device):
            HWAccel(device, allow_software_fallback=False).create(candidate)
            return
    raise NotImplementedError(f"no decoder uses {device} in this FFmpeg")


class DeviceProbe:
    """Which device types open on this machine; each is tried once per process."""

    def __init__(self, available: Callable[[], list[str]] = hwdevices_available,
                 open_device: Callable[[str], None] = _open_device) -> None:
        self._available = available
        self._open_device = open_device
        self._lock = threading.Lock()  # 16 readers open at once: one probes, the rest wait
        self._built: list[str] | None = None
        self._errors: dict[str, str] = {}  # device -> why it cannot be used ("" usable)
        self.probes = 0  # devices actually opened to test them (for the tests)

    def built(self) -> list[str]:
        """The device types this FFmpeg was built with."""
        with self._lock:
            if self._built is None:
                self._built = list(self._available())
            return self._built

    def error(self, device: str) -> str:
        """Why ``device`` cannot be used ("" when it can)."""
        self.built()
        with self._lock:
            if device not in self._errors:
                self._errors[device] = self._probe(device)
            return self._errors[device]

    def _probe(self, device: str) -> str:
        if self._built is None or device not in self._built:
            # A setting naming a device this FFmpeg lacks (or a typo): said once.
            log.warning("hardware decoding: %r is not a device type of this FFmpeg (%s); "
                        "software decoding", device, ", ".join(self._built or ()) or "none")
            return f"{device} is not built into this FFmpeg"
        self.probes += 1
        try:
            self._open_device(device)
        except Exception as exc:
            log.info("hardware decoding: %s is not usable here (%s)", device, exc)
            return str(exc) or type(exc).__name__
        log.info("hardware decoding: %s opens", device)
        return ""

    def failed(self, device: str, why: str) -> None:
        """A device that opened in the probe failed for a stream: not tried again."""
        with self._lock:
            if not self._errors.get(device):
                log.warning("hardware decoding: %s failed (%s); software from now on",
                            device, why)
                self._errors[device] = why

    def choose(self, setting: str) -> tuple[str | None, HwFallback | None, str]:
        """(device to use or None, why not, detail) for ``VideoSettings.hw_decode``."""
        if setting == OFF:
            return None, None, ""
        if setting == AUTO:
            built = self.built()
            for device in AUTO_ORDER:
                if device in built and not self.error(device):
                    return device, None, ""
            return None, HwFallback.NO_DEVICE, "no hardware decoder opens on this machine"
        why = self.error(setting)
        return (None, HwFallback.DEVICE_FAILED, why) if why else (setting, None, "")


PROBE = DeviceProbe()  # the process's one


def software_decoder(codec: str, extradata: bytes | None) -> VideoCodecContext:
    decoder = av.CodecContext.create(codec, "r")
    assert isinstance(decoder, VideoCodecContext)
    if extradata:
        decoder.extradata = extradata
    configure_decoder(decoder)
    return decoder


def configure_decoder(decoder: VideoCodecContext) -> None:
    # Slice threads: frame threading adds one frame of latency per thread (measured).
    decoder.thread_type = "SLICE"


class StreamDecoder:
    """One connection's decoder: hardware when it may, software otherwise or after a
    failure. ``context`` is the decoder to use now; ``device`` None means software."""

    def __init__(self, codec: str, extradata: bytes | None, setting: str,
                 software: VideoCodecContext | None = None, *,
                 probe: DeviceProbe | None = None) -> None:
        self.codec = codec
        self.extradata = extradata
        self.probe = probe = probe if probe is not None else PROBE
        self.fallback: HwFallback | None = None
        self.detail = ""
        self.fallbacks = 0  # mid-stream switches to software, this connection
        self.device, self.fallback, self.detail = probe.choose(setting)
        context = self._hardware() if self.device is not None else None
        if context is None:
            context = software if software is not None else software_decoder(codec, extradata)
        self.context: VideoCodecContext = context

    @property
    def label(self) -> str:
        return self.device or SOFTWARE

    def _hardware(self) -> VideoCodecContext | None:
        device = self.device
        assert device is not None
        candidates = _hardware_codecs(self.codec, device)
        try:
            for candidate in candidates:
                decoder = av.CodecContext.create(
                    candidate, "r", hwaccel=HWAccel(device, allow_software_fallback=False))
                assert isinstance(decoder, VideoCodecContext)
                if decoder.is_hwaccel:
                    if self.extradata:
                        decoder.extradata = self.extradata
                    configure_decoder(decoder)
                    return decoder
        except Exception as exc:  # the device did not open for this stream
            self.probe.failed(device, str(exc))
            self._software(HwFallback.DEVICE_FAILED, str(exc))
            return None
        self._software(HwFallback.NO_HW_CONFIG, f"{device} has no {self.codec} decoder")
        return None

    def _software(self, why: HwFallback, detail: str) -> None:
        self.device, self.fallback, self.detail = None, why, detail

    def fresh(self) -> VideoCodecContext:
        """A new decoder of the same kind (the old one's state is lost)."""
        context = self._hardware() if self.device is not None else None
        self.context = context or software_decoder(self.codec, self.extradata)
        return self.context

    def to_software(self, error: Exception) -> VideoCodecContext:
        """The decoder failed mid-stream: a fresh software decoder from now on."""
        self.fallbacks += 1
        if self.fallbacks == 1:
            log.warning("video decoder (%s %s) failed (%s): software decoding from the "
                        "next keyframe", self.codec, self.label, error)
        self._software(HwFallback.DECODE_FAILED, str(error) or type(error).__name__)
        self.context = software_decoder(self.codec, self.extradata)
        return self.context
