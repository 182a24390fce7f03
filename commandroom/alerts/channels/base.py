"""What every channel gets (one rendered message) and how it reports failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class OutboundMessage:
    idempotency_key: str
    alert_id: int
    team_id: int
    team_key: str
    team_name: str
    priority: str
    subject: str
    text: str
    markdown: str
    html: str
    # Machine-readable document (webhook body, MQTT payload); holds the snapshot.
    document: dict[str, Any] = field(default_factory=dict)
    snapshot: bytes = b""
    snapshot_name: str = ""


class DeliveryError(Exception):
    """A send that did not succeed. ``transient`` errors are retried with backoff;
    permanent ones (bad address, refused credentials, 4xx) fail the delivery at once."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


def transient(reason: str) -> DeliveryError:
    return DeliveryError(reason, transient=True)


def permanent(reason: str) -> DeliveryError:
    return DeliveryError(reason, transient=False)


class ChannelSender(Protocol):
    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> None:
        """Deliver or raise DeliveryError."""
        ...

    def close(self) -> None: ...
