"""The recording state on the console's status bar: the disk forecast and the cameras whose
recording cannot write. Hidden while all is well; amber for a disk that fills within the
warning time, red when it fills within the hour or a recording cannot write. Live view
is not affected either way (the label says so in its tooltip)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from commandroom.events import EventBus
from commandroom.recording.forecast import DiskForecast, DiskForecastChanged
from commandroom.recording.status import RecorderState, RecorderStatus, RecorderStatusChanged
from ui.bridge import GuiEvents
from ui.recording.texts import disk_warning_text, disk_warning_tooltip, problem_text

AMBER = "#ffc25a"
RED = "#ff7070"
URGENT_HOURS = 1.0
MAX_NAMED = 2  # cameras named on the bar; more are counted


class RecordingStatusLabel(QLabel):
    def __init__(self, events: EventBus, camera_name: Callable[[int], str],
                 forecast: DiskForecast | None = None) -> None:
        super().__init__()
        self.setObjectName("recordingStatus")
        self._camera_name = camera_name
        self.forecast = forecast
        self.failing: dict[int, RecorderStatus] = {}
        self.colour = ""
        gui = GuiEvents(events)
        gui.subscribe(DiskForecastChanged, self._on_forecast, self)
        gui.subscribe(RecorderStatusChanged, self._on_recorder, self)
        self._render()

    def _on_forecast(self, event: DiskForecastChanged) -> None:
        self.forecast = event.forecast
        self._render()

    def _on_recorder(self, event: RecorderStatusChanged) -> None:
        if event.status.state is RecorderState.FAILING:
            self.failing[event.camera_id] = event.status
        else:  # recording again, waiting for a picture, or stopped: nothing to say
            self.failing.pop(event.camera_id, None)
        self._render()

    def _failing_text(self) -> str:
        """Cameras named, grouped by reason; beyond two cameras a count (the tooltip
        names each), so the status bar stays readable with a whole station failing."""
        by_problem: dict[str, list[str]] = {}
        for camera_id, status in sorted(self.failing.items()):
            by_problem.setdefault(problem_text(status.problem), []).append(
                self._camera_name(camera_id))
        groups = []
        for reason, names in by_problem.items():
            who = (", ".join(names) if len(names) <= MAX_NAMED
                   else self.tr("%1 cameras").replace("%1", str(len(names))))
            groups.append(self.tr("%1 (%2)").replace("%1", who).replace("%2", reason))
        return self.tr("Not recording: %1").replace("%1", "; ".join(groups))

    def _render(self) -> None:
        parts: list[str] = []
        tips: list[str] = []
        urgent = False
        if self.forecast is not None and self.forecast.warn:
            parts.append("⚠ " + disk_warning_text(self.forecast))
            tips.append(disk_warning_tooltip(self.forecast))
            urgent = (self.forecast.hours_to_full or 0.0) < URGENT_HOURS
        if self.failing:
            parts.append("⚠ " + self._failing_text())
            tips.extend(self.tr("%1: %2").replace("%1", self._camera_name(camera_id))
                        .replace("%2", problem_text(status.problem))
                        for camera_id, status in sorted(self.failing.items()))
            tips.append(self.tr("Recording retries by itself; live view goes on. The log "
                                "has the details."))
            urgent = True
        self.colour = (RED if urgent else AMBER) if parts else ""
        self.setText("   ".join(parts))
        self.setToolTip("\n".join(tips))
        self.setStyleSheet(f"color: {self.colour}; font-weight: bold; padding: 0 6px;"
                           if parts else "")
        # Whole or not at all: squeezed by the other status-bar labels it was cut to
        # "⚠ Not r" on a 1600-pixel console.
        self.setMinimumWidth(self.sizeHint().width() if parts else 0)
        self.setVisible(bool(parts))
