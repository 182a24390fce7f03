"""A test message through one channel, and what the platform answered.

The Teams window's "Send test message" calls this off the GUI thread. The message goes
through the same sender the dispatcher uses (so a test proves the real path: signature,
robot preset, TLS, login), with an idempotency key of its own so it never collides with
an alert. The answer is kept as facts (HTTP status, the robot's errcode and errmsg, the
relay's or broker's result); the UI words them.
"""

from __future__ import annotations

import contextlib
import json
import secrets as pysecrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.channels.base import ChannelSender, DeliveryError, OutboundMessage
from commandroom.alerts.channels.mqtt_publish import MqttSender, team_topic
from commandroom.alerts.channels.smtp_mail import EmailSender
from commandroom.alerts.channels.webhook import WebhookSender
from commandroom.alerts.models import TeamChannelRow, TeamRow
from commandroom.alerts.team_names import bilingual_team_name
from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.db.base import utcnow
from commandroom.redact import redact_text
from commandroom.secrets.store import SecretStore

MAX_BODY_SHOWN = 300


@dataclass(frozen=True)
class ProbeAnswer:
    """What came back. ``http_status``/``errcode``/``errmsg`` for webhooks and robots;
    ``target`` says where it went (relay, broker topic); ``error`` is the sender's reason
    when the platform refused or could not be reached."""

    ok: bool
    kind: str
    channel: str
    target: str = ""
    http_status: int | None = None
    errcode: int | None = None
    errmsg: str = ""
    body: str = ""
    error: str = ""  # technical, for the log
    error_code: str = ""  # what the console words (see DeliveryError)
    error_params: dict[str, str | int] = field(default_factory=dict)
    transient: bool = False
    duration_ms: int = 0


class _AnsweringWebhookSender(WebhookSender):
    """The dispatcher's webhook sender, keeping the last HTTP answer it received."""

    def __init__(self) -> None:
        super().__init__()
        self.last: httpx.Response | None = None
        self._client.event_hooks["response"].append(self._keep)

    def _keep(self, response: httpx.Response) -> None:
        response.read()  # the hook runs before the body is read; the sender reads it again
        self.last = response


def probe_message(team_key: str, team_name: str, channel: str, now: datetime) -> OutboundMessage:
    """Bilingual like every message to the teams; says plainly that nothing is to be done."""
    local = now.astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    subject = "测试消息 Test message — commandroom"
    lines = [
        ("队伍 Team", bilingual_team_name(team_key, team_name)),
        ("通道 Channel", channel),
        ("时间 Time", local),
        ("说明 Note", "这是指挥室的测试消息，无需处置。 This is a test from the command room; "
                     "no action is needed."),
    ]
    text = "\n".join([subject] + [f"{label}: {value}" for label, value in lines])
    markdown = "\n".join([f"### {subject}"] + [f"> **{label}**: {value}"
                                                for label, value in lines])
    html = "<html><body><h2>" + subject + "</h2>" + "".join(
        f"<p><b>{label}</b>: {value}</p>" for label, value in lines) + "</body></html>"
    key = f"test:{pysecrets.token_hex(6)}"
    return OutboundMessage(
        idempotency_key=key, alert_id=0, team_id=0, team_key=team_key, team_name=team_name,
        priority="normal", subject=subject, text=text, markdown=markdown, html=html,
        document={"type": "commandroom.test", "version": 1, "idempotency_key": key,
                  "team": {"key": team_key, "name": team_name}, "text": text},
    )


def _target(kind: str, config: dict[str, Any], team_key: str) -> str:
    if kind == "webhook":
        return str(config.get("url", ""))
    host = str(config.get("host", ""))
    if kind == "email":
        return f"{host}:{config.get('port', '')} → {', '.join(map(str, config.get('to', [])))}"
    return f"{host}:{config.get('port', 1883)} {team_topic(config, team_key)}"


class ChannelProbe:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        secrets: SecretStore,
        audit: AuditSink,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._audit = audit
        self._clock = clock

    @requires(Permission.EDIT_TEAMS)
    def send_test(self, actor: Actor, channel_id: int) -> ProbeAnswer:
        """Send a test message now through channel ``channel_id`` (blocks up to the
        channel's timeout: call it from a worker thread)."""
        with self._sessions() as session:
            row = session.get(TeamChannelRow, channel_id)
            if row is None:
                raise LookupError(f"there is no channel {channel_id}")
            team = session.get_one(TeamRow, row.team_id)
            kind, name, config_text, ref = row.kind, row.name, row.config, row.secret_ref
            team_key, team_name = team.key, team.name
        config: dict[str, Any] = json.loads(config_text)
        raw = self._secrets.get(ref) if ref else None
        secret: dict[str, Any] = json.loads(raw) if raw else {}
        message = probe_message(team_key, team_name, name, self._clock())
        webhook = _AnsweringWebhookSender() if kind == "webhook" else None
        sender: ChannelSender = webhook or (EmailSender() if kind == "email" else MqttSender())
        started = time.monotonic()
        error: DeliveryError | None = None
        try:
            sender.send(message, config, secret)
        except DeliveryError as exc:
            error = exc
        finally:
            sender.close()
        answer = ProbeAnswer(
            ok=error is None, kind=kind, channel=name, target=_target(kind, config, team_key),
            error=redact_text(error.reason) if error else "",
            error_code=error.code if error else "",
            error_params=dict(error.params) if error else {},
            transient=bool(error and error.transient),
            duration_ms=int((time.monotonic() - started) * 1000),
            **_http_facts(webhook.last if webhook else None),
        )
        with self._sessions.begin() as session:
            self._audit.append(session, actor, "team.channel.test", f"team:{team_key}",
                               {"channel": name, "kind": kind, "ok": answer.ok,
                                "http_status": answer.http_status, "errcode": answer.errcode})
        return answer


def _http_facts(response: httpx.Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    facts: dict[str, Any] = {"http_status": response.status_code,
                             "body": redact_text(response.text[:MAX_BODY_SHOWN])}
    try:
        data = response.json()
    except ValueError:
        return facts
    if isinstance(data, dict) and "errcode" in data:
        with contextlib.suppress(TypeError, ValueError):
            facts["errcode"] = int(data["errcode"])
        facts["errmsg"] = str(data.get("errmsg", ""))[:MAX_BODY_SHOWN]
    return facts
