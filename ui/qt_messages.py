"""Qt's own warnings (a failed connection, a painter on a dead device, a font not found)
go to the application log, redacted, instead of only to a terminal nobody reads."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from commandroom.redact import redact_text

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # A message about a stream may quote its URL (QtMultimedia, QNetworkAccessManager).
    category = context.category or "default"
    log.log(_LEVELS.get(mode, logging.WARNING), "[%s] %s", category, redact_text(message))


def route_qt_messages_to_log() -> None:
    """From now on every Qt message goes through ``logging`` (called by ``main``; the tests
    leave pytest-qt's handler in place, which turns a Qt warning into a failure)."""
    qInstallMessageHandler(log_qt_message)
