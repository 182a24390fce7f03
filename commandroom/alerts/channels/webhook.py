"""HTTP webhooks: our signed JSON document, WeCom group robots, DingTalk robots.

config: {"url": ..., "preset": "generic"|"wecom"|"dingtalk", "timeout_s": 5}
secret: {"signing_secret": ...} (generic and DingTalk), {"url_params": {"key": ...}}
(the WeCom key / DingTalk access_token, which are credentials even though they ride in
the URL, so they are kept out of the stored URL).
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import quote_plus

import httpx

from commandroom.alerts.channels.base import OutboundMessage, permanent, transient
from commandroom.alerts.signing import dingtalk_sign, webhook_signature
from commandroom.redact import redact_text

PRESETS = ("generic", "wecom", "dingtalk")
# Robot APIs answer 200 with an error code in the body; these codes mean "slow down".
_ROBOT_RATE_LIMITED = {45009, 130101, -1}


class WebhookSender:
    def __init__(self, timeout_s: float = 5.0) -> None:
        # One pooled client for the dispatcher thread: keep-alive saves a TCP (and TLS)
        # handshake per message. Redirects are not followed: a moved endpoint is a config error.
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(3.0, timeout_s)),
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> None:
        preset = str(config.get("preset", "generic"))
        url = str(config.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise permanent(f"webhook URL {url!r} is not http(s)")
        params: dict[str, str] = {str(k): str(v) for k, v in secret.get("url_params", {}).items()}
        headers = {"Content-Type": "application/json", "X-Idempotency-Key": message.idempotency_key}
        if preset == "wecom":
            body = _json({"msgtype": "markdown", "markdown": {"content": message.markdown}})
        elif preset == "dingtalk":
            body = _json(
                {
                    "msgtype": "markdown",
                    "markdown": {"title": message.subject, "text": message.markdown},
                }
            )
            if secret.get("signing_secret"):
                ts_ms = int(time.time() * 1000)
                params["timestamp"] = str(ts_ms)
                params["sign"] = dingtalk_sign(str(secret["signing_secret"]), ts_ms)
        elif preset == "generic":
            body = _json(message.document)
            signing_secret = str(secret.get("signing_secret", ""))
            if signing_secret:
                ts = str(int(time.time()))
                headers["X-Commandroom-Timestamp"] = ts
                headers["X-Commandroom-Signature"] = webhook_signature(signing_secret, ts, body)
        else:
            raise permanent(f"unknown webhook preset {preset!r}")
        if params:
            # Built by hand: DingTalk's sign is already urlencoded and must not be re-encoded.
            query = "&".join(
                f"{k}={v if k == 'sign' else quote_plus(v)}" for k, v in params.items()
            )
            url = url + ("&" if "?" in url else "?") + query
        self._post(url, body, headers, robot=preset != "generic")

    def _post(self, url: str, body: bytes, headers: dict[str, str], robot: bool) -> None:
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise transient(f"timeout: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise transient(
                f"connection failed: {redact_text(str(exc)) or type(exc).__name__}"
            ) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise permanent(f"bad URL: {exc}") from exc
        code = response.status_code
        if code in (408, 429) or code >= 500:
            raise transient(f"HTTP {code}")
        if code >= 300:
            raise permanent(f"HTTP {code}: {response.text[:200]}")
        if robot:
            _check_robot_answer(response)


def _check_robot_answer(response: httpx.Response) -> None:
    try:
        answer = response.json()
        errcode = int(answer.get("errcode", 0))
    except (ValueError, AttributeError, TypeError):
        return  # a robot that answered 2xx without JSON accepted the message
    if errcode == 0:
        return
    reason = f"robot error {errcode}: {str(answer.get('errmsg', ''))[:200]}"
    if errcode in _ROBOT_RATE_LIMITED:
        raise transient(reason)
    raise permanent(reason)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
