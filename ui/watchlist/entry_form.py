""""One person, one file": the form for one watch-list entry, checked live by the core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.watchlist.csv_format import split_list
from commandroom.watchlist.idcard import InvalidIdNumber, parse_id_number
from commandroom.watchlist.plates import InvalidPlate, check_plate
from commandroom.watchlist.records import Category, EntryInput, EntryView, Kind, Risk, Sex
from ui.common.entry_texts import category_label, kind_label, risk_label, sex_label
from ui.common.notices import notice_text
from ui.common.thumbnails import ThumbnailCache
from ui.watchlist.fields import BAD_COLOUR, CheckLabel, DateField

PHOTO_SIZE = QSize(96, 96)


class EntryForm(QWidget):
    """Shows one entry (or a new one of a kind); ``entry_input()`` reads it back."""

    photos_changed = Signal()

    def __init__(self, thumbnails: ThumbnailCache, data_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbnails
        self._data_dir = data_dir
        self.entry: EntryView | None = None
        self.kind = Kind.PERSON
        self.pending_photos: list[Path] = []  # chosen before the first save

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.state = QLabel()
        self.name = QLineEdit()
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText(self.tr("separated by ; or 、"))

        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("18 characters"))
        self.id_check = CheckLabel()
        self.id_number.textChanged.connect(self.check_id_number)
        self.sex = QComboBox()
        for sex in Sex:
            self.sex.addItem(sex_label(sex), sex.value)
        self.date_of_birth = DateField()
        self.person_box = QGroupBox(self.tr("Person"))
        person = QFormLayout(self.person_box)
        person.addRow(self.tr("ID number:"), self.id_number)
        person.addRow("", self.id_check)
        person.addRow(self.tr("Sex:"), self.sex)
        person.addRow(self.tr("Date of birth:"), self.date_of_birth)

        self.plate = QLineEdit()
        self.plate_check = CheckLabel()
        self.plate.textChanged.connect(self.check_plate)
        self.colour = QLineEdit()
        self.make_model = QLineEdit()
        self.vehicle_box = QGroupBox(self.tr("Vehicle"))
        vehicle = QFormLayout(self.vehicle_box)
        vehicle.addRow(self.tr("Plate:"), self.plate)
        vehicle.addRow("", self.plate_check)
        vehicle.addRow(self.tr("Colour:"), self.colour)
        vehicle.addRow(self.tr("Make / model:"), self.make_model)

        self.category = QComboBox()
        for category in Category:
            self.category.addItem(category_label(category), category.value)
        self.risk = QComboBox()
        for risk in Risk:
            self.risk.addItem(risk_label(risk), risk.value)
        self.reason = QLineEdit()
        self.case_reference = QLineEdit()
        self.valid_from = DateField()
        self.valid_until = DateField()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        validity = QHBoxLayout()
        validity.addWidget(self.valid_from)
        validity.addWidget(QLabel(self.tr("until")))
        validity.addWidget(self.valid_until)
        validity.addStretch(1)

        self.photos = QListWidget()
        self.photos.setViewMode(QListView.ViewMode.IconMode)
        self.photos.setIconSize(PHOTO_SIZE)
        self.photos.setFixedHeight(PHOTO_SIZE.height() + 34)
        self.photos.setFlow(QListView.Flow.LeftToRight)
        self.photos.setWrapping(False)
        self.photos.setMovement(QListView.Movement.Static)
        self.add_photo_button = QPushButton(self.tr("Add photo…"))
        self.add_photo_button.clicked.connect(self.choose_photo)
        thumbnails.ready.connect(self._photo_ready)

        common = QFormLayout()
        common.addRow(self.tr("Name:"), self.name)
        common.addRow(self.tr("Aliases:"), self.aliases)
        case = QFormLayout()
        case.addRow(self.tr("Category:"), self.category)
        case.addRow(self.tr("Risk:"), self.risk)
        case.addRow(self.tr("Reason:"), self.reason)
        case.addRow(self.tr("Case reference:"), self.case_reference)
        case.addRow(self.tr("Valid from:"), validity)
        case.addRow(self.tr("Notes:"), self.notes)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photos, 1)
        photo_row.addWidget(self.add_photo_button, 0, Qt.AlignmentFlag.AlignTop)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {BAD_COLOUR};")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addLayout(common)
        layout.addWidget(self.person_box)
        layout.addWidget(self.vehicle_box)
        layout.addLayout(case)
        layout.addWidget(QLabel(self.tr("Photos:")))
        layout.addLayout(photo_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.new_entry(Kind.PERSON)

    # -- showing ---------------------------------------------------------------------
    def new_entry(self, kind: Kind) -> None:
        self.entry = None
        self.pending_photos = []
        self._fill(EntryInput(kind=kind), ())
        self.title.setText(self.tr("New %1").replace("%1", kind_label(kind).lower()))
        self.state.setText("")

    def show_entry(self, entry: EntryView) -> None:
        self.entry = entry
        self.pending_photos = []
        self._fill(entry.as_input(), tuple(self._data_dir / p.path for p in entry.photos))
        self.title.setText(f"{kind_label(entry.kind)} #{entry.id}: {entry.label}")
        state = self.tr("Archived") if entry.archived else self.tr("Active")
        if entry.archived and entry.archived_at:
            state += " · " + entry.archived_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.state.setText(state)

    def _fill(self, data: EntryInput, photos: tuple[Path, ...]) -> None:
        self.kind = Kind(data.kind)
        self.message.clear()
        self.name.setText(data.name)
        self.aliases.setText("; ".join(data.aliases))
        self.id_number.setText(data.id_number)
        self.sex.setCurrentIndex(max(0, self.sex.findData(data.sex)))
        self.date_of_birth.set_value(data.date_of_birth)
        self.plate.setText(data.plate)
        self.colour.setText(data.colour)
        self.make_model.setText(data.make_model)
        self.category.setCurrentIndex(max(0, self.category.findData(data.category)))
        self.risk.setCurrentIndex(max(0, self.risk.findData(data.risk)))
        self.reason.setText(data.reason)
        self.case_reference.setText(data.case_reference)
        self.valid_from.set_value(data.valid_from)
        self.valid_until.set_value(data.valid_until)
        self.notes.setPlainText(data.notes)
        self.person_box.setVisible(self.kind == Kind.PERSON)
        self.vehicle_box.setVisible(self.kind == Kind.VEHICLE)
        self.name.setPlaceholderText(
            self.tr("full name, or 'unknown'") if self.kind == Kind.PERSON
            else self.tr("optional: a description if the plate is unread"))
        self.check_id_number(data.id_number)
        self.check_plate(data.plate)
        self._show_photos(photos)
        self._as_filled = self._read_or_none()

    def _read_or_none(self) -> EntryInput | None:
        try:
            return self.entry_input()
        except ValueError:  # a date being typed
            return None

    def has_unsaved_changes(self) -> bool:
        """Typed or photos added since the entry was shown (or the new form opened)."""
        if self.pending_photos:
            return True
        now = self._read_or_none()
        return now is None or now != self._as_filled

    def _show_photos(self, paths: tuple[Path, ...]) -> None:
        self.photos.clear()
        for path in (*paths, *self.pending_photos):
            item = QListWidgetItem(path.name if path in self.pending_photos else "")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setSizeHint(PHOTO_SIZE + QSize(8, 8))
            pixmap = self._thumbs.pixmap(path, PHOTO_SIZE)
            if pixmap is not None:
                item.setIcon(QIcon(pixmap))
            self.photos.addItem(item)

    def _photo_ready(self, path: str) -> None:
        for row in range(self.photos.count()):
            item = self.photos.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == path:
                pixmap = self._thumbs.pixmap(Path(path), PHOTO_SIZE)
                if pixmap is not None:
                    item.setIcon(QIcon(pixmap))

    def add_pending_photo(self, path: Path) -> None:
        self.pending_photos.append(path)
        self._show_photos(tuple(self._data_dir / p.path for p in self.entry.photos)
                          if self.entry else ())

    def choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a photo"), "", self.tr("Pictures (*.png *.jpg *.jpeg *.bmp)"))
        if name:
            self.add_pending_photo(Path(name))
            self.photos_changed.emit()

    # -- live checks (the core's own rules and messages) -----------------------------
    def check_id_number(self, text: str) -> None:
        if not text.strip():
            self.id_check.reset()
            return
        try:
            parsed = parse_id_number(text)
        except InvalidIdNumber as exc:
            self.id_check.show_bad(notice_text(exc.notice))
            return
        self.id_check.show_ok(
            self.tr("valid · born %1 · %2").replace("%1", parsed.birth_date.isoformat())
            .replace("%2", sex_label(parsed.sex).lower()))
        # The ID number is authoritative: the core refuses a birth date or sex that disagree.
        self.date_of_birth.set_value(parsed.birth_date)
        self.sex.setCurrentIndex(max(0, self.sex.findData(parsed.sex)))

    def check_plate(self, text: str) -> None:
        if not text.strip():
            self.plate_check.reset()
            return
        try:
            plate = check_plate(text)
        except InvalidPlate as exc:
            self.plate_check.show_bad(notice_text(exc.notice))
            return
        matched = self.tr("matched as %1").replace("%1", plate.normalised)
        if plate.note:
            self.plate_check.show_note(f"{matched} · {plate.note}")
        else:
            self.plate_check.show_ok(matched)

    # -- reading back ----------------------------------------------------------------
    def entry_input(self) -> EntryInput:
        """What the form says; ValueError (with a sentence) for an unreadable date."""
        person, vehicle = self.kind == Kind.PERSON, self.kind == Kind.VEHICLE
        dates: dict[str, date | None] = {}
        errors: list[str] = []
        for name, field, label in (
            ("date_of_birth", self.date_of_birth, self.tr("Date of birth")),
            ("valid_from", self.valid_from, self.tr("Valid from")),
            ("valid_until", self.valid_until, self.tr("Valid until")),
        ):
            try:
                dates[name] = field.value()
            except ValueError as exc:
                errors.append(f"{label}: {exc}")
        if errors:
            raise ValueError("\n".join(errors))
        return EntryInput(
            kind=self.kind, name=self.name.text(), aliases=split_list(self.aliases.text()),
            id_number=self.id_number.text() if person else "",
            sex=str(self.sex.currentData()) if person else "",
            date_of_birth=dates["date_of_birth"] if person else None,
            plate=self.plate.text() if vehicle else "",
            colour=self.colour.text() if vehicle else "",
            make_model=self.make_model.text() if vehicle else "",
            category=str(self.category.currentData()), risk=str(self.risk.currentData()),
            reason=self.reason.text(), case_reference=self.case_reference.text(),
            valid_from=dates["valid_from"], valid_until=dates["valid_until"],
            notes=self.notes.toPlainText(),
        )

    def set_editable(self, editable: bool) -> None:
        for widget in (self.name, self.aliases, self.id_number, self.plate, self.colour,
                       self.make_model, self.reason, self.case_reference, self.valid_from,
                       self.valid_until):
            widget.setReadOnly(not editable)
        self.notes.setReadOnly(not editable)
        for combo in (self.sex, self.category, self.risk):
            combo.setEnabled(editable)
        self.add_photo_button.setEnabled(editable)
