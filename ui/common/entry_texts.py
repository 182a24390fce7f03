"""Words the watch-list and sighting views show for core values and core errors."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import PermissionDenied
from commandroom.notices import NoticeError
from commandroom.watchlist.records import Category, Kind, Risk, Sex
from commandroom.watchlist.validation import EntryInvalid
from ui.common.notices import error_text as notices_error_text
from ui.common.notices import notice_text

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate

log = logging.getLogger(__name__)


def kind_label(kind: str) -> str:
    labels: dict[str, str] = {
        Kind.PERSON: _tr("WatchlistTexts", "Person"),
        Kind.VEHICLE: _tr("WatchlistTexts", "Vehicle"),
    }
    return labels.get(kind, kind)


def category_label(category: str) -> str:
    labels: dict[str, str] = {
        Category.WANTED: _tr("WatchlistTexts", "Wanted"),
        Category.SUSPECT: _tr("WatchlistTexts", "Suspect"),
        Category.MISSING_PERSON: _tr("WatchlistTexts", "Missing person"),
        Category.FRAUD_RISK: _tr("WatchlistTexts", "Fraud risk"),
        Category.OTHER: _tr("WatchlistTexts", "Other"),
    }
    return labels.get(category, category)


def risk_label(risk: str) -> str:
    labels: dict[str, str] = {
        Risk.LOW: _tr("WatchlistTexts", "Low"),
        Risk.MEDIUM: _tr("WatchlistTexts", "Medium"),
        Risk.HIGH: _tr("WatchlistTexts", "High"),
    }
    return labels.get(risk, risk)


def sex_label(sex: str) -> str:
    labels: dict[str, str] = {
        Sex.UNKNOWN: _tr("WatchlistTexts", "Unknown"),
        Sex.MALE: _tr("WatchlistTexts", "Male"),
        Sex.FEMALE: _tr("WatchlistTexts", "Female"),
    }
    return labels.get(sex, sex)


def field_label(name: str) -> str:
    labels: dict[str, str] = {
        "kind": _tr("WatchlistTexts", "Kind"),
        "name": _tr("WatchlistTexts", "Name"),
        "aliases": _tr("WatchlistTexts", "Aliases"),
        "id_number": _tr("WatchlistTexts", "ID number"),
        "sex": _tr("WatchlistTexts", "Sex"),
        "date_of_birth": _tr("WatchlistTexts", "Date of birth"),
        "plate": _tr("WatchlistTexts", "Plate"),
        "colour": _tr("WatchlistTexts", "Colour"),
        "make_model": _tr("WatchlistTexts", "Make / model"),
        "category": _tr("WatchlistTexts", "Category"),
        "risk": _tr("WatchlistTexts", "Risk"),
        "reason": _tr("WatchlistTexts", "Reason"),
        "case_reference": _tr("WatchlistTexts", "Case reference"),
        "valid_from": _tr("WatchlistTexts", "Valid from"),
        "valid_until": _tr("WatchlistTexts", "Valid until"),
        "notes": _tr("WatchlistTexts", "Notes"),
    }
    return labels.get(name, name)


def error_text(exc: BaseException) -> str:
    """The sentence the officer sees for a failed core call.

    Core notices are translated; other core errors are written for the officer already;
    anything unexpected is logged and shown by its type only (its text could be a
    stack-ish repr)."""
    if isinstance(exc, PermissionDenied):
        return (
            _tr("WatchlistTexts", "You are not allowed to do this (%1 may not %2).")
            .replace("%1", exc.actor.username)
            .replace("%2", str(exc.permission))
        )
    if isinstance(exc, EntryInvalid):
        return "\n".join(notice_text(problem) for problem in exc.notices())
    if isinstance(exc, NoticeError | OSError):
        return notices_error_text(exc)
    if isinstance(exc, (ValueError, LookupError, RuntimeError)):
        return str(exc)
    log.exception("unexpected failure in a watch-list/sighting action", exc_info=exc)
    return _tr("WatchlistTexts", "The action failed unexpectedly (%1).").replace(
        "%1", type(exc).__name__
    )
