"""Reports from the console, by keyboard: Ctrl+P in an incident's timeline window writes
its report (PDF) in the console's language, off the GUI thread, and the window says
where; Ctrl+P in the statistics window writes the monthly report of the month on screen;
a duty officer is told at once that reports are the supervisor's, and asked for no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import Actor, Role
from commandroom.incidents import How, Outcome
from commandroom.runtime import CoreHooks
from commandroom.statistics.queries import STATION_TZ
from tests.support.alert_core import FakeClock
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press
from tests.ui.test_incidents_ui import START, _sighting
from tests.unit.reports.conftest import pdf_text
from ui.app import CommandRoomApp
from ui.incidents.timeline_window import IncidentTimelineWindow
from ui.statistics.window import StatisticsWindow
from ui.theme import ERROR_COLOUR, OK_COLOUR

CTRL = Qt.KeyboardModifier.ControlModifier


def _active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()  # as the window manager does for a window just opened
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _caught_timeline(qtbot: QtBot, app: CommandRoomApp, clock: FakeClock
                     ) -> IncidentTimelineWindow:
    sighting_id = _sighting(app.paths.data_dir, app.sessions)
    incident = app.core.incidents.create_from_sighting(app.actor, sighting_id)
    clock.advance(minutes=47)
    app.core.incidents.resolve(app.actor, incident.id, Outcome.CAUGHT, How.RADIO, "Sgt Liu")
    window = app.incidents_ui.open_timeline(incident.id)
    qtbot.waitUntil(lambda: window.view is not None)
    _active(qtbot, window)
    return window


def _write_by_keyboard(qtbot: QtBot, window: IncidentTimelineWindow, folder: Path
                       ) -> tuple[Path, list[str]]:
    asked: list[str] = []
    assert window.report is not None

    def choose(name: str) -> Path:
        asked.append(name)
        return folder / name

    window.report.choose_path = choose  # no real dialog in a test
    with qtbot.waitSignal(window.report.written, timeout=15_000) as written:
        press(Qt.Key.Key_P, CTRL)
    path = folder / "JX-2026-0001.pdf"
    assert written.args == [str(path)]
    return path, asked


def test_ctrl_p_writes_the_incident_report_and_says_where(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    window = _caught_timeline(qtbot, app, clock)
    path, asked = _write_by_keyboard(qtbot, window, tmp_path)
    assert asked == ["JX-2026-0001.pdf"]
    assert window.message.text() == f"Report written to {path}."
    text = pdf_text(path)
    assert "Incident report" in text and "Outcome caught — 47 min" in text


@pytest.mark.usefixtures("chinese")
def test_the_report_is_in_the_consoles_language(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    window = _caught_timeline(qtbot, app, clock)
    path, _ = _write_by_keyboard(qtbot, window, tmp_path)
    assert window.message.text() == f"报告已写入 {path}。"
    text = pdf_text(path)
    assert "警情报告" in text and "处置结果 已抓获 — 47 分钟" in text


def test_a_duty_officer_is_told_and_asked_for_no_file(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    window = _caught_timeline(qtbot, app, clock)
    app.actor = Actor("wang", Role.DUTY_OFFICER, 7)
    assert window.report is not None
    asked: list[str] = []
    window.report.choose_path = lambda name: asked.append(name) or tmp_path / name
    press(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "may not do this" in window.message.text())
    assert asked == [] and list(tmp_path.glob("*.pdf")) == []


def test_ctrl_p_in_the_statistics_window_writes_the_month_on_screen(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app("--demo")
    said: list[str] = []
    window = app.statistics_ui.open_window()
    assert isinstance(window, StatisticsWindow) and window.report is not None
    qtbot.waitUntil(lambda: window.figures is not None)
    assert window.figures is not None
    month = window.figures.months[0].month
    window.report._say = lambda text, _tone: said.append(text)  # the status bar, read back
    window.report.choose_path = lambda name: tmp_path / name
    _active(qtbot, window)
    press(Qt.Key.Key_P, CTRL)
    path = tmp_path / f"monthly-report-{month:%Y-%m}.pdf"
    qtbot.waitUntil(lambda: bool(said) and said[-1] == f"Report written to {path}.",
                    timeout=15_000)
    text = pdf_text(path)
    assert "Monthly report" in text and f"{month:%Y-%m}" in text
    today = dt.datetime.now(STATION_TZ).date()  # the window's calendar: the last whole month
    assert month == (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_the_written_line_looks_like_success_and_a_failure_like_an_error(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    """The timeline's message line is the error colour only when something went wrong:
    "Report written to …" shows in the theme's success colour."""
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    window = _caught_timeline(qtbot, app, clock)
    path, _ = _write_by_keyboard(qtbot, window, tmp_path)
    assert window.message.text() == f"Report written to {path}."
    assert OK_COLOUR in window.message.styleSheet()
    assert ERROR_COLOUR not in window.message.styleSheet()

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert window.report is not None
    window.report.choose_path = lambda name: blocker / name  # cannot be written
    press(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "could not be written" in window.message.text(), timeout=15_000)
    assert ERROR_COLOUR in window.message.styleSheet()
    assert OK_COLOUR not in window.message.styleSheet()
