"""Camera registry actions of the console: add, edit, delete, enable, groups, CSV."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from commandroom.auth.permissions import PermissionDenied
from commandroom.cameras.csv_io import (
    ACCEPTED_ENCODINGS,
    ImportReport,
    export_cameras_csv,
    import_cameras_csv,
)
from commandroom.cameras.registry import CameraError, CameraRegistry
from commandroom.files import write_private
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.notices import error_text, notice_text
from ui.console.camera_dialog import CameraDialog

T = TypeVar("T")


class CameraActions(QObject):
    def __init__(self, registry: CameraRegistry, actor: ActorSource, parent_widget: QWidget
                 ) -> None:
        super().__init__(parent_widget)
        self._registry = registry
        self._actor = actor
        self._parent = parent_widget
        self._bridge = FutureBridge(self)
        self.importing = 0  # imports on their way (tests wait on this)
        self.last_report: ImportReport | None = None

    def _guarded(self, call: Callable[..., T], *args: object) -> T | None:
        """Run a registry call for the current operator; say so when it is not allowed."""
        try:
            return call(self._actor(), *args)
        except (CameraError, PermissionDenied) as exc:
            QMessageBox.warning(self._parent, self.tr("Not allowed"), error_text(exc))
            return None

    def add_camera(self) -> None:
        CameraDialog(self._registry, self._actor(), None, self._parent).exec()

    def edit_camera(self, camera_id: int) -> None:
        camera = self._registry.get(self._actor(), camera_id)
        if camera is not None:
            CameraDialog(self._registry, self._actor(), camera, self._parent).exec()

    def delete_camera(self, camera_id: int) -> None:
        camera = self._registry.get(self._actor(), camera_id)
        if camera is None:
            return
        answer = QMessageBox.question(
            self._parent, self.tr("Delete camera"),
            self.tr("Delete camera “%1”? Its layouts lose this tile.").replace("%1", camera.name))
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(self._registry.delete, camera_id)

    def toggle_enabled(self, camera_id: int) -> None:
        camera = self._registry.get(self._actor(), camera_id)
        if camera is not None:
            self._guarded(self._registry.set_enabled, camera_id, not camera.enabled)

    def add_group(self) -> None:
        name, ok = QInputDialog.getText(self._parent, self.tr("Add group"),
                                        self.tr("Area or junction group name:"))
        if ok and name.strip():
            try:
                self._registry.add_group(self._actor(), name)
            except (CameraError, PermissionDenied) as exc:
                QMessageBox.warning(self._parent, self.tr("Add group"), error_text(exc))

    def rename_group(self, group_id: int, current: str) -> None:
        name, ok = QInputDialog.getText(self._parent, self.tr("Rename group"),
                                        self.tr("New name:"), text=current)
        if ok and name.strip():
            try:
                self._registry.rename_group(self._actor(), group_id, name)
            except (CameraError, PermissionDenied) as exc:
                QMessageBox.warning(self._parent, self.tr("Rename group"), error_text(exc))

    def delete_group(self, group_id: int, name: str) -> None:
        answer = QMessageBox.question(
            self._parent, self.tr("Delete group"),
            self.tr("Delete group “%1”? Its cameras are kept, ungrouped.").replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(self._registry.delete_group, group_id)

    def import_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, self.tr("Import cameras"), "",
            self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.import_and_report(Path(path))

    def import_and_report(self, path: Path) -> QMessageBox:
        """Import ``path`` off the GUI thread; the box says so at once, then shows the
        outcome. Every failure ends in the same box."""
        box = self._show(QMessageBox.Icon.Information, self.tr(
            "Importing cameras from %1…").replace("%1", path.name))
        self.importing += 1

        def imported(report: ImportReport) -> None:
            self.importing -= 1
            self.last_report = report
            self._fill(box, QMessageBox.Icon.Information if report.ok
                       else QMessageBox.Icon.Warning, self.report_text(report))

        def failed(exc: BaseException) -> None:  # the officer must see every failure
            self.importing -= 1
            self._fill(box, QMessageBox.Icon.Warning, self.tr(
                "Nothing was imported from %1: %2").replace("%1", path.name).replace(
                "%2", error_text(exc)))

        self._bridge.run(self.import_file, path, on_ok=imported, on_error=failed)
        return box

    def import_file(self, path: Path) -> ImportReport:
        """Reads the file and writes the cameras: call it off the GUI thread."""
        return import_cameras_csv(self._registry, self._actor(), path.read_bytes())

    def report_text(self, report: ImportReport) -> str:
        lines = [self.tr("%1 camera(s) imported.").replace("%1", str(len(report.imported)))]
        if report.errors:
            lines.append(self.tr("%1 row(s) not imported:").replace("%1", str(len(report.errors))))
            lines += [self.tr("line %1: %2").replace("%1", str(e.line)).replace(
                "%2", notice_text(e.notice)) for e in report.errors]
            lines.append(self.tr("Accepted encodings: %1.").replace(
                "%1", notice_text(ACCEPTED_ENCODINGS)))
        return "\n".join(lines)

    def show_report(self, report: ImportReport) -> QMessageBox:
        icon = QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning
        return self._show(icon, self.report_text(report))

    def _show(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        box = QMessageBox(icon, self.tr("Import cameras"), text, QMessageBox.StandardButton.Ok,
                          self._parent)
        box.setModal(False)
        box.show()
        return box

    @staticmethod
    def _fill(box: QMessageBox, icon: QMessageBox.Icon, text: str) -> None:
        # RuntimeError: the officer closed the box before the answer came; nothing to fill.
        with contextlib.suppress(RuntimeError):
            box.setIcon(icon)
            box.setText(text)

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._parent, self.tr("Export cameras"),
                                              "cameras.csv", self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        text = self._guarded(export_cameras_csv, self._registry)
        if text is None:
            return False
        try:
            write_private(path, text.encode("utf-8-sig"))  # with BOM: Excel/WPS read it right
        except OSError as exc:
            QMessageBox.warning(self._parent, self.tr("Export cameras"), error_text(exc))
            return False
        return True
