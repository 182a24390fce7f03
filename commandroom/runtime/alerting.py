"""The alerting part of the core: services the console calls, and the workers that send,
listen for acknowledgements and raise alerts on the wall.

Built by ``Core.alerting``; ``start`` runs the workers, ``stop`` ends them in reverse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.ack_links import AckLinkBase, choose_ack_base
from commandroom.alerts.ack_server import AckHttpServer
from commandroom.alerts.acks import AckService
from commandroom.alerts.board import AlertBoard
from commandroom.alerts.channel_probe import ChannelProbe
from commandroom.alerts.dispatcher import Dispatcher
from commandroom.alerts.escalation import EscalationMonitor
from commandroom.alerts.from_sighting import SightingAlerts
from commandroom.alerts.messages import MessageComposer
from commandroom.alerts.mqtt_acks import MqttAckListeners
from commandroom.alerts.service import AlertService
from commandroom.alerts.signing import AckSigner, load_or_create_ack_key
from commandroom.alerts.teams import TeamService
from commandroom.alerts.wall_relay import WallAlertRelay
from commandroom.audit.api import AuditSink
from commandroom.cameras.registry import CameraRegistry
from commandroom.clock_health import ClockHealth
from commandroom.config import AlertSettings
from commandroom.events import EventBus
from commandroom.runtime.hooks import CoreHooks
from commandroom.secrets.store import SecretStore
from commandroom.sightings.service import SightingService
from commandroom.watchlist.service import WatchlistService

log = logging.getLogger(__name__)

Step = tuple[str, Callable[[], object]]


@dataclass
class Alerting:
    service: AlertService
    drafts: SightingAlerts  # sighting -> alert draft, before the officer sends it
    board: AlertBoard
    teams: TeamService
    acks: AckService
    signer: AckSigner
    composer: MessageComposer
    escalation: EscalationMonitor
    dispatcher: Dispatcher
    relay: WallAlertRelay
    ack_server: AckHttpServer | None
    mqtt_acks: MqttAckListeners
    clock_health: ClockHealth
    ack_link: AckLinkBase  # the base of the links in messages, or why there are none
    probe: ChannelProbe  # the Teams window's "Send test message"
    problem: str = ""  # a sentence for the console when part of it could not start

    def start_steps(self) -> list[Step]:
        """In order: the wall relay, the dispatcher (it sends what an earlier run left in
        the outbox), the ack link endpoint, the MQTT ack listeners (they follow team
        channels saved while running)."""
        steps: list[Step] = [("wall alert relay", self.relay.start),
                             ("alert dispatcher", self.dispatcher.start)]
        if self.ack_server is not None:
            steps.append(("acknowledgement endpoint", self.ack_server.start))
        steps.append(("MQTT acknowledgement listeners", self.mqtt_acks.start))
        return steps

    def stop_steps(self) -> list[Step]:
        """The reverse; each is harmless on a part that never started. The endpoint's
        socket is bound when it is built, so it is closed even if it never served."""
        steps: list[Step] = [("MQTT acknowledgement listeners", self.mqtt_acks.stop)]
        if self.ack_server is not None:
            steps.append(("acknowledgement endpoint", self.ack_server.stop))
        steps += [("alert dispatcher", self.dispatcher.stop),
                  ("wall alert relay", self.relay.stop)]
        return steps


@dataclass(frozen=True)
class AlertingNeeds:
    """What alerting is built on, from the rest of the core."""

    sessions: sessionmaker[Session]
    secrets: SecretStore
    audit: AuditSink
    events: EventBus
    teams: TeamService
    sightings: SightingService
    watchlist: WatchlistService
    registry: CameraRegistry
    data_dir: Path


def build_alerting(needs: AlertingNeeds, settings: AlertSettings, hooks: CoreHooks) -> Alerting:
    sessions, secrets, audit, events = needs.sessions, needs.secrets, needs.audit, needs.events
    clock: Callable[[], datetime] = hooks.clock
    signer = AckSigner(load_or_create_ack_key(secrets))
    acks = AckService(sessions, audit, events, clock)
    ack_server, problem = _ack_endpoint(acks, signer, settings, hooks)
    ack_link = _ack_link(settings, ack_server, hooks)
    # Fed by the Date of every answer the channels get; the status bar shows it.
    clock_health = ClockHealth(events, clock)
    composer = MessageComposer(signer, ack_link.url)
    escalation = EscalationMonitor(sessions, audit, events, hooks.escalation_policy)
    teams = needs.teams
    return Alerting(
        service=AlertService(sessions, audit, events, acks, clock, ack_links=ack_link.usable),
        drafts=SightingAlerts(sessions, needs.sightings, needs.watchlist, needs.registry,
                              teams, needs.data_dir),
        board=AlertBoard(sessions), teams=teams, acks=acks, signer=signer, composer=composer,
        escalation=escalation,
        dispatcher=Dispatcher(sessions, secrets, events, composer, escalation=escalation,
                              senders=hooks.senders, retry=hooks.retry, clock=clock,
                              clock_health=clock_health),
        relay=WallAlertRelay(sessions, events), ack_server=ack_server,
        mqtt_acks=MqttAckListeners(sessions, secrets, acks, signer, events),
        clock_health=clock_health, ack_link=ack_link,
        probe=ChannelProbe(sessions, secrets, audit, clock), problem=problem)


def _ack_endpoint(acks: AckService, signer: AckSigner, settings: AlertSettings,
                  hooks: CoreHooks) -> tuple[AckHttpServer | None, str]:
    if hooks.ack_base_url is not None:
        return None, ""
    try:
        return AckHttpServer(acks, signer, settings, hooks.clock), ""
    except OSError as exc:  # port taken, certificate unreadable: alerts go out, no links
        problem = f"the acknowledgement link endpoint could not listen on " \
                  f"{settings.ack_bind}:{settings.ack_port} ({exc.strerror or exc})"
        log.error("alerts: %s", problem)
        return None, problem


def _ack_link(settings: AlertSettings, ack_server: AckHttpServer | None,
              hooks: CoreHooks) -> AckLinkBase:
    if hooks.ack_base_url is not None:
        return AckLinkBase(hooks.ack_base_url)
    ack_link = choose_ack_base(settings, ack_server is not None,
                               ack_server is not None and ack_server.tls,
                               ack_server.port if ack_server is not None else 0)
    if ack_link.problem is not None:
        log.warning("alerts: messages carry no acknowledgement link (%s); teams are asked "
                    "to acknowledge by phone", ack_link.problem)
    return ack_link
