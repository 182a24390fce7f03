"""WeCom and DingTalk group robots: the alert as each platform accepts it, paced.

Per alert a robot gets the text (fitted to the platform's byte limit by
:func:`fit_rendering`, keeping who, where, when and the link), then right after it the
snapshot: WeCom as an ``image`` message (base64 + MD5, scaled down past 2 MB), DingTalk
as a markdown picture from ``snapshot_base_url`` when the station publishes its
snapshots there (DingTalk takes pictures only by URL). The rules and their sources are
in :mod:`robot_rules`. Both parts are booked together with the robot's pacer, so the
picture follows the text at once and 20 messages a minute are never exceeded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from commandroom.alerts.channels.base import (
    DeliveryError,
    DeliveryWarning,
    ErrorParams,
    OutboundMessage,
    SendDeferred,
)
from commandroom.alerts.channels.fit import cut_to_fit, fit_rendering, utf8_len
from commandroom.alerts.channels.robot_image import fit_image
from commandroom.alerts.channels.robot_rules import (
    DINGTALK,
    DINGTALK_BODY_MAX_BYTES,
    DINGTALK_TIMESTAMP_WINDOW_S,
    RATE_LIMIT_PAUSE_S,
    WECOM,
    WECOM_IMAGE_MAX_BYTES,
    WECOM_MARKDOWN_MAX_BYTES,
    WECOM_TEXT_MAX_BYTES,
    RobotAnswer,
    classify,
)
from commandroom.alerts.content import render_markdown, render_text
from commandroom.alerts.pacing import RobotPacer, robot_identity
from commandroom.alerts.signing import dingtalk_sign

# A refused signature with the clock this far off is the clock's fault (DingTalk allows
# 1 h; a few minutes less covers the Date header's rounding and the trip).
CLOCK_BLAME_S = DINGTALK_TIMESTAMP_WINDOW_S - 300


@dataclass(frozen=True)
class Exchange:
    response: httpx.Response
    offset_s: float | None  # the server's clock minus ours, from its Date header


Post = Callable[[str, bytes, dict[str, str]], Exchange]


@dataclass(frozen=True)
class _Part:
    kind: str  # text | image
    body: bytes


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- what each platform gets ---------------------------------------------------------------
def _fitted(message: OutboundMessage, markdown: bool, limit: int,
            measure: Callable[[str], int] = utf8_len) -> str:
    if message.content is not None and message.context is not None:
        render = render_markdown if markdown else render_text
        return fit_rendering(render, message.content, message.context, limit, measure)
    return cut_to_fit(message.markdown if markdown else message.text, limit, measure)


def wecom_parts(
    message: OutboundMessage, config: dict[str, Any]
) -> tuple[list[_Part], DeliveryWarning | None]:
    if str(config.get("msgtype", "markdown")) == "text":
        text = _fitted(message, False, WECOM_TEXT_MAX_BYTES)
        parts = [_Part("text", to_json({"msgtype": "text", "text": {"content": text}}))]
    else:
        text = _fitted(message, True, WECOM_MARKDOWN_MAX_BYTES)
        parts = [_Part("text", to_json({"msgtype": "markdown", "markdown": {"content": text}}))]
    if not message.snapshot:
        return parts, None
    picture = fit_image(message.snapshot, WECOM_IMAGE_MAX_BYTES)
    if picture is None:
        return parts, DeliveryWarning(
            "robot_image_unusable", "snapshot could not be made a JPEG within 2 MB",
            {"platform": WECOM, "limit": WECOM_IMAGE_MAX_BYTES},
        )
    image = {"base64": base64.b64encode(picture).decode("ascii"),
             "md5": hashlib.md5(picture).hexdigest()}  # WeCom's check, not security
    parts.append(_Part("image", to_json({"msgtype": "image", "image": image})))
    return parts, None


def dingtalk_parts(
    message: OutboundMessage, config: dict[str, Any]
) -> tuple[list[_Part], DeliveryWarning | None]:
    title = message.subject[:60]

    def body(text: str) -> bytes:
        return to_json({"msgtype": "markdown", "markdown": {"title": title, "text": text}})

    text = _fitted(message, True, DINGTALK_BODY_MAX_BYTES, lambda t: len(body(t)))
    parts = [_Part("text", body(text))]
    base_url = str(config.get("snapshot_base_url", "")).rstrip("/")
    if message.snapshot and message.snapshot_name and base_url:
        url = f"{base_url}/{quote(message.snapshot_name)}"
        parts.append(_Part("image", body(f"![snapshot]({url})")))
    return parts, None


# -- sending ---------------------------------------------------------------------------------
class RobotChannel:
    def __init__(self, post: Post, pacer: RobotPacer, clock: Callable[[], datetime]) -> None:
        self._post = post
        self._pacer = pacer
        self._clock = clock

    def send(
        self,
        platform: str,
        message: OutboundMessage,
        config: dict[str, Any],
        secret: dict[str, Any],
        url: str,
    ) -> DeliveryWarning | None:
        params: dict[str, str] = {str(k): str(v) for k, v in secret.get("url_params", {}).items()}
        build = wecom_parts if platform == WECOM else dingtalk_parts
        parts, warning = build(message, config)
        todo = parts[message.parts_sent:]
        if not todo:
            return warning
        key = params.get("key") or params.get("access_token") or ""
        robot = robot_identity(platform, url, key)
        wait = self._pacer.take(robot, message.idempotency_key, len(todo))
        if wait > 0:
            raise SendDeferred(
                wait, code="robot_paced", reason=f"{platform} robot: 20 a minute, next turn "
                f"in {wait:.0f} s", params={"platform": platform, "wait_s": math.ceil(wait)},
                parts_sent=message.parts_sent,
            )
        sent = message.parts_sent
        for part in todo:
            target = self._signed_url(platform, url, params, secret)
            # The picture is a message of its own: a receiver that drops repeated keys
            # must not take it for a second copy of the text.
            part_key = message.idempotency_key + (f":part{sent}" if sent else "")
            headers = {"Content-Type": "application/json", "X-Idempotency-Key": part_key}
            try:
                exchange = self._post(target, part.body, headers)
            except DeliveryError as exc:
                exc.parts_sent = sent
                raise
            answer = _answer(platform, exchange.response)
            if answer is None:
                sent += 1
                continue
            problem = self._refusal(robot, answer, part, exchange.offset_s, sent,
                                    _text_limit(platform, config))
            if isinstance(problem, DeliveryWarning):
                return problem
            raise problem
        return warning

    def _signed_url(
        self, platform: str, url: str, params: dict[str, str], secret: dict[str, Any]
    ) -> str:
        query = dict(params)
        if platform == DINGTALK and secret.get("signing_secret"):
            # Signed per request: a retry minutes later needs a fresh timestamp.
            ts_ms = int(self._clock().timestamp() * 1000)
            query["timestamp"] = str(ts_ms)
            query["sign"] = dingtalk_sign(str(secret["signing_secret"]), ts_ms)
        if not query:
            return url
        # Built by hand: DingTalk's sign is already urlencoded and must not be re-encoded.
        joined = "&".join(f"{k}={v if k == 'sign' else quote_plus(v)}" for k, v in query.items())
        return url + ("&" if "?" in url else "?") + joined

    def _refusal(
        self,
        robot: str,
        answer: RobotAnswer,
        part: _Part,
        offset_s: float | None,
        sent: int,
        limit: int,
    ) -> DeliveryError | SendDeferred | DeliveryWarning:
        params: ErrorParams = {"platform": answer.platform, "errcode": answer.errcode}
        reason = f"{answer.platform} robot error {answer.errcode}: {answer.errmsg[:200]}"
        if answer.kind == "rate_limited":
            pause = RATE_LIMIT_PAUSE_S[answer.platform]
            self._pacer.pause(robot, pause)
            return SendDeferred(pause, code="robot_rate_limited", reason=reason,
                                params={**params, "wait_s": int(pause)}, called=True,
                                parts_sent=sent)
        if part.kind == "image" and sent > 0:
            # The team has the text; say the picture did not arrive, do not fail them.
            return DeliveryWarning("robot_image_refused", reason, params)
        if answer.kind == "sign_refused" and offset_s is not None and (
            abs(offset_s) >= CLOCK_BLAME_S or "timestamp" in answer.errmsg.lower()
        ):
            minutes = round(abs(offset_s) / 60)
            return DeliveryError(
                f"{reason} (the PC's clock is {minutes} min "
                f"{'behind' if offset_s > 0 else 'ahead'})",
                # Heals once the clock is set right: keep trying.
                transient=True, code="robot_clock_skew", parts_sent=sent,
                params={**params, "minutes": minutes, "behind": int(offset_s > 0)},
            )
        if answer.kind == "too_long":
            params["limit"] = limit
        code = {"bad_key": "robot_bad_key", "too_long": "robot_too_long",
                "sign_refused": "robot_sign_refused", "image_refused": "robot_image_refused",
                "busy": "robot_busy"}.get(answer.kind, "robot_refused")
        if code == "robot_refused":
            params["errmsg"] = answer.errmsg[:120]
        return DeliveryError(reason, transient=answer.transient, code=code, params=params,
                             parts_sent=sent)


def _text_limit(platform: str, config: dict[str, Any]) -> int:
    if platform == DINGTALK:
        return DINGTALK_BODY_MAX_BYTES
    if str(config.get("msgtype", "markdown")) == "text":
        return WECOM_TEXT_MAX_BYTES
    return WECOM_MARKDOWN_MAX_BYTES


def _answer(platform: str, response: httpx.Response) -> RobotAnswer | None:
    """None when the robot took the message (HTTP 200 and errcode 0)."""
    try:
        answer = response.json()
        errcode = int(answer.get("errcode", 0))
    except (ValueError, AttributeError, TypeError):
        return None  # a robot that answered 2xx without JSON accepted the message
    if errcode == 0:
        return None
    return classify(platform, errcode, str(answer.get("errmsg", "")))
