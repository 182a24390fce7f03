"""Looking back at a camera (issue 15): instant replay, playback from any moment, a
synchronised group, the timeline; local recordings where they exist, the NVR otherwise.

Qt-free. ``LookBack`` is what the UI calls; the frames play through ``StreamHub.play``
into the same slots and tiles as live video.
"""

from commandroom.lookback.service import CameraFootage, LookBack
from commandroom.lookback.timeline import CameraTimeline, Span, SpanKind

__all__ = ["CameraFootage", "CameraTimeline", "LookBack", "Span", "SpanKind"]
