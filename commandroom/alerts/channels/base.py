"""What every channel gets (one rendered message) and how it reports failure.

Failures carry a ``code`` and ``params`` (platform, errcode, limit, minutes…) besides a
technical ``reason`` for the log: the console turns the code into a sentence in the
operator's language; the core writes no user-facing sentences.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass, field
from typing import Any, Protocol

from commandroom.alerts.content import AlertContent, RenderContext

ErrorParams = dict[str, str | int]


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
    # What the text was rendered from: channels with size limits render again to fit.
    content: AlertContent | None = None
    context: RenderContext | None = None
    # Parts already accepted by the receiver in an earlier try (robots send the text,
    # then the picture): a retry goes on from there and never repeats the text.
    parts_sent: int = 0


class DeliveryError(Exception):
    """A send that did not succeed. ``transient`` errors are retried with backoff;
    permanent ones (bad address, refused credentials, 4xx) fail the delivery at once."""

    def __init__(
        self,
        reason: str,
        *,
        transient: bool,
        code: str = "",
        params: ErrorParams | None = None,
        parts_sent: int = 0,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.code = code
        self.params: ErrorParams = dict(params or {})
        self.parts_sent = parts_sent


class SendDeferred(Exception):
    """Not now, and not a failure: the receiver's rate limit (ours, or its answer). The
    delivery waits ``wait_s`` seconds and does not spend an attempt. ``called``: a
    request went out and was answered "too fast" (recorded), else nothing was sent."""

    def __init__(
        self,
        wait_s: float,
        *,
        code: str,
        params: ErrorParams | None = None,
        reason: str = "",
        called: bool = False,
        parts_sent: int = 0,
    ) -> None:
        super().__init__(reason or code)
        self.wait_s = wait_s
        self.code = code
        self.params: ErrorParams = dict(params or {})
        self.reason = reason or code
        self.called = called
        self.parts_sent = parts_sent


@dataclass(frozen=True)
class DeliveryWarning:
    """Delivered, with something missing (e.g. the picture was refused): the team has
    the alert, the console still says what did not arrive."""

    code: str
    reason: str
    params: ErrorParams = field(default_factory=dict)


def transient(reason: str, code: str = "", params: ErrorParams | None = None) -> DeliveryError:
    return DeliveryError(reason, transient=True, code=code, params=params)


def permanent(reason: str, code: str = "", params: ErrorParams | None = None) -> DeliveryError:
    return DeliveryError(reason, transient=False, code=code, params=params)


def connection_failed(exc: BaseException, what: str) -> DeliveryError:
    """A transport failure (refused, no route, name unknown, reset...) as a transient
    ``connection_failed`` error whose ``errno`` parameter the console words itself; the
    OS's own sentence is English and stays in ``detail`` for the log and as a fallback."""
    detail = str(exc) or type(exc).__name__
    return transient(f"{what} connection failed: {detail}", "connection_failed",
                     {"errno": os_error_name(exc), "detail": detail[:200]})


def os_error_name(exc: BaseException) -> str:
    """``ECONNREFUSED``, ``EHOSTUNREACH``... of the first OS error behind ``exc``;
    ``ENAME`` for a name that did not resolve, "" when there is none."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "ENAME"
        if isinstance(current, TimeoutError):
            return "ETIMEDOUT"
        if isinstance(current, OSError) and current.errno is not None \
                and current.errno in errno.errorcode:
            return errno.errorcode[current.errno]
        current = current.__cause__ or current.__context__
    return ""


class ChannelSender(Protocol):
    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> DeliveryWarning | None:
        """Deliver (None, or a warning about a part that did not arrive) or raise
        DeliveryError / SendDeferred."""
        ...

    def close(self) -> None: ...
