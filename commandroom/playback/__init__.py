"""Looking back: recorded video from the station's recorders (Hikvision/Dahua NVRs and
ONVIF Profile G devices), as stream specs the video reader plays. No Qt."""

from commandroom.playback.nvr import NvrSource, PlaybackConfigError, PlaybackKind
from commandroom.playback.ranges import Gap, GapReason, Range, RangeKind
from commandroom.playback.source import PlaybackSession, PlaybackSource
from commandroom.playback.store import PlaybackSources

__all__ = [
    "Gap", "GapReason", "NvrSource", "PlaybackConfigError", "PlaybackKind",
    "PlaybackSession", "PlaybackSource", "PlaybackSources", "Range", "RangeKind",
]
