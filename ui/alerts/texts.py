"""Translated wording shared by the alert views: team names, priorities, channel kinds,
categories, the acknowledgement-link warning and a test message's answer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.alerts.ack_links import AckLinkProblem
from commandroom.alerts.channel_probe import ProbeAnswer
from commandroom.alerts.service import NoRecipients
from commandroom.auth.permissions import PermissionDenied
from ui.alerts.delivery_texts import delivery_error_text
from ui.common.auth_texts import denied_text
from ui.common.team_texts import team_label

__all__ = ["team_label"]  # kept here for the alert views, which import it from here

_tr = QCoreApplication.translate


def priority_text(priority: str) -> str:
    return {"high": _tr("AlertTexts", "high priority"),
            "normal": _tr("AlertTexts", "normal priority")}.get(priority, priority)


def priority_word(priority: str) -> str:
    return {"high": _tr("AlertTexts", "high"),
            "normal": _tr("AlertTexts", "normal")}.get(priority, priority)


def category_text(category: str) -> str:
    return {
        "wanted": _tr("AlertTexts", "wanted"),
        "suspect": _tr("AlertTexts", "suspect"),
        "missing_person": _tr("AlertTexts", "missing person"),
        "fraud_risk": _tr("AlertTexts", "fraud risk"),
        "other": _tr("AlertTexts", "other"),
    }.get(category, category)


def no_recipients_text(exc: NoRecipients) -> str:
    """Why nobody would receive the alert, and what to do (the core's reason in words)."""
    if exc.team_id is not None:
        return _tr("AlertTexts", "That team no longer exists; close this window and "
                   "tag again.")
    return _tr("AlertTexts", "No routing rule sends a “%1” alert to a team: tick at "
               "least one team under “Also send to”.").replace("%1",
                                                           category_text(exc.category))


def refusal_text(exc: BaseException) -> str | None:
    """A refusal by the core worded for the officer; None: not one of these."""
    if isinstance(exc, NoRecipients):
        return no_recipients_text(exc)
    if isinstance(exc, PermissionDenied):
        return denied_text(exc)
    return None


# (stored kind, webhook preset) -> what the administrator chooses from.
CHANNEL_TYPES: tuple[tuple[str, str], ...] = (
    ("webhook", "generic"), ("webhook", "wecom"), ("webhook", "dingtalk"),
    ("email", ""), ("mqtt", ""),
)


def alert_headline(priority: str, category: str, subject: str) -> str:
    """The console's own words for an alert ("URGENT — wanted: Zhang San"); the teams'
    message keeps its bilingual headline."""
    text = _tr("AlertTexts", "%1: %2").replace("%1", category_text(category)).replace(
        "%2", subject)
    if priority == "high":
        text = _tr("AlertTexts", "URGENT — %1").replace("%1", text)
    return text


def channel_type_text(kind: str, preset: str = "") -> str:
    if kind == "webhook":
        return {"wecom": _tr("AlertTexts", "WeCom robot"),
                "dingtalk": _tr("AlertTexts", "DingTalk robot")}.get(
            preset, _tr("AlertTexts", "Webhook"))
    return {"email": _tr("AlertTexts", "E-mail (SMTP)"),
            "mqtt": _tr("AlertTexts", "MQTT")}.get(kind, kind)


def ack_link_problem_text(problem: AckLinkProblem) -> str:
    """Why the messages carry no acknowledgement link, and what to do about it."""
    reason = {
        AckLinkProblem.NOT_CONFIGURED: _tr(
            "AlertTexts",
            "no address the teams' phones can reach is set (alerts.ack_public_url)"),
        AckLinkProblem.NOT_HTTPS: _tr(
            "AlertTexts", "alerts.ack_public_url must start with https://"),
        AckLinkProblem.NOT_REACHABLE: _tr(
            "AlertTexts",
            "alerts.ack_public_url names this computer (loopback, 0.0.0.0 or link-local), "
            "which a phone cannot reach"),
        AckLinkProblem.MALFORMED: _tr(
            "AlertTexts", "alerts.ack_public_url is not a valid https:// address"),
        AckLinkProblem.ENDPOINT_DOWN: _tr(
            "AlertTexts", "the acknowledgement endpoint could not start"),
    }[problem]
    return _tr(
        "AlertTexts",
        "Acknowledgement links are off: %1. Teams are asked to acknowledge by phone "
        "(see README, “Acknowledgement links”).").replace("%1", reason)


def probe_answer_text(answer: ProbeAnswer) -> str:
    """One or two lines: accepted or not, then the platform's own answer."""
    parts: list[str] = []
    if answer.http_status is not None:
        parts.append(_tr("AlertTexts", "HTTP %1").replace("%1", str(answer.http_status)))
    if answer.errcode is not None:
        parts.append(_tr("AlertTexts", "errcode %1").replace("%1", str(answer.errcode)))
    if answer.errmsg:
        parts.append(_tr("AlertTexts", "errmsg “%1”").replace("%1", answer.errmsg))
    if answer.kind == "email" and answer.ok:
        parts.append(_tr("AlertTexts", "accepted by the mail relay %1")
                     .replace("%1", answer.target))
    if answer.kind == "mqtt" and answer.ok:
        parts.append(_tr("AlertTexts", "broker acknowledged (PUBACK) on %1")
                     .replace("%1", answer.target))
    head = (_tr("AlertTexts", "Test message accepted (%1 ms).") if answer.ok
            else _tr("AlertTexts", "Test message NOT accepted (%1 ms)."))
    lines = [head.replace("%1", str(answer.duration_ms))]
    if parts:
        lines.append(_tr("AlertTexts", "Answer: %1").replace("%1", ", ".join(parts)))
    if answer.error:
        reason = delivery_error_text(answer.error_code, answer.error_params, answer.error)
        lines.append(_tr("AlertTexts", "Reason: %1").replace("%1", reason))
    if not answer.ok and answer.transient:
        lines.append(_tr("AlertTexts", "This looks temporary (network or server busy); "
                                       "alerts would be retried."))
    return "\n".join(lines)


def ack_refused_text(code: str, reason: str) -> str:
    """The console's wording of an acknowledgement the core refused."""
    return {
        "used": _tr("AlertTexts", "This team has already acknowledged the alert; this one "
                                  "was not counted."),
        "unknown_member": _tr("AlertTexts", "The person chosen is not a member of this team."),
        "not_sent": _tr("AlertTexts", "This alert was not sent to that team."),
    }.get(code, reason)
