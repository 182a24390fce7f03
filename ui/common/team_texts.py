"""A team's name as the console shows it (the alert views and the incidents both do)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.alerts.team_names import is_default_name

_tr = QCoreApplication.translate


def team_label(key: str, name: str) -> str:
    """A seeded team is shown translated until an administrator renames it."""
    if is_default_name(key, name):
        # The context stays the alert views', where these words were first translated.
        return {"community": _tr("AlertTexts", "Community policing"),
                "case": _tr("AlertTexts", "Case handling")}[key]
    return name
