"""A second console on the same data folder: said once, before any window, and nothing
of the folder touched (commandroom.runtime.instance_lock says why it must not run)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from commandroom.runtime import DataFolderInUse

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def folder_in_use_box(exc: DataFolderInUse) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Warning, _tr("SecondInstance", "Command room is already running"),
        _tr("SecondInstance",
            "Command room is already running on this computer with the same data folder. "
            "Use its window: it may be on another screen, minimised or behind others.\n\n"
            "This one does not start: two on one folder would record over each other's "
            "files and send every alert twice."))
    details = _tr("SecondInstance", "Data folder: %1").replace("%1", str(exc.folder))
    if exc.holder is not None:
        details += "\n" + _tr("SecondInstance", "Running: process %1 on %2, since %3") \
            .replace("%1", str(exc.holder.pid)).replace("%2", exc.holder.host) \
            .replace("%3", exc.holder.since)
    box.setInformativeText(details)
    return box


def say_folder_in_use(exc: DataFolderInUse) -> None:
    folder_in_use_box(exc).exec()
