"""Listens on ``<prefix>/+/ack`` and records acknowledgements sent by the teams' apps.

One listener per broker that an enabled team MQTT channel uses; ``MqttAckListeners``
keeps that set current when channels change during a shift.

Payload (JSON): {"alert_id": 12, "idempotency_key": "12:1:3", "member_id": 4,
"token": "<ack.token from the alert>"}. A person is named by ``member_id`` or by ``by``
(their name exactly as on the team's list); someone not on the list is refused; naming
nobody records the team's app. The token is an HMAC over alert and team under
the app key, so only someone who received the alert can acknowledge it; the topic's
team must be the key's team. The answer goes to ``<prefix>/<team>/ack/result``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.reasoncodes import ReasonCode
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.acks import AckService
from commandroom.alerts.channels.mqtt_publish import DEFAULT_PREFIX, make_client
from commandroom.alerts.events import TeamChannelsChanged
from commandroom.alerts.messages import parse_delivery_key
from commandroom.alerts.models import TeamChannelRow, TeamRow
from commandroom.alerts.signing import AckRefused, AckSigner
from commandroom.auth.permissions import SYSTEM
from commandroom.events import EventBus
from commandroom.secrets.store import SecretStore

log = logging.getLogger(__name__)


class MqttAckListener:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        acks: AckService,
        signer: AckSigner,
        config: dict[str, Any],
        secret: dict[str, Any] | None = None,
    ) -> None:
        self._sessions = sessions
        self._acks = acks
        self._signer = signer
        self._config = config
        self._prefix = str(config.get("topic_prefix", DEFAULT_PREFIX)).rstrip("/")
        self._client = make_client(config, secret or {}, client_id="")
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message
        self._client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.ready = threading.Event()  # set once subscribed (tests and health checks wait)

    def start(self) -> None:
        # connect_async + loop_start: a broker that is down now is retried in the background.
        self._client.connect_async(
            str(self._config.get("host", "")), int(self._config.get("port", 1883)), keepalive=30
        )
        self._client.loop_start()

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, rc: ReasonCode, _p: Any) -> None:
        if rc.is_failure:
            log.error("MQTT ack listener: broker refused the connection: %s", rc)
            return
        client.subscribe(f"{self._prefix}/+/ack", qos=1)

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, _mid: int, _rc: Any, _p: Any) -> None:
        self.ready.set()

    def _on_message(self, client: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        team_key = message.topic[len(self._prefix) + 1 :].split("/")[0]
        key = ""
        try:
            payload = json.loads(message.payload.decode("utf-8"))
            key = str(payload.get("idempotency_key", ""))
            accepted = self.handle(team_key, payload)
            answer = {"idempotency_key": key, "accepted": True, "team": accepted}
        except AckRefused as exc:
            log.warning("MQTT ack refused (%s): %s", team_key, exc.reason)
            answer = {"idempotency_key": key, "accepted": False, "reason": exc.reason}
        except (ValueError, AttributeError, UnicodeDecodeError) as exc:
            log.warning("MQTT ack unreadable on %s: %s", message.topic, exc)
            answer = {"idempotency_key": key, "accepted": False, "reason": "unreadable ack"}
        client.publish(f"{self._prefix}/{team_key}/ack/result", json.dumps(answer), qos=1)

    def handle(self, team_key: str, payload: dict[str, Any]) -> str:
        """Check and record one ack; returns the team key. Raises AckRefused."""
        try:
            alert_id, team_id, _channel = parse_delivery_key(str(payload["idempotency_key"]))
            claimed_alert = int(payload["alert_id"])
            token = str(payload["token"])
        except (KeyError, ValueError, TypeError) as exc:
            raise AckRefused(f"ack payload incomplete: {exc}", 400) from exc
        with self._sessions() as session:
            team = session.scalar(select(TeamRow).where(TeamRow.key == team_key))
        if team is None or team.id != team_id or claimed_alert != alert_id:
            raise AckRefused("ack topic, alert and key do not belong together", 403)
        self._signer.verify_mqtt_token(alert_id, team_id, token)
        by = f"{team_key} (MQTT)"  # the team's app, when it names nobody
        member_id, named = payload.get("member_id"), str(payload.get("by") or "").strip()
        if member_id is not None or named:
            # Whoever is named must be on the team's list, as on the ack page.
            if member_id is not None and not isinstance(member_id, int):
                raise AckRefused("member_id must be a number", 400, "unknown_member")
            by = self._acks.member_name(team_id, member_id, named)
        self._acks.record(SYSTEM, alert_id, team_id, by, "mqtt")
        return team_key


BrokerConfig = tuple[dict[str, Any], dict[str, Any]]  # (channel config, its secret)


def mqtt_brokers(sessions: sessionmaker[Session], secrets: SecretStore
                 ) -> dict[tuple[str, int], BrokerConfig]:
    """The brokers enabled team MQTT channels use, by (host, port)."""
    seen: dict[tuple[str, int], BrokerConfig] = {}
    with sessions() as session:
        rows = session.scalars(select(TeamChannelRow).where(
            TeamChannelRow.kind == "mqtt", TeamChannelRow.enabled.is_(True))).all()
        for row in rows:
            config: dict[str, Any] = json.loads(row.config)
            key = (str(config.get("host", "")), int(config.get("port", 1883)))
            if key[0] and key not in seen:
                raw = secrets.get(row.secret_ref) if row.secret_ref else None
                seen[key] = (config, json.loads(raw) if raw else {})
    return seen


class MqttAckListeners:
    """An ack listener for every broker in use, following channel changes while running.

    A broker added during a shift gets its listener when the channel is saved (not at
    the next start); one no channel uses any more is let go; one whose settings or
    password changed is reconnected with the new ones.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        secrets: SecretStore,
        acks: AckService,
        signer: AckSigner,
        events: EventBus,
    ) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._acks = acks
        self._signer = signer
        self._events = events
        self._lock = threading.Lock()
        self._running: dict[tuple[str, int], tuple[BrokerConfig, MqttAckListener]] = {}
        self._unsubscribe: Callable[[], None] | None = None
        self._stopped = False

    @property
    def listeners(self) -> list[MqttAckListener]:
        with self._lock:
            return [listener for _, listener in self._running.values()]

    def start(self) -> None:
        self._unsubscribe = self._events.subscribe(TeamChannelsChanged, lambda _e: self.sync())
        self.sync()

    def sync(self) -> None:
        wanted = mqtt_brokers(self._sessions, self._secrets)
        with self._lock:
            if self._stopped:
                return
            stale = [key for key, (broker, _) in self._running.items()
                     if wanted.get(key) != broker]
            retired = [self._running.pop(key)[1] for key in stale]
            for key, (config, secret) in wanted.items():
                if key in self._running:
                    continue
                listener = MqttAckListener(self._sessions, self._acks, self._signer, config,
                                           secret)
                self._running[key] = ((config, secret), listener)
                log.info("MQTT ack listener for %s:%d", *key)
                listener.start()  # connects in the background: quick, even if it is down
        for listener in retired:
            listener.stop()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lock:
            self._stopped = True
            running, self._running = self._running, {}
        for _, listener in running.values():
            listener.stop()
