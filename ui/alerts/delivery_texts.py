"""Sentences for what the alert core reports as codes: delivery errors (with their
parameters: platform, errcode, limit, minutes…) and the PC's clock health."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from commandroom.clock_health import OFF, OK, ClockReading

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def platform_name(platform: str) -> str:
    return {"wecom": _tr("DeliveryTexts", "WeCom"),
            "dingtalk": _tr("DeliveryTexts", "DingTalk")}.get(platform, platform)


def _fill(template: str, *values: object) -> str:
    # %1…%9 in order; replace from the highest so %1 never eats the start of %10.
    for n in range(len(values), 0, -1):
        template = template.replace(f"%{n}", str(values[n - 1]))
    return template


def _clock_skew(p: Mapping[str, Any]) -> str:
    if int(p.get("behind", 0)):
        text = _tr("DeliveryTexts", "%1 refused the signature: the PC's clock is %2 min "
                   "behind. Set the clock right; the alert is retried.")
    else:
        text = _tr("DeliveryTexts", "%1 refused the signature: the PC's clock is %2 min "
                   "ahead. Set the clock right; the alert is retried.")
    return _fill(text, platform_name(str(p.get("platform", ""))), p.get("minutes", "?"))


def _robot(template: str) -> Callable[[Mapping[str, Any]], str]:
    """A sentence whose %1 is the platform, %2 the errcode, %3 the extra parameter."""
    def word(p: Mapping[str, Any]) -> str:
        extra = p.get("limit", p.get("wait_s", p.get("errmsg", "")))
        return _fill(template, platform_name(str(p.get("platform", ""))),
                     p.get("errcode", ""), extra)
    return word


def _connection_failed(p: Mapping[str, Any]) -> str:
    """The OS error, in the operator's words (the OS's own sentence is English)."""
    reason = {
        "ECONNREFUSED": _tr("DeliveryTexts", "nothing accepts connections at that address"),
        "ECONNRESET": _tr("DeliveryTexts", "the receiver closed the connection"),
        "ETIMEDOUT": _tr("DeliveryTexts", "the connection timed out"),
        "EHOSTUNREACH": _tr("DeliveryTexts", "no route to the receiver"),
        "ENETUNREACH": _tr("DeliveryTexts", "the network is unreachable"),
        "ENAME": _tr("DeliveryTexts", "the receiver's name could not be resolved"),
    }.get(str(p.get("errno", "")))
    if reason is None:  # rare causes: the code itself, which a technician can look up
        reason = str(p.get("errno") or p.get("detail", ""))
    return _fill(_tr("DeliveryTexts", "could not connect to the receiver: %1"), reason)


def _sentences() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "robot_paced": _robot(_tr(
            "DeliveryTexts", "waiting for its turn at the %1 robot (20 messages a minute), "
            "about %3 s")),
        "robot_rate_limited": _robot(_tr(
            "DeliveryTexts", "%1 answered \"too fast\" (error %2): waiting %3 s; this is "
            "not counted as a failed attempt")),
        "robot_bad_key": _robot(_tr(
            "DeliveryTexts", "%1 does not know this robot (error %2): check the robot's "
            "webhook URL and key")),
        "robot_too_long": _robot(_tr(
            "DeliveryTexts", "%1 refused the message as longer than %3 bytes (error %2)")),
        "robot_sign_refused": _robot(_tr(
            "DeliveryTexts", "%1 refused the signature (error %2): check the robot's "
            "signing secret")),
        "robot_clock_skew": _clock_skew,
        "robot_image_refused": _robot(_tr(
            "DeliveryTexts", "the text arrived; %1 refused the picture (error %2)")),
        "robot_image_unusable": lambda p: _fill(_tr(
            "DeliveryTexts", "the text arrived; the snapshot could not be made a picture "
            "of at most %1 MB"), int(p.get("limit", 0)) // (1024 * 1024)),
        "robot_busy": _robot(_tr("DeliveryTexts", "%1 is busy (error %2); retrying")),
        "robot_refused": _robot(_tr(
            "DeliveryTexts", "%1 refused the message (error %2: %3)")),
        "http_status": lambda p: _fill(_tr(
            "DeliveryTexts", "the receiver answered HTTP %1"), p.get("status", "?")),
        "timeout": lambda _p: _tr("DeliveryTexts", "the receiver did not answer in time"),
        "connection_failed": _connection_failed,
        "tls_untrusted": lambda _p: _tr(
            "DeliveryTexts", "the receiver's TLS certificate is not trusted by this station"),
        "smtp_no_addresses": lambda _p: _tr(
            "DeliveryTexts", "the e-mail channel needs a sender and at least one recipient"),
        "smtp_login_refused": lambda p: _fill(_tr(
            "DeliveryTexts", "the mail relay refused the login (SMTP %1): check the user "
            "name and password"), p.get("code", "")),
        "smtp_recipient_refused": lambda p: _fill(_tr(
            "DeliveryTexts", "the mail relay refused the recipients %1"),
            p.get("recipients", "")),
        "smtp_sender_refused": lambda p: _fill(_tr(
            "DeliveryTexts", "the mail relay refused the sender address (SMTP %1)"),
            p.get("code", "")),
        "smtp_feature_missing": lambda _p: _tr(
            "DeliveryTexts", "the mail relay lacks a feature this channel needs (e.g. "
            "STARTTLS or login)"),
        "smtp_refused": lambda p: _fill(_tr(
            "DeliveryTexts", "the mail relay refused the message (SMTP %1)"),
            p.get("code", "")),
        "mqtt_no_connack": lambda _p: _tr(
            "DeliveryTexts", "the MQTT broker did not answer the connection in time"),
        "mqtt_refused": lambda p: _fill(_tr(
            "DeliveryTexts", "the MQTT broker refused the connection (%1): check the user "
            "name, password and permissions"), p.get("reason", "")),
        "mqtt_publish_failed": lambda _p: _tr(
            "DeliveryTexts", "the MQTT broker did not take the message"),
        "mqtt_no_puback": lambda _p: _tr(
            "DeliveryTexts", "the MQTT broker did not confirm the message in time"),
        "bad_url": lambda _p: _tr("DeliveryTexts", "the webhook URL is not valid"),
        "unknown_preset": lambda p: _fill(_tr(
            "DeliveryTexts", "unknown webhook kind \"%1\""), p.get("preset", "")),
        "no_sender": lambda p: _fill(_tr(
            "DeliveryTexts", "no sender for channels of kind \"%1\""), p.get("kind", "")),
        "internal_error": lambda p: _fill(_tr(
            "DeliveryTexts", "internal error (%1); retrying"), p.get("exception", "")),
    }


def delivery_error_text(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """The sentence for an error code; the core's technical text when there is none."""
    word = _sentences().get(code)
    return word(params) if word is not None else fallback


def clock_text(reading: ClockReading) -> str:
    if reading.status == OK:
        return _tr("DeliveryTexts", "Clock OK")
    if reading.status == OFF:
        return _fill(_tr("DeliveryTexts", "Clock %1 min off"), reading.minutes_off)
    return _tr("DeliveryTexts", "Clock not checked yet")


def clock_tooltip(reading: ClockReading) -> str:
    if reading.measured_at is None:
        return _tr("DeliveryTexts", "The PC's clock is compared with the Date of the answers "
                   "from the alert receivers; none has answered yet.")
    when = reading.measured_at.astimezone().strftime("%H:%M:%S")
    if reading.offset_s > 0:
        text = _tr("DeliveryTexts", "The PC's clock is %1 s behind the alert receivers' "
                   "clocks (last measured from %2 at %3). DingTalk refuses signed messages "
                   "when it is more than 60 min off.")
    else:
        text = _tr("DeliveryTexts", "The PC's clock is %1 s ahead of the alert receivers' "
                   "clocks (last measured from %2 at %3). DingTalk refuses signed messages "
                   "when it is more than 60 min off.")
    return _fill(text, round(abs(reading.offset_s)), reading.source, when)
