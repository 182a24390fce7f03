"""Preview and send an alert for a saved sighting: to whom, over what, the message."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.alerts.content import AlertContent
from commandroom.alerts.service import AlertService, NoRecipients, PreviewItem
from commandroom.alerts.teams import TeamInfo
from ui.alerts.texts import channel_type_text, priority_text, refusal_text, team_label
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource


class AlertSendDialog(QDialog):
    """Not modal. Enter sends; the dialog closes as soon as the alert is in the outbox."""

    sent = Signal(int)  # alert id

    def __init__(self, alerts: AlertService, teams: list[TeamInfo], content: AlertContent,
                 sighting_id: int, actor: ActorSource, worker: Executor,
                 parent: QWidget | None = None,
                 preview: list[PreviewItem] | BaseException | None = None) -> None:
        """``preview``: the first preview, read off the GUI thread by whoever opens the
        dialog (the items, or why there are none); None reads it now, in the background."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send alert — %1").replace("%1", content.name))
        self.setModal(False)
        self._alerts = alerts
        self._content = content
        self._sighting_id = sighting_id
        self._actor = actor
        self._worker = worker
        self._bridge = FutureBridge(self)
        self._previews = 0  # the newest preview asked; older answers are dropped
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.extra_teams: dict[int, QCheckBox] = {}
        self._by_rules: set[int] = set()  # ticked because the routing rules send to them
        extra_box = QGroupBox(self.tr("Also send to"))
        extra_layout = QHBoxLayout(extra_box)
        for team in teams:
            box = QCheckBox(team_label(team.key, team.name))
            box.toggled.connect(lambda _on: self.refresh())
            self.extra_teams[team.id] = box
            extra_layout.addWidget(box)
        extra_layout.addStretch(1)
        self.extra_line = QLineEdit()
        self.extra_line.setPlaceholderText(self.tr("A line for the teams (optional)"))
        self.extra_line.editingFinished.connect(self.refresh)
        self.extra_line.returnPressed.connect(self.send)
        self.status = QLabel()
        self.status.setObjectName("errorLabel")
        self.status.setWordWrap(True)
        self.send_button = QPushButton(self.tr("Send (Enter)"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(extra_box)
        layout.addWidget(self.extra_line)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(720, 560)
        self.items: list[PreviewItem] = []
        if preview is None:
            self.refresh()
        else:
            self._show_preview(preview)
        if self.send_button.isEnabled():  # else the preview put it on the first team
            self.send_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _extra(self) -> list[int]:
        return [tid for tid, box in self.extra_teams.items()
                if box.isChecked() and tid not in self._by_rules]

    def refresh(self) -> None:
        """Preview again (another team ticked, the extra line changed): the routing rules
        and channels are read off the GUI thread."""
        self._previews += 1
        asked = self._previews

        def answer(result: list[PreviewItem] | BaseException) -> None:
            if asked == self._previews:
                self._show_preview(result)

        self._bridge.run(self._alerts.preview, self._actor(), self._content, self._extra(),
                         self.extra_line.text(), on_ok=answer, on_error=answer)

    def _show_preview(self, result: list[PreviewItem] | BaseException) -> None:
        if isinstance(result, BaseException):
            exc = result
            self.items = []
            self.summary.setText("")
            draft = exc.draft if isinstance(exc, NoRecipients) else ""
            # With nobody routed the officer still reads what a ticked team would get.
            heading = self.tr("No team yet: each team you tick gets")
            self.preview.setPlainText(f"── {heading} ──\n{draft}" if draft else "")
            self.status.setText(refusal_text(exc)
                                or self.tr("The alert could not be sent (%1).")
                                .replace("%1", type(exc).__name__))
            self.send_button.setEnabled(False)
            boxes = list(self.extra_teams.values())
            if isinstance(exc, NoRecipients) and boxes and not self.extra_line.hasFocus() \
                    and not any(box.hasFocus() for box in boxes):
                # The way on is ticking a team (Space there, then Enter sends), not a
                # Send button that cannot send.
                boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.items = result
        self.status.setText("")
        self.send_button.setEnabled(True)
        lines = []
        for item in self.items:
            channels = ", ".join(
                f"{channel_type_text(c.kind, str(c.config.get('preset', '')))}: {c.name}"
                for c in item.channels) or self.tr("no channel configured")
            # The whole phrase is translated per priority: a word slotted into a sentence
            # read "( high 优先级 )" in Chinese.
            lines.append(self.tr("%1 (%2) — %3")
                         .replace("%1", team_label(item.team.key, item.team.name))
                         .replace("%2", priority_text(item.priority)).replace("%3", channels))
        # A team the rules send it to anyway: ticked and greyed, so the box reads "gets
        # it" (seen on screen: an empty greyed box under "Also send to" read as "does not
        # get it, and cannot"). A team the officer ticked stays theirs to untick.
        for item in self.items:
            box = self.extra_teams.get(item.team.id)
            if box is not None and not box.isChecked():
                self._by_rules.add(item.team.id)
                box.blockSignals(True)  # not a tick of the officer's: no new preview
                box.setChecked(True)
                box.blockSignals(False)
                box.setEnabled(False)
                box.setToolTip(self.tr("The station's routing rules send it to this team."))
        self.summary.setText("<br>".join(lines))
        self.preview.setPlainText("\n\n".join(
            f"── {team_label(item.team.key, item.team.name)} ──\n{item.message}"
            for item in self.items))

    def send(self) -> None:
        if not self.send_button.isEnabled():
            return
        self.send_button.setEnabled(False)
        self.status.setText(self.tr("Sending…"))
        actor, extra, line = self._actor(), self._extra(), self.extra_line.text()
        future = self._worker.submit(self._alerts.send, actor, self._sighting_id,
                                     self._content, extra, line)

        def ok(alert_id: int) -> None:
            self.sent.emit(alert_id)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.send_button.setEnabled(True)
            self.status.setText(refusal_text(exc) or (
                str(exc) if isinstance(exc, ValueError) else
                self.tr("The alert could not be sent (%1).").replace("%1", type(exc).__name__)))

        self._bridge.call(future, ok, failed)


SendOpener = Callable[[int], AlertSendDialog | None]
