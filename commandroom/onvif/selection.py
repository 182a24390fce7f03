"""Pick the main (largest) and sub (smallest) stream among a camera's profiles."""

from __future__ import annotations

from commandroom.onvif.models import ProfileStreams

# Among equal sizes prefer the codec every reader decodes cheaply.
_CODEC_RANK = {"H264": 3, "H265": 2, "JPEG": 0}


def _key(p: ProfileStreams) -> tuple[int, float, int, int]:
    prof = p.profile
    return (prof.pixels, prof.fps or 0.0, _CODEC_RANK.get(prof.encoding or "", 1),
            -prof.media_version)


def choose_main_and_sub(
    streams: tuple[ProfileStreams, ...],
) -> tuple[ProfileStreams | None, ProfileStreams | None]:
    """Main = most pixels, sub = fewest; profiles without a stream URI never win.

    Profiles of unknown size only count when no profile states its size; with a
    single usable profile, main and sub are the same.
    """
    usable = [p for p in streams if p.stream is not None]
    sized = [p for p in usable if p.profile.pixels > 0] or usable
    if not sized:
        return None, None
    main = max(sized, key=_key)
    # Smallest size; among equals the best codec/fps still wins.
    smallest = min(p.profile.pixels for p in sized)
    sub = max((p for p in sized if p.profile.pixels == smallest), key=_key)
    return main, sub
