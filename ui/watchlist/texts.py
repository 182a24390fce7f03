"""Words the watch-list and sighting views show for core values and core errors."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import PermissionDenied
from commandroom.watchlist.records import Category, Kind, Risk, Sex
from commandroom.watchlist.validation import EntryInvalid

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("WatchlistTexts", text)


def kind_label(kind: str) -> str:
    labels: dict[str, str] = {Kind.PERSON: _t("Person"), Kind.VEHICLE: _t("Vehicle")}
    return labels.get(kind, kind)


def category_label(category: str) -> str:
    labels: dict[str, str] = {
        Category.WANTED: _t("Wanted"),
        Category.SUSPECT: _t("Suspect"),
        Category.MISSING_PERSON: _t("Missing person"),
        Category.FRAUD_RISK: _t("Fraud risk"),
        Category.OTHER: _t("Other"),
    }
    return labels.get(category, category)


def risk_label(risk: str) -> str:
    labels: dict[str, str] = {Risk.LOW: _t("Low"), Risk.MEDIUM: _t("Medium"),
                              Risk.HIGH: _t("High")}
    return labels.get(risk, risk)


def sex_label(sex: str) -> str:
    labels: dict[str, str] = {Sex.UNKNOWN: _t("Unknown"), Sex.MALE: _t("Male"),
                              Sex.FEMALE: _t("Female")}
    return labels.get(sex, sex)


def field_label(name: str) -> str:
    labels: dict[str, str] = {
        "kind": _t("Kind"), "name": _t("Name"), "aliases": _t("Aliases"),
        "id_number": _t("ID number"), "sex": _t("Sex"), "date_of_birth": _t("Date of birth"),
        "plate": _t("Plate"), "colour": _t("Colour"), "make_model": _t("Make / model"),
        "category": _t("Category"), "risk": _t("Risk"), "reason": _t("Reason"),
        "case_reference": _t("Case reference"), "valid_from": _t("Valid from"),
        "valid_until": _t("Valid until"), "notes": _t("Notes"),
    }
    return labels.get(name, name)


def error_text(exc: BaseException) -> str:
    """The sentence the officer sees for a failed core call.

    Core errors are written for the officer already; anything unexpected is logged and
    shown by its type only (its text could be a stack-ish repr)."""
    if isinstance(exc, PermissionDenied):
        return _t("You are not allowed to do this (%1 may not %2).").replace(
            "%1", exc.actor.username).replace("%2", str(exc.permission))
    if isinstance(exc, EntryInvalid):
        return "\n".join(f"{field_label(name)}: {message}" for name, message in exc.errors.items())
    if isinstance(exc, (ValueError, LookupError, OSError, RuntimeError)):
        return str(exc)
    log.exception("unexpected failure in a watch-list/sighting action", exc_info=exc)
    return _t("The action failed unexpectedly (%1).").replace("%1", type(exc).__name__)
