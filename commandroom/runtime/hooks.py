"""What a test or a benchmark may replace when it opens the core; the app uses the defaults.

Each is a constructor parameter of the service it reaches, passed through here so that
a test builds the same core as the app does, not a look-alike of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.channels.base import ChannelSender
from commandroom.alerts.dispatcher import RetryPolicy
from commandroom.alerts.escalation import EscalationPolicy
from commandroom.audit.api import AuditSink
from commandroom.camera_events.model import EventClient, EventEndpoint, EventSource
from commandroom.db.base import utcnow
from commandroom.secrets.keystore import SYSTEM_KEYRING


@dataclass(frozen=True)
class CoreHooks:
    # The wall clock of every service that dates something (audit, alerts, lockouts).
    clock: Callable[[], datetime] = utcnow
    # The OS keyring for the secret store's key and the audit anchor's; None: files only.
    keyring: Any = SYSTEM_KEYRING
    # Password hashing (tests use argon2id with tiny parameters); None: the production one.
    hasher: PasswordHasher | None = None
    # What the services append audit events to; None: the hash-chained trail itself.
    audit_sink: Callable[[sessionmaker[Session]], AuditSink] | None = None
    # Called on the new engine before migrations (e.g. a test relaxing a foreign key).
    engine_setup: Callable[[Engine], None] | None = None
    # Given: no acknowledgement endpoint is bound and message links start with this.
    ack_base_url: str | None = None
    escalation_policy: EscalationPolicy | None = None
    retry: RetryPolicy | None = None
    senders: dict[str, ChannelSender] | None = None
    # The camera event clients per source (a test's fakes); None: the protocol clients.
    event_clients: dict[EventSource, Callable[[EventEndpoint], EventClient]] | None = None
