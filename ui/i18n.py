"""Translations: follow the system locale unless --lang or the settings say otherwise."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SUPPORTED = ("en", "zh_CN")


def choose_language(requested: str) -> str:
    if requested:
        return requested
    name = QLocale.system().name()  # e.g. zh_CN, en_GB
    return "zh_CN" if name.startswith("zh") else "en"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Install our translation and Qt's own (standard buttons); keep the returned list
    alive as long as the app runs."""
    if language == "en":
        return []
    translators: list[QTranslator] = []
    ours = QTranslator(app)
    qm = resources.files("resources").joinpath(f"translations/commandroom_{language}.qm")
    if ours.load(str(qm)):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        log.warning("no translation for %s at %s", language, qm)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        translators.append(qt)
    # What Qt's own translation lacks (the file dialog's "Look in" and "Files of type",
    # its Type column): English in every file dialog of a Chinese console otherwise.
    gaps = QTranslator(app)
    if gaps.load(str(resources.files("resources").joinpath(
            f"translations/qt/qtbase_gaps_{language}.qm"))):
        app.installTranslator(gaps)
        translators.append(gaps)
    QLocale.setDefault(QLocale(language))
    return translators
