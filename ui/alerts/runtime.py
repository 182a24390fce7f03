"""Builds and runs the alerting workers for the composition root: the dispatcher, the ack
link endpoint, the MQTT ack listeners (which follow team channels saved while running)
and the wall relay; stops them in reverse order."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.ack_links import AckLinkBase, choose_ack_base
from commandroom.alerts.ack_server import AckHttpServer
from commandroom.alerts.acks import AckService
from commandroom.alerts.board import AlertBoard
from commandroom.alerts.channel_probe import ChannelProbe
from commandroom.alerts.dispatcher import Dispatcher
from commandroom.alerts.escalation import EscalationMonitor
from commandroom.alerts.messages import MessageComposer
from commandroom.alerts.mqtt_acks import MqttAckListeners
from commandroom.alerts.service import AlertService
from commandroom.alerts.signing import AckSigner, load_or_create_ack_key
from commandroom.alerts.teams import TeamService
from commandroom.alerts.wall_relay import WallAlertRelay
from commandroom.audit.api import AuditSink
from commandroom.clock_health import ClockHealth
from commandroom.config import AlertSettings
from commandroom.events import EventBus
from commandroom.secrets.store import SecretStore

log = logging.getLogger(__name__)


@dataclass
class Alerting:
    service: AlertService
    board: AlertBoard
    teams: TeamService
    acks: AckService
    dispatcher: Dispatcher
    relay: WallAlertRelay
    ack_server: AckHttpServer | None
    mqtt_acks: MqttAckListeners
    clock_health: ClockHealth
    ack_link: AckLinkBase  # the base of the links in messages, or why there are none
    probe: ChannelProbe  # the Teams window's "Send test message"
    problem: str = ""  # a sentence for the console when part of it could not start

    def stop(self) -> None:
        self.mqtt_acks.stop()
        if self.ack_server is not None:
            self.ack_server.stop()
        self.dispatcher.stop()
        self.relay.stop()


def build_alerting(sessions: sessionmaker[Session], secrets: SecretStore, audit: AuditSink,
                   events: EventBus, settings: AlertSettings) -> Alerting:
    signer = AckSigner(load_or_create_ack_key(secrets))
    acks = AckService(sessions, audit, events)
    problem = ""
    try:
        ack_server: AckHttpServer | None = AckHttpServer(acks, signer, settings)
    except OSError as exc:  # port taken, certificate unreadable: alerts go out, no links
        ack_server = None
        problem = f"the acknowledgement link endpoint could not listen on " \
                  f"{settings.ack_bind}:{settings.ack_port} ({exc.strerror or exc})"
        log.error("alerts: %s", problem)
    ack_link = choose_ack_base(settings, ack_server is not None,
                               ack_server is not None and ack_server.tls,
                               ack_server.port if ack_server is not None else 0)
    if ack_link.problem is not None:
        log.warning("alerts: messages carry no acknowledgement link (%s); teams are asked "
                    "to acknowledge by phone", ack_link.problem)
    # Fed by the Date of every answer the channels get; the status bar shows it.
    clock_health = ClockHealth(events)
    dispatcher = Dispatcher(sessions, secrets, events, MessageComposer(signer, ack_link.url),
                            escalation=EscalationMonitor(sessions, audit, events),
                            clock_health=clock_health)
    return Alerting(
        service=AlertService(sessions, audit, events, acks, ack_links=ack_link.usable),
        board=AlertBoard(sessions),
        teams=TeamService(sessions, secrets, audit, events), acks=acks, dispatcher=dispatcher,
        relay=WallAlertRelay(sessions, events), ack_server=ack_server,
        mqtt_acks=MqttAckListeners(sessions, secrets, acks, signer, events),
        clock_health=clock_health, ack_link=ack_link, probe=ChannelProbe(sessions, secrets, audit),
        problem=problem)


def start_alerting(alerting: Alerting) -> None:
    alerting.relay.start()
    alerting.dispatcher.start()  # sends what an earlier run left in the outbox
    if alerting.ack_server is not None:
        alerting.ack_server.start()
    alerting.mqtt_acks.start()  # and follows team channels saved while running
