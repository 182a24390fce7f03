"""MQTT: one topic per team (``<prefix>/<team key>``), QoS 1, wait for the broker's PUBACK.

config: {"host", "port", "tls": bool, "ca_file", "username", "topic_prefix",
         "timeout_s"}; secret: {"password": ...}
"""

from __future__ import annotations

import json
import ssl
import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from commandroom.alerts.channels.base import (
    OutboundMessage,
    connection_failed,
    permanent,
    transient,
)

DEFAULT_PREFIX = "commandroom/alerts"


def team_topic(config: dict[str, Any], team_key: str) -> str:
    return f"{str(config.get('topic_prefix', DEFAULT_PREFIX)).rstrip('/')}/{team_key}"


def make_client(config: dict[str, Any], secret: dict[str, Any], client_id: str) -> mqtt.Client:
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv311,
    )
    if config.get("tls"):
        client.tls_set_context(ssl.create_default_context(cafile=config.get("ca_file") or None))
    if config.get("username"):
        client.username_pw_set(str(config["username"]), str(secret.get("password", "")))
    return client


class MqttSender:
    def close(self) -> None:
        """One short session per message: a broker restart never leaves a stale client."""

    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> None:
        timeout = float(config.get("timeout_s", 5.0))
        client = make_client(config, secret, client_id="")
        connected = threading.Event()
        outcome: dict[str, ReasonCode] = {}

        def on_connect(_c: mqtt.Client, _u: Any, _f: Any, rc: ReasonCode, _p: Any) -> None:
            outcome["rc"] = rc
            connected.set()

        client.on_connect = on_connect
        try:
            client.connect(str(config.get("host", "")), int(config.get("port", 1883)), keepalive=30)
        except ssl.SSLCertVerificationError as exc:
            # Retrying will not make the broker's certificate trusted: say so at once.
            raise permanent(f"TLS certificate not trusted: {exc.verify_message}", "tls_untrusted",
                            {"detail": str(exc.verify_message)}) from exc
        except (OSError, ValueError) as exc:
            raise connection_failed(exc, "MQTT") from exc
        client.loop_start()
        try:
            if not connected.wait(timeout):
                raise transient("MQTT broker did not answer CONNECT in time", "mqtt_no_connack")
            rc = outcome["rc"]
            if rc.is_failure:
                # Bad credentials or not authorised will not heal by retrying.
                raise permanent(f"MQTT broker refused the connection: {rc}", "mqtt_refused",
                                {"reason": str(rc)})
            payload = json.dumps(message.document, ensure_ascii=False).encode("utf-8")
            info = client.publish(team_topic(config, message.team_key), payload, qos=1)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError) as exc:
                raise transient(f"MQTT publish failed: {exc}", "mqtt_publish_failed",
                                {"detail": str(exc)[:200]}) from exc
            if not info.is_published():
                raise transient("MQTT broker did not acknowledge (PUBACK) in time",
                                "mqtt_no_puback")
        finally:
            client.disconnect()
            client.loop_stop()
