"""HTTP webhooks: our signed JSON document, WeCom group robots, DingTalk robots.

config: {"url": ..., "preset": "generic"|"wecom"|"dingtalk", "timeout_s": 5,
         "msgtype": "markdown"|"text" (WeCom), "snapshot_base_url": ... (DingTalk: where
         the station publishes its snapshots, for the picture)}
secret: {"signing_secret": ...} (generic and DingTalk), {"url_params": {"key": ...}}
(the WeCom key / DingTalk access_token, which are credentials even though they ride in
the URL, so they are kept out of the stored URL).

Every answer's ``Date`` header tells how far the PC's clock is off (ClockHealth).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlsplit

import httpx

from commandroom.alerts.channels.base import (
    DeliveryWarning,
    OutboundMessage,
    connection_failed,
    permanent,
    transient,
)
from commandroom.alerts.channels.robot_rules import DINGTALK, WECOM
from commandroom.alerts.channels.robots import Exchange, RobotChannel, to_json
from commandroom.alerts.pacing import RobotPacer
from commandroom.alerts.signing import webhook_signature
from commandroom.clock_health import ClockHealth, offset_from_date_header
from commandroom.db.base import utcnow
from commandroom.redact import redact_text

PRESETS = ("generic", WECOM, DINGTALK)


class WebhookSender:
    def __init__(
        self,
        timeout_s: float = 5.0,
        *,
        clock: Callable[[], datetime] = utcnow,
        pacer: RobotPacer | None = None,
        clock_health: ClockHealth | None = None,
    ) -> None:
        # One pooled client for the dispatcher thread: keep-alive saves a TCP (and TLS)
        # handshake per message. Redirects are not followed: a moved endpoint is a config error.
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(3.0, timeout_s)),
            follow_redirects=False,
        )
        self._clock = clock
        self._clock_health = clock_health
        self._robots = RobotChannel(self._exchange, pacer or RobotPacer(clock), clock)

    def close(self) -> None:
        self._client.close()

    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> DeliveryWarning | None:
        preset = str(config.get("preset", "generic"))
        url = str(config.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise permanent(f"webhook URL {url!r} is not http(s)", "bad_url")
        if preset in (WECOM, DINGTALK):
            return self._robots.send(preset, message, config, secret, url)
        if preset != "generic":
            raise permanent(f"unknown webhook preset {preset!r}", "unknown_preset",
                            {"preset": preset})
        body = to_json(message.document)
        headers = {"Content-Type": "application/json", "X-Idempotency-Key": message.idempotency_key}
        signing_secret = str(secret.get("signing_secret", ""))
        if signing_secret:
            ts = str(int(time.time()))
            headers["X-Commandroom-Timestamp"] = ts
            headers["X-Commandroom-Signature"] = webhook_signature(signing_secret, ts, body)
        params: dict[str, str] = {str(k): str(v) for k, v in secret.get("url_params", {}).items()}
        if params:
            query = "&".join(f"{k}={quote_plus(v)}" for k, v in params.items())
            url = url + ("&" if "?" in url else "?") + query
        self._exchange(url, body, headers)
        return None

    def _exchange(self, url: str, body: bytes, headers: dict[str, str]) -> Exchange:
        """POST; raises DeliveryError for transport failures and HTTP errors, returns the
        answer (robots say more in its body) and the clock offset its Date header shows."""
        sent_at = self._clock()
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise transient(f"timeout: {type(exc).__name__}", "timeout") from exc
        except httpx.TransportError as exc:
            error = connection_failed(exc, "HTTP")
            error.params["detail"] = redact_text(str(error.params["detail"]))
            raise error from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise permanent(f"bad URL: {exc}", "bad_url") from exc
        offset = self._measure_clock(url, response, sent_at)
        code = response.status_code
        if code in (408, 429) or code >= 500:
            raise transient(f"HTTP {code}", "http_status", {"status": code})
        if code >= 300:
            raise permanent(f"HTTP {code}: {response.text[:200]}", "http_status",
                            {"status": code})
        return Exchange(response, offset)

    def _measure_clock(self, url: str, response: httpx.Response, sent_at: datetime) -> float | None:
        date = response.headers.get("date")
        if not date:
            return None
        offset = offset_from_date_header(date, sent_at, self._clock())
        if offset is not None and self._clock_health is not None:
            self._clock_health.record(f"webhook {urlsplit(url).hostname}", offset)
        return offset
