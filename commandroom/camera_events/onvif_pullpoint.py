"""One camera's ONVIF events over a PullPoint subscription (an ``EventClient``).

The conversation: probe the device (clock offset for WS-Security, service XAddrs) with
the ONVIF core's ``CameraClient``; GetEventProperties (the topics, kept for the UI);
CreatePullPointSubscription; then PullMessages as a long poll, Renew before the
termination time, and Unsubscribe on stop. Every request goes through the ONVIF core's
SOAP sender (``commandroom.onvif.soap``): its envelope, UsernameToken digest with the
camera's clock offset, HTTP Digest and the vendor quirks of its reply reader.

``run_once`` runs a private asyncio loop on the intake's thread. ``abort`` (another
thread) cancels the request in flight, which closes its connection: a long poll held by
the camera ends at once, and the subscription is still unsubscribed (bounded wait).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import aiohttp

from commandroom.camera_events.model import (
    EventClientError,
    EventEndpoint,
    EventProblem,
    EventSink,
    ProblemCode,
    ProblemSink,
)
from commandroom.camera_events.onvif_notifications import (
    SubscriptionReply,
    duration,
    event_topics,
    pull_batch,
    subscription_reply,
)
from commandroom.onvif.camera import CameraClient
from commandroom.onvif.errors import (
    INVALID_XML,
    NOT_IMPLEMENTED,
    OnvifAuthError,
    OnvifError,
    OnvifFaultError,
    OnvifNotSupportedError,
    OnvifTimeoutError,
    OnvifUnreachableError,
    translate,
)
from commandroom.onvif.models import CameraEndpoint
from commandroom.onvif.soap import call, new_session
from commandroom.onvif.uri_repair import repair_uri
from commandroom.onvif.xmlparse import Element

_log = logging.getLogger(__name__)
T = TypeVar("T")

PULL_TIMEOUT_S = 5.0  # the long poll: stop is honoured within this even without abort
MESSAGE_LIMIT = 100
TERM_S = 60.0  # the subscription's asked-for life; renewed at RENEW_AT of what is granted
RENEW_AT = 2 / 3
REQUEST_TIMEOUT_S = 4.0  # every request but the long poll
UNSUBSCRIBE_WAIT_S = 2.0  # stopping never waits longer than this on a silent camera
MIN_PULL_S = 0.2  # a pull shorter than this is not worth a request: renew first
MAX_BAD_REPLIES = 3  # unreadable PullMessages replies in a row before reconnecting


_WSA = 'xmlns:wsa="http://www.w3.org/2005/08/addressing"'
_ACTIONS = {
    "PullMessages": "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/"
                    "PullMessagesRequest",
    "Renew": "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest",
    "Unsubscribe": "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest",
}


@dataclass(frozen=True)
class _Manager:
    """Where a subscription is managed. Cameras that serve every subscription at one
    address (Axis' /onvif/services) tell them apart by the reference parameters of the
    SubscriptionReference, which WS-Addressing says to send back as SOAP headers."""

    address: str
    reference_parameters: tuple[str, ...] = ()

    def headers(self, operation: str) -> str:
        return (f"<wsa:Action {_WSA}>{_ACTIONS[operation]}</wsa:Action>"
                f"<wsa:To {_WSA}>{escape(self.address)}</wsa:To>"
                + "".join(self.reference_parameters))


class _Aborted(Exception):
    """abort() cancelled the request in flight."""


def _problem_code(error: OnvifError, fault: ProblemCode) -> ProblemCode:
    if isinstance(error, OnvifAuthError):
        return ProblemCode.AUTH_FAILED
    if isinstance(error, OnvifTimeoutError | OnvifUnreachableError):
        return ProblemCode.UNREACHABLE
    if isinstance(error, OnvifNotSupportedError):
        return ProblemCode.UNSUPPORTED
    if isinstance(error, OnvifFaultError):
        return fault
    return ProblemCode.BAD_RESPONSE


class OnvifPullPointClient:
    def __init__(self, endpoint: EventEndpoint, *, pull_timeout_s: float = PULL_TIMEOUT_S,
                 term_s: float = TERM_S, request_timeout_s: float = REQUEST_TIMEOUT_S,
                 message_limit: int = MESSAGE_LIMIT) -> None:
        self.endpoint = endpoint
        self.pull_timeout_s = pull_timeout_s
        self.term_s = term_s
        self.request_timeout_s = request_timeout_s
        self.message_limit = message_limit
        self.topics: tuple[str, ...] = ()  # what GetEventProperties offered, last run
        parts = urlsplit(endpoint.base_url if "//" in endpoint.base_url
                         else f"http://{endpoint.base_url}")
        self._camera = CameraEndpoint(parts.hostname or "", parts.port or 80,
                                      endpoint.username or None, endpoint.password or None)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._in_flight: asyncio.Future[Any] | None = None
        self._aborted = False

    @property
    def where(self) -> str:
        """host:port, for the log (never the credentials)."""
        return self._camera.where

    # -- EventClient ---------------------------------------------------------------------
    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        with self._lock:
            self._aborted = False
            self._loop = loop
        # Checked after the loop is visible to abort(): the intake sets stop before it
        # aborts, so a stop that came earlier is seen here and a later abort reaches us.
        if stop.is_set():
            with self._lock:
                self._loop = None
            loop.close()
            return
        try:
            loop.run_until_complete(self._run(sink, problems, stop))
        finally:
            with self._lock:
                self._loop = None
            # The ONVIF library parses its WSDLs on the default executor: end it here so
            # no worker thread outlives the run.
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            loop = self._loop
            if loop is None:
                return
            # RuntimeError: the loop is closing, run_once is returning anyway.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._cancel_in_flight)

    # -- the conversation ----------------------------------------------------------------
    async def _run(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        user, password = self._camera.user, self._camera.password
        device = CameraClient(self._camera, self.request_timeout_s)
        short = new_session(user, password, self.request_timeout_s)
        # The long poll needs its own session: its read timeout must outlast the poll.
        pulls = new_session(user, password, self.pull_timeout_s + self.request_timeout_s)
        manager: _Manager | None = None
        try:
            await self._io(device.probe(), ProblemCode.BAD_RESPONSE)
            events_url = device.capabilities.xaddrs.get("events")
            if not events_url:
                raise EventClientError(ProblemCode.UNSUPPORTED, "the device has no events service")
            self.topics = await self._topics(device)
            subscription, manager = await self._subscribe(device, events_url)
            await self._pull_loop(device, pulls, short, manager, subscription, sink,
                                  problems, stop)
        except _Aborted:
            _log.info("Events of %s: aborted", self.where)
        except EventClientError as exc:
            if exc.code == ProblemCode.EXPIRED:
                manager = None  # nothing left on the camera to unsubscribe
            raise
        finally:
            try:
                if manager is not None:
                    await self._unsubscribe(device, short, manager)
            finally:
                for session in (pulls, short):
                    await session.close()
                await device.close()

    async def _topics(self, device: CameraClient) -> tuple[str, ...]:
        try:
            payload = await self._io(device.request("events", "tev", "GetEventProperties"),
                                     ProblemCode.BAD_RESPONSE)
        except EventClientError as exc:
            if exc.code in (ProblemCode.AUTH_FAILED, ProblemCode.UNREACHABLE):
                raise
            # Some firmwares fault here yet serve PullPoint: the topics are only a list.
            _log.info("GetEventProperties failed on %s: %s", self.where, exc.detail)
            return ()
        return event_topics(payload)

    async def _subscribe(self, device: CameraClient,
                         events_url: str) -> tuple[SubscriptionReply, _Manager]:
        try:
            payload = await self._io(device.request(
                "events", "tev", "CreatePullPointSubscription",
                f"<tev:InitialTerminationTime>{duration(self.term_s)}"
                "</tev:InitialTerminationTime>"), ProblemCode.BAD_RESPONSE)
        except EventClientError as exc:
            cause = exc.__cause__
            if isinstance(cause, OnvifFaultError) and cause.notice.code == NOT_IMPLEMENTED:
                # "PullPoint claimed but Action Not Implemented": nothing to retry.
                raise EventClientError(ProblemCode.UNSUPPORTED, exc.detail) from cause
            raise
        reply = subscription_reply(payload)
        # The manager's address is as the camera sees itself (NAT, 127.0.0.1): the same
        # repair as for every service XAddr. Without one, pull where we subscribed.
        fixed = repair_uri(reply.address, self._camera.host, what="service",
                           officer_port=self._camera.port) if reply.address else None
        return reply, _Manager(fixed.uri if fixed is not None else events_url,
                               reply.reference_parameters)

    async def _pull_loop(self, device: CameraClient, pulls: aiohttp.ClientSession,
                         short: aiohttp.ClientSession, manager: _Manager,
                         subscription: SubscriptionReply, sink: EventSink,
                         problems: ProblemSink, stop: threading.Event) -> None:
        renew_at = time.monotonic() + subscription.term_s(self.term_s) * RENEW_AT
        bad_replies = 0
        while not stop.is_set():
            left = renew_at - time.monotonic()
            if left < MIN_PULL_S:
                renew_at = await self._renew(device, short, manager)
                continue
            wait = min(self.pull_timeout_s, left)
            try:
                payload = await self._io(self._send(device, pulls, manager, "tev", "PullMessages",
                                                    f"<tev:Timeout>{duration(wait)}</tev:Timeout>"
                                                    f"<tev:MessageLimit>{self.message_limit}"
                                                    "</tev:MessageLimit>"),
                                         ProblemCode.EXPIRED, lost=ProblemCode.DISCONNECTED)
            except EventClientError as exc:
                if exc.code != ProblemCode.BAD_RESPONSE:
                    raise
                # An unreadable reply: the subscription may still be fine; say so and go on.
                bad_replies += 1
                cause = exc.__cause__
                bad_xml = isinstance(cause, OnvifError) and cause.notice.code == INVALID_XML
                problems(EventProblem(self.endpoint.camera_id,
                                      ProblemCode.BAD_XML if bad_xml else ProblemCode.BAD_RESPONSE,
                                      exc.detail))
                if bad_replies >= MAX_BAD_REPLIES:
                    raise
                continue
            bad_replies = 0
            batch = pull_batch(payload, self.endpoint.camera_id, dt.datetime.now(dt.UTC))
            for bad in batch.bad:
                problems(EventProblem(self.endpoint.camera_id, ProblemCode.BAD_XML, bad.reason))
            for event in batch.events:
                sink(event)

    async def _renew(self, device: CameraClient, short: aiohttp.ClientSession,
                     manager: _Manager) -> float:
        """Renew; the monotonic time of the next renewal."""
        try:
            return await self._renew_until(device, short, manager, duration(self.term_s))
        except EventClientError as exc:
            cause = exc.__cause__
            if isinstance(cause, OnvifFaultError) and cause.notice.code == NOT_IMPLEMENTED:
                # A camera without Renew: pull until it ends the subscription, then the
                # fault on the pull says EXPIRED and the intake subscribes again.
                _log.info("Events of %s: the camera cannot renew", self.where)
                return math.inf
            if exc.code != ProblemCode.EXPIRED:
                raise
        # Some firmwares take only an absolute time (in their own clock) here; a
        # subscription that is really gone faults again, and that says EXPIRED.
        until = (dt.datetime.now(dt.UTC) + (device.clock_offset or dt.timedelta())
                 + dt.timedelta(seconds=self.term_s))
        return await self._renew_until(device, short, manager,
                                       until.strftime("%Y-%m-%dT%H:%M:%SZ"))

    async def _renew_until(self, device: CameraClient, short: aiohttp.ClientSession,
                           manager: _Manager, until: str) -> float:
        payload = await self._io(self._send(
            device, short, manager, "wsnt", "Renew",
            f"<wsnt:TerminationTime>{until}</wsnt:TerminationTime>"), ProblemCode.EXPIRED)
        return time.monotonic() + subscription_reply(payload).term_s(self.term_s) * RENEW_AT

    async def _unsubscribe(self, device: CameraClient, short: aiohttp.ClientSession,
                           manager: _Manager) -> None:
        """Free the camera's subscription (they allow few); failing here changes nothing."""
        try:
            await asyncio.wait_for(self._send(device, short, manager, "wsnt", "Unsubscribe", ""),
                                   UNSUBSCRIBE_WAIT_S)
        except (TimeoutError, OnvifError, OSError, aiohttp.ClientError) as exc:
            _log.info("Unsubscribe on %s failed: %s", self.where, type(exc).__name__)

    def _send(self, device: CameraClient, session: aiohttp.ClientSession, manager: _Manager,
              prefix: str, operation: str, inner: str) -> Coroutine[Any, Any, Element]:
        return call(session, manager.address, prefix, operation, inner, user=self._camera.user,
                    password=self._camera.password, clock_offset=device.clock_offset,
                    header_xml=manager.headers(operation))

    # -- requests that abort() can cut short ----------------------------------------------
    async def _io(self, work: Awaitable[T], fault: ProblemCode,
                  lost: ProblemCode | None = None) -> T:
        """Await ``work`` as the request in flight; failures become EventClientError
        (a SOAP fault → ``fault``; a dropped or refused connection → ``lost`` if given)."""
        task = asyncio.ensure_future(work)
        if self._aborted:
            task.cancel()
            raise _Aborted
        self._in_flight = task
        try:
            return await task
        except asyncio.CancelledError:
            if self._aborted:
                raise _Aborted from None
            raise
        except Exception as exc:
            error = translate(exc, where=self.where, timeout_s=self.request_timeout_s,
                              password=self._camera.password)
            code = _problem_code(error, fault)
            if lost is not None and code == ProblemCode.UNREACHABLE:
                code = lost
            raise EventClientError(code, str(error)) from error
        finally:
            self._in_flight = None

    def _cancel_in_flight(self) -> None:
        if self._in_flight is not None:
            self._in_flight.cancel()

