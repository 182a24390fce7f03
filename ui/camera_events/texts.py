"""Words for the camera-events codes the core returns: types, states, problems, reasons
and the plate-misread rules of a suggestion."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.camera_events.model import EventSource, EventState, ProblemCode
from commandroom.camera_events.views import DismissReason, SuggestionView
from commandroom.watchlist.plate_match import MatchRule

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def state_label(state: str) -> str:
    labels: dict[str, str] = {
        EventState.START: _tr("CameraEventTexts", "started"),
        EventState.STOP: _tr("CameraEventTexts", "ended"),
        EventState.PULSE: _tr("CameraEventTexts", "instant"),
    }
    return labels.get(state, state)


def source_label(source: str) -> str:
    labels: dict[str, str] = {
        EventSource.ONVIF: _tr("CameraEventTexts", "ONVIF"),
        EventSource.ISAPI: _tr("CameraEventTexts", "Hikvision"),
        EventSource.DAHUA: _tr("CameraEventTexts", "Dahua"),
        EventSource.LOCAL_MOTION: _tr("CameraEventTexts", "local motion detection"),
        EventSource.NONE: _tr("CameraEventTexts", "none"),
    }
    return labels.get(source, source)


def problem_label(code: str) -> str:
    labels: dict[str, str] = {
        ProblemCode.UNREACHABLE: _tr("CameraEventTexts", "unreachable"),
        ProblemCode.AUTH_FAILED: _tr("CameraEventTexts", "user name or password refused"),
        ProblemCode.BAD_RESPONSE: _tr("CameraEventTexts", "unexpected answer"),
        ProblemCode.BAD_XML: _tr("CameraEventTexts", "unreadable message"),
        ProblemCode.OVERSIZED: _tr("CameraEventTexts", "message too large"),
        ProblemCode.UNSUPPORTED: _tr("CameraEventTexts", "no events service"),
        ProblemCode.DISCONNECTED: _tr("CameraEventTexts", "disconnected, reconnecting"),
        ProblemCode.EXPIRED: _tr("CameraEventTexts", "subscription expired, renewing"),
    }
    return labels.get(code, code)


def reason_label(reason: str) -> str:
    labels: dict[str, str] = {
        DismissReason.FALSE_READ: _tr("CameraEventTexts", "False read"),
        DismissReason.NOT_THIS_VEHICLE: _tr("CameraEventTexts", "Not this vehicle"),
        DismissReason.OTHER: _tr("CameraEventTexts", "Other reason"),
    }
    return labels.get(reason, reason)


def score_text(score: float) -> str:
    return _tr("CameraEventTexts", "%1% match").replace("%1", str(round(score * 100)))


def repeats_text(repeats: int) -> str:
    """The card's first read plus ``repeats`` folded into it: "seen 3 times"."""
    if repeats <= 0:
        return ""
    return _tr("CameraEventTexts", "seen %1 times").replace("%1", str(repeats + 1))


def rules_text(suggestion: SuggestionView) -> str:
    """How the read differs from the plate on file, in words: "one character misread
    1→I", from the edits the core's match stored with the card; for a card raised before
    they were stored, the rules it matched by."""
    edits = suggestion.edits
    if edits is None:
        return ", ".join(_rule_label(rule) for rule in suggestion.rules)
    if not edits:
        return _tr("CameraEventTexts", "exact read")
    misread = [f"{e.on_file}→{e.read}" for e in edits if e.rule == MatchRule.CONFUSABLE]
    parts: list[str] = []
    if len(misread) == 1:
        parts.append(_tr("CameraEventTexts", "one character misread %1")
                     .replace("%1", misread[0]))
    elif misread:
        parts.append(_tr("CameraEventTexts", "%1 characters misread %2")
                     .replace("%1", str(len(misread))).replace("%2", ", ".join(misread)))
    for edit in edits:
        if edit.rule == MatchRule.SUBSTITUTION:
            parts.append(_tr("CameraEventTexts", "one character different (%1 read as %2)")
                         .replace("%1", edit.on_file).replace("%2", edit.read))
        elif edit.rule == MatchRule.MISSING:
            parts.append(_tr("CameraEventTexts", "one character missing (%1)")
                         .replace("%1", edit.on_file))
        elif edit.rule == MatchRule.EXTRA:
            parts.append(_tr("CameraEventTexts", "one character too many (%1)")
                         .replace("%1", edit.read))
        elif edit.rule != MatchRule.CONFUSABLE:
            parts.append(_rule_label(edit.rule))
    return "; ".join(parts)


def _rule_label(rule: str) -> str:
    labels: dict[str, str] = {
        MatchRule.EXACT: _tr("CameraEventTexts", "exact read"),
        MatchRule.CONFUSABLE: _tr("CameraEventTexts", "look-alike character misread"),
        MatchRule.TAIL_ONLY: _tr("CameraEventTexts", "province character not read"),
        MatchRule.SUBSTITUTION: _tr("CameraEventTexts", "one character different"),
        MatchRule.MISSING: _tr("CameraEventTexts", "one character missing"),
        MatchRule.EXTRA: _tr("CameraEventTexts", "one character too many"),
        MatchRule.PROVINCE_DIFFERS: _tr("CameraEventTexts", "another province character"),
    }
    return labels.get(rule, rule)
