"""Quitting: Ctrl+Q on the console or on the wall, or the console's close button. One path
for all three; it asks only when alerts are still on their way to the teams."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from commandroom.alerts.board import AlertBoard
from commandroom.auth.permissions import SYSTEM

log = logging.getLogger(__name__)

# Channel states the dispatcher still works on (commandroom.alerts.dispatcher.PENDING).
_UNDELIVERED = ("queued", "retrying")
# Deliveries retry for about 25 minutes; alerts older than the last few hundred are done.
_RECENT_ALERTS = 500

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def pending_deliveries(board: AlertBoard) -> int:
    """How many alert deliveries are queued or retrying. Asked as the system, not as the
    operator: a viewer quitting still stops the sending of the others' alerts."""
    try:
        alerts = board.recent(SYSTEM, limit=_RECENT_ALERTS)
    except Exception:  # a database hiccup must not keep the officer from quitting
        log.exception("quit: could not count the alert deliveries still pending")
        return 0
    return sum(1 for alert in alerts for team in alert.teams for channel in team.channels
               if channel.status in _UNDELIVERED)


def confirm_quit(parent: QWidget | None, pending: int) -> bool:
    """Ask before stopping the sending; Enter or Escape keeps the app running."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, _tr("Quit", "Alerts are still being sent"),
        _tr("Quit", "%1 alert message(s) to the teams are not delivered yet. If you quit "
                   "now they are sent when commandroom starts again. Quit anyway?")
        .replace("%1", str(pending)),
        QMessageBox.StandardButton.NoButton, parent)
    quit_button = box.addButton(_tr("Quit", "&Quit"), QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(_tr("Quit", "&Keep running"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    if box.clickedButton() is quit_button:
        return True
    if parent is not None:
        parent.activateWindow()  # the keys go back where the officer was working
    return False
