"""Small form fields: a date typed as YYYY-MM-DD (or empty), and live check labels."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from commandroom.watchlist.csv_format import RowInvalid, parse_date

OK_COLOUR = "#5fb96a"
BAD_COLOUR = "#ff6b6b"
NOTE_COLOUR = "#d9a441"


class DateField(QLineEdit):
    """Empty means no date; the same formats as the CSV import are accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(QCoreApplication.translate("DateField", "YYYY-MM-DD"))
        self.setMaximumWidth(140)

    def value(self) -> date | None:
        """The date, or None when empty; ValueError with a sentence when unreadable."""
        try:
            return parse_date("date", self.text().strip())
        except RowInvalid:
            raise ValueError(QCoreApplication.translate(
                "DateField", "'%1' is not a date (use YYYY-MM-DD)").replace(
                    "%1", self.text().strip())) from None

    def set_value(self, value: date | None) -> None:
        self.setText(value.isoformat() if value else "")


class CheckLabel(QLabel):
    """The live verdict under a field: green when good, amber for a note, red when wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.verdict = ""

    def show_ok(self, text: str) -> None:
        self._show("ok", text, OK_COLOUR)

    def show_note(self, text: str) -> None:
        self._show("note", text, NOTE_COLOUR)

    def show_bad(self, text: str) -> None:
        self._show("bad", text, BAD_COLOUR)

    def reset(self) -> None:
        self._show("", "", OK_COLOUR)

    def _show(self, verdict: str, text: str, colour: str) -> None:
        self.verdict = verdict
        self.setText(text)
        self.setStyleSheet(f"color: {colour};")
        self.setVisible(bool(text))
