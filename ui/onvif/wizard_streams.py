"""The wizard's streams page: profiles, main/sub/snapshot choice, warnings, live preview.

A main or sub address on a host other than the device that answered is shown with a
warning and an offer to point it at the device; it is not previewed until the officer
chooses (rewrite, or keep it): playing it would send the camera's password to that host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from commandroom.notices import Notice
from commandroom.onvif import MediaOverview, ProfileStreams, PtzSupport
from commandroom.onvif.uri_repair import OTHER_HOST, other_host_warning, point_at_host
from commandroom.video.stream_spec import StreamSpec
from ui.common.notices import notice_text
from ui.onvif.camera_health import error_label, warning_label
from ui.onvif.preview import PreviewTile
from ui.onvif.texts import fps_text, resolution_text

if TYPE_CHECKING:
    from ui.onvif.add_camera_wizard import AddCameraWizard

COL_NAME, COL_CODEC, COL_SIZE, COL_FPS, COL_URI = range(5)


class StreamsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Video streams"))
        self.setSubTitle(self.tr("The largest profile becomes the main stream, the smallest "
                                 "the sub stream. Change them if you wish; the preview "
                                 "plays what will be saved."))
        self._generation = 0
        self.media: MediaOverview | None = None
        self.ptz: PtzSupport | None = None
        self.ptz_failure = ""  # the translated reason when the PTZ question itself failed
        self._kept_elsewhere: set[str] = set()  # addresses on another host, kept on purpose
        self._chosen_text = ""  # "Main: … · sub: …", shown while nothing waits
        self.table = QTableWidget(0, 5)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setHorizontalHeaderLabels([self.tr("Profile"), self.tr("Codec"),
                                              self.tr("Resolution"), self.tr("FPS"),
                                              self.tr("Stream address")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_URI, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        self.main_uri = QLineEdit()
        self.sub_uri = QLineEdit()
        self.use_main = QPushButton(self.tr("Use as main"))
        self.use_sub = QPushButton(self.tr("Use as sub"))
        self.use_main.clicked.connect(lambda: self._use_selected(self.main_uri))
        self.use_sub.clicked.connect(lambda: self._use_selected(self.sub_uri))
        self.snapshot_uri = QLineEdit()
        for edit in (self.main_uri, self.sub_uri):
            edit.textChanged.connect(self.completeChanged)
            edit.textChanged.connect(lambda _t: self.check_hosts())
            edit.editingFinished.connect(self.refresh_preview)
        self.state = QLabel()
        self.warnings = warning_label()
        self.host_warning = warning_label()
        self.use_device_host = QPushButton()
        self.use_device_host.clicked.connect(self.rewrite_to_device_host)
        self.keep_elsewhere = QPushButton(self.tr("Keep these addresses"))
        self.keep_elsewhere.clicked.connect(self.keep_other_hosts)
        self.error = error_label()
        self.which = QComboBox()
        self.which.addItem(self.tr("Preview the sub stream"), "sub")
        self.which.addItem(self.tr("Preview the main stream"), "main")
        self.which.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.preview: PreviewTile | None = None  # made once the wizard (and hub) is known

        uses = QHBoxLayout()
        uses.addWidget(self.state, 1)
        uses.addWidget(self.use_main)
        uses.addWidget(self.use_sub)
        form = QFormLayout()
        form.addRow(self.tr("Main stream"), self.main_uri)
        form.addRow(self.tr("Sub stream"), self.sub_uri)
        form.addRow(self.tr("Snapshot"), self.snapshot_uri)
        self._lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.warnings)
        left.addWidget(self.host_warning)
        host_choice = QHBoxLayout()
        host_choice.addWidget(self.use_device_host)
        host_choice.addWidget(self.keep_elsewhere)
        host_choice.addStretch(1)
        left.addLayout(host_choice)
        left.addWidget(self.error)
        left.addStretch(1)
        left.addWidget(self.which)
        self._lower.addLayout(left, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(uses)
        layout.addLayout(self._lower, 1)
        self.check_hosts()

    def _wizard(self) -> AddCameraWizard:
        return cast("AddCameraWizard", self.wizard())

    # -- life on the page --------------------------------------------------------------
    def initializePage(self) -> None:
        wizard = self._wizard()
        if self.preview is None:
            self.preview = PreviewTile(wizard.hub)
            self._lower.addWidget(self.preview, 1)
        self._generation += 1
        generation = self._generation
        self.media, self.ptz, self.ptz_failure = None, None, ""
        self._kept_elsewhere.clear()
        self.table.setRowCount(0)
        for edit in (self.main_uri, self.sub_uri, self.snapshot_uri):
            edit.clear()
        self.warnings.setText("")
        self.error.setText("")
        self.state.setText(self.tr("Asking the camera for its profiles…"))
        endpoint = wizard.endpoint()
        wizard.bridge.call(wizard.onvif.media(endpoint),
                           lambda m: self._media(generation, m),
                           lambda e: self._failed(generation, e))
        wizard.bridge.call(wizard.onvif.ptz_support(endpoint),
                           lambda p: self._ptz(generation, p),
                           lambda e: self._ptz(generation, PtzSupport(False, None), e))

    def cleanupPage(self) -> None:
        self._generation += 1
        self.stop_preview()

    def isComplete(self) -> bool:
        return self.media is not None and bool(self.main_uri.text().strip())

    def stop_preview(self) -> None:
        if self.preview is not None:
            self.preview.stop()

    # -- answers -----------------------------------------------------------------------
    def _media(self, generation: int, media: MediaOverview) -> None:
        if generation != self._generation:
            return
        self.media = media
        self.table.setRowCount(len(media.profiles))
        for row, p in enumerate(media.profiles):
            uri = p.stream.uri if p.stream else notice_text(p.problem or "")
            cells = {COL_NAME: p.profile.name or p.profile.token,
                     COL_CODEC: p.profile.encoding or "?",
                     COL_SIZE: resolution_text(p.profile), COL_FPS: fps_text(p.profile),
                     COL_URI: uri}
            for col, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == COL_FPS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        main, sub = media.main, media.sub
        if main is not None and main.stream is not None:
            self.main_uri.setText(main.stream.uri)
        if sub is not None and sub.stream is not None and sub is not main:
            self.sub_uri.setText(sub.stream.uri)
        snap = next((p.snapshot for p in (sub, main) if p is not None and p.snapshot), None)
        self.snapshot_uri.setText(snap.uri if snap else "")
        # Another host is said (and offered a fix) by check_hosts, for what is chosen now.
        self.warnings.setText("\n".join(notice_text(w) for w in media.warnings
                                        if w.code != OTHER_HOST))
        if main is None:
            self.state.setText("")
            self.error.setText(self.tr("The camera offers no playable stream."))
        else:
            self._chosen_text = self.tr("Main: %1 · sub: %2").replace(
                "%1", _label(main)).replace("%2", _label(sub) if sub else "–")
            self.state.setText(self._chosen_text)
        self.completeChanged.emit()
        self.refresh_preview()

    def _ptz(self, generation: int, support: PtzSupport, failure: str = "") -> None:
        if generation == self._generation:
            self.ptz, self.ptz_failure = support, failure

    def ptz_reason_text(self) -> str:
        if self.ptz is None or self.ptz.available:
            return ""
        return self.ptz_failure or notice_text(self.ptz.reason or "")

    # -- addresses on another host -----------------------------------------------------
    def device_host(self) -> str:
        return self._wizard().endpoint().host if self.wizard() is not None else ""

    def elsewhere(self) -> list[Notice]:
        """Warnings for the chosen main/sub addresses that name another host."""
        host = self.device_host()
        found = (other_host_warning(edit.text(), host, what="stream")
                 for edit in (self.main_uri, self.sub_uri))
        return list(dict.fromkeys(w for w in found if w is not None))

    def check_hosts(self) -> None:
        warnings = self.elsewhere()
        text = "\n".join(notice_text(w) for w in warnings)
        chosen = (e.text().strip() for e in (self.main_uri, self.sub_uri))
        unsettled = [uri for uri in chosen if uri not in self._kept_elsewhere
                     and other_host_warning(uri, self.device_host()) is not None]
        self.host_warning.setText(text)
        self.host_warning.setVisible(bool(warnings))
        self.use_device_host.setText(self.tr("Use the camera's address (%1)").replace(
            "%1", self.device_host()))
        self.use_device_host.setVisible(bool(warnings))
        self.keep_elsewhere.setVisible(bool(unsettled))

    def rewrite_to_device_host(self) -> None:
        host = self.device_host()
        for edit in (self.main_uri, self.sub_uri):
            if other_host_warning(edit.text(), host) is not None:
                edit.setText(point_at_host(edit.text(), host))
        self.check_hosts()
        self.refresh_preview()

    def keep_other_hosts(self) -> None:
        """The officer knows the other host is right (a recorder, a forward): preview it."""
        self._kept_elsewhere.update(e.text().strip() for e in (self.main_uri, self.sub_uri))
        self.check_hosts()
        self.refresh_preview()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.state.setText("")
        self.error.setText(message)

    def _use_selected(self, target: QLineEdit) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.media is None or not rows:
            return
        chosen = self.media.profiles[rows[0].row()]
        if chosen.stream is not None:
            target.setText(chosen.stream.uri)
            self.refresh_preview()

    # -- preview -----------------------------------------------------------------------
    def preview_url(self) -> str:
        sub = self.sub_uri.text().strip()
        main = self.main_uri.text().strip()
        return (sub or main) if self.which.currentData() == "sub" else main

    def refresh_preview(self) -> None:
        if self.preview is None or self.media is None or not self.isVisible():
            return
        url = self.preview_url()
        if not url:
            self.preview.stop()
            return
        wizard = self._wizard()
        endpoint = wizard.endpoint()
        if other_host_warning(url, endpoint.host) is not None and url not in self._kept_elsewhere:
            self.preview.stop()  # the password would go to a host that is not the camera
            self.state.setText(self.tr("The preview waits until you choose which address "
                                       "to use."))
            return
        self.state.setText(self._chosen_text)
        try:
            spec = StreamSpec(url=url, user=endpoint.user, password=endpoint.password,
                              transport=wizard.transport())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.preview.play(spec, self.tr("Preview"))


def _label(p: ProfileStreams) -> str:
    return f"{p.profile.name or p.profile.token} ({resolution_text(p.profile)})"
