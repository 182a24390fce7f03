"""Turns an alert row into the message one channel of one team receives."""

from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from commandroom.alerts.channels.base import OutboundMessage
from commandroom.alerts.channels.mqtt_publish import DEFAULT_PREFIX
from commandroom.alerts.content import (
    AlertContent,
    RenderContext,
    headline,
    render_html,
    render_markdown,
    render_text,
)
from commandroom.alerts.models import AlertRow, TeamChannelRow, TeamRow
from commandroom.alerts.signing import AckSigner
from commandroom.alerts.team_names import bilingual_team_name
from commandroom.files import sha256_file

log = logging.getLogger(__name__)

DEFAULT_LINK_TTL = timedelta(hours=12)


def delivery_key(alert_id: int, team_id: int, channel_id: int, escalation: int = 0) -> str:
    """Stable per message: a receiver drops a second copy with the same key. A reminder
    (escalation) is a new message on purpose, so it gets its own key."""
    base = f"{alert_id}:{team_id}:{channel_id}"
    return base if escalation == 0 else f"{base}:e{escalation}"


def parse_delivery_key(key: str) -> tuple[int, int, int]:
    parts = key.split(":")
    if len(parts) not in (3, 4) or not all(p.isdigit() for p in parts[:3]):
        raise ValueError(f"not a delivery key: {key!r}")
    return int(parts[0]), int(parts[1]), int(parts[2])


class MessageComposer:
    """``ack_base_url`` is what ``ack_links.choose_ack_base`` allowed; empty: messages
    carry no link and ask the team to acknowledge by phone instead."""

    def __init__(
        self, signer: AckSigner, ack_base_url: str, link_ttl: timedelta = DEFAULT_LINK_TTL
    ) -> None:
        self._signer = signer
        self._ack_base_url = ack_base_url.rstrip("/")
        self._link_ttl = link_ttl

    @property
    def links_enabled(self) -> bool:
        return bool(self._ack_base_url)

    def ack_url(self, alert_id: int, team_id: int, now: datetime) -> str:
        if not self._ack_base_url:
            return ""
        token = self._signer.link_token(alert_id, team_id, now + self._link_ttl)
        return f"{self._ack_base_url}/ack?t={token}"

    def compose(
        self,
        alert: AlertRow,
        team: TeamRow,
        channel: TeamChannelRow,
        key: str,
        escalation: int,
        now: datetime,
    ) -> OutboundMessage:
        content = AlertContent.from_json_dict(json.loads(alert.content))
        # The ack page lets only a listed member acknowledge: for a team with nobody on
        # file a link could not work, so its messages ask for a phone call instead.
        ack_url = self.ack_url(alert.id, team.id, now) if team.members else ""
        ctx = RenderContext(
            alert_id=alert.id,
            team_name=bilingual_team_name(team.key, team.name),
            priority=alert.priority,
            extra_line=alert.extra_line,
            ack_url=ack_url,
            escalation=escalation,
        )
        snapshot, snapshot_note = _read_snapshot(content)
        if snapshot_note:
            ctx = RenderContext(
                **{**ctx.__dict__, "extra_line": _join(ctx.extra_line, snapshot_note)}
            )
        channel_config: dict[str, Any] = json.loads(channel.config)
        prefix = str(channel_config.get("topic_prefix", DEFAULT_PREFIX)).rstrip("/")
        document: dict[str, Any] = {
            "type": "commandroom.alert",
            "version": 1,
            "alert_id": alert.id,
            "idempotency_key": key,
            "team": {"id": team.id, "key": team.key, "name": team.name},
            "priority": alert.priority,
            "escalation": escalation,
            "headline": headline(content, alert.priority),
            "content": content.to_outbound_dict(),
            "extra_line": alert.extra_line,
            "text": render_text(content, ctx),
            "snapshot": None,
            "ack": {
                "url": ack_url or None,  # None: acknowledge by phone (or by MQTT)
                "mqtt_topic": f"{prefix}/{team.key}/ack",
                "token": self._signer.mqtt_token(alert.id, team.id),
            },
        }
        name = Path(content.snapshot_path).name if content.snapshot_path else ""
        if snapshot:
            document["snapshot"] = {
                "name": name,
                "sha256": content.snapshot_sha256,
                "base64": base64.b64encode(snapshot).decode("ascii"),
            }
        return OutboundMessage(
            idempotency_key=key,
            alert_id=alert.id,
            team_id=team.id,
            team_key=team.key,
            team_name=team.name,
            priority=alert.priority,
            subject=headline(content, alert.priority),
            text=render_text(content, ctx),
            markdown=render_markdown(content, ctx),
            html=render_html(content, ctx, snapshot_cid="SNAPSHOT" if snapshot else ""),
            document=document,
            snapshot=snapshot,
            snapshot_name=name,
            content=content,
            context=ctx,
        )


def _read_snapshot(content: AlertContent) -> tuple[bytes, str]:
    """The snapshot bytes, or a note saying why it is not attached (never silently)."""
    if not content.snapshot_path:
        return b"", ""
    try:
        data = Path(content.snapshot_path).read_bytes()
    except OSError as exc:
        log.warning("alert snapshot unreadable: %s", exc)
        return b"", "snapshot file unavailable"
    expected = content.snapshot_sha256
    if expected and sha256_file(Path(content.snapshot_path)) != expected:
        log.error("alert snapshot %s does not match its SHA-256", content.snapshot_path)
        return b"", "snapshot withheld: file does not match its SHA-256"
    return data, ""


def _join(first: str, second: str) -> str:
    return f"{first} ({second})" if first else second
