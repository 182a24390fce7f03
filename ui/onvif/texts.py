"""Words for ONVIF facts shown on screen (clock drift, sizes, PTZ position)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.onvif import MediaProfile, PtzStatus

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate

# Beyond this the drift is worth a warning colour: timestamps on the camera's own
# overlay will disagree with the console's clock by more than a glance forgives.
DRIFT_WARN_S = 60.0


def duration_text(seconds: float) -> str:
    total = round(abs(seconds))
    if total >= 3600:  # to the nearest minute: a measured 7199.4 s reads "2 h 0 min"
        hours, minutes = divmod(round(abs(seconds) / 60), 60)
        return (
            _tr("OnvifTexts", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
        )
    minutes, secs = divmod(total, 60)
    if minutes:
        return _tr("OnvifTexts", "%1 min %2 s").replace("%1", str(minutes)).replace("%2", str(secs))
    return _tr("OnvifTexts", "%1 s").replace("%1", str(secs))


def drift_text(drift_s: float | None) -> str:
    """Camera clock minus ours, as a sentence."""
    if drift_s is None:
        return _tr("OnvifTexts", "Unknown: the camera did not tell its time.")
    if abs(drift_s) < 2:
        return _tr("OnvifTexts", "In step with this computer.")
    if drift_s > 0:
        return _tr("OnvifTexts", "The camera's clock is %1 ahead of this computer.").replace(
            "%1", duration_text(drift_s)
        )
    return _tr("OnvifTexts", "The camera's clock is %1 behind this computer.").replace(
        "%1", duration_text(drift_s)
    )


def resolution_text(profile: MediaProfile) -> str:
    if profile.width and profile.height:
        return f"{profile.width}×{profile.height}"
    return _tr("OnvifTexts", "unknown")


def fps_text(profile: MediaProfile) -> str:
    return f"{profile.fps:g}" if profile.fps else "–"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def position_text(status: PtzStatus) -> str:
    text = (
        _tr("OnvifTexts", "Pan %1 · Tilt %2 · Zoom %3")
        .replace("%1", _num(status.pan))
        .replace("%2", _num(status.tilt))
        .replace("%3", _num(status.zoom))
    )
    if status.moving:
        text += " · " + _tr("OnvifTexts", "moving")
    return text
