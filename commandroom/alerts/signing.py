"""HMAC signatures: outgoing webhooks, DingTalk's signed URL, ack links and MQTT ack tokens.

All comparisons use ``hmac.compare_digest`` (constant time); all timestamps are checked
against a tolerance so a captured request cannot be replayed later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as pysecrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus

from commandroom.secrets.store import SecretStore

ACK_KEY_REF = "alerts.ack-signing-key"
WEBHOOK_TOLERANCE_S = 300


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


def verify_webhook(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now_epoch: float,
    tolerance_s: float = WEBHOOK_TOLERANCE_S,
) -> bool:
    """What a receiver does (and what our test receiver does, too)."""
    try:
        age = abs(now_epoch - int(timestamp))
    except ValueError:
        return False
    if age > tolerance_s:
        return False
    return hmac.compare_digest(webhook_signature(secret, timestamp, body), signature)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk robot 'additional signature': base64(HMAC-SHA256(secret, ts + "\\n" + secret))."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def load_or_create_ack_key(store: SecretStore) -> bytes:
    existing = store.get(ACK_KEY_REF)
    if existing:
        return base64.urlsafe_b64decode(existing)
    key = pysecrets.token_bytes(32)
    store.put(base64.urlsafe_b64encode(key).decode("ascii"), ACK_KEY_REF)
    return key


class AckRefused(Exception):
    """An acknowledgement that must not count; ``reason`` is shown to whoever sent it.
    ``code`` says which refusal it is, so a page or the console can word it in its own
    language (see ``ack_page.REFUSALS``)."""

    def __init__(self, reason: str, http_status: int = 403, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.code = code


@dataclass(frozen=True)
class AckClaim:
    alert_id: int
    team_id: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


class AckSigner:
    """Signs ack links (expiring) and per-recipient MQTT ack tokens with one app key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, purpose: str, payload: str) -> str:
        return _b64(hmac.new(self._key, f"{purpose}|{payload}".encode(), "sha256").digest())

    def link_token(self, alert_id: int, team_id: int, expires: datetime) -> str:
        payload = f"{alert_id}.{team_id}.{int(expires.timestamp())}"
        return f"{payload}.{self._mac('link', payload)}"

    def verify_link_token(self, token: str, now: datetime) -> AckClaim:
        parts = token.split(".")
        if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
            raise AckRefused("This acknowledgement link is malformed.", 400, "malformed")
        payload = ".".join(parts[:3])
        if not hmac.compare_digest(self._mac("link", payload), parts[3]):
            raise AckRefused("This acknowledgement link is not genuine.", 403, "forged")
        if int(parts[2]) < now.timestamp():
            raise AckRefused("This acknowledgement link has expired.", 410, "expired")
        return AckClaim(alert_id=int(parts[0]), team_id=int(parts[1]))

    def mqtt_token(self, alert_id: int, team_id: int) -> str:
        return self._mac("mqtt", f"{alert_id}.{team_id}")

    def verify_mqtt_token(self, alert_id: int, team_id: int, token: str) -> None:
        if not hmac.compare_digest(self.mqtt_token(alert_id, team_id), token):
            raise AckRefused("The ack token does not match this alert and team.", 403,
                              "forged")
