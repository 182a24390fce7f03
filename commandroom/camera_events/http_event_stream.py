"""One kept-open multipart HTTP GET with Digest auth: what ISAPI and Dahua share.

It opens the stream, turns every way it can fail into an ``EventClientError`` with the
right ``ProblemCode``, and hands each part (or ``OversizedPart``) to the vendor client.
``MultipartEventClient`` is the rest the two clients share: their options, the stream on
the vendor's path, ``abort`` and how a problem in a part is logged and reported.

Why httpx: it is already a dependency, streams a body as it arrives and has its own
``DigestAuth`` (RFC 7616: MD5/SHA-256, qop=auth), which we do not want to write by hand.
Why the socket: ``abort()`` is called from another thread while this one is blocked in
``recv``; closing an httpx response there is not thread-safe and does not wake the
reader, but ``shutdown()`` on the socket does at once (httpcore exposes the socket
through the documented ``network_stream`` response extension).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TypedDict
from urllib.parse import urlsplit

import httpx

from commandroom.camera_events.model import (
    EventClientError,
    EventEndpoint,
    EventProblem,
    ProblemCode,
    ProblemSink,
)
from commandroom.camera_events.multipart_stream import (
    MalformedStream,
    MultipartStreamReader,
    OversizedPart,
    Part,
    StreamEnded,
    TruncatedPart,
    boundary_from_content_type,
)
from commandroom.db.base import utcnow

log = logging.getLogger(__name__)

DEFAULT_MAX_PART_BYTES = 4 * 1024 * 1024  # a checkpoint camera's scene JPEG is ~0.5-1.5 MB
DEFAULT_READ_TIMEOUT_S = 30.0  # ISAPI heartbeats every ~10 s; Dahua's we ask for (10 s)
DEFAULT_CONNECT_TIMEOUT_S = 5.0

PartHandler = Callable[[Part | OversizedPart], None]


class MultipartEventStream:
    """Opens ``path`` on the endpoint and feeds its parts to a handler until stop,
    abort or failure. One instance per camera; ``run`` is not re-entrant."""

    def __init__(
        self,
        endpoint: EventEndpoint,
        path: str,
        *,
        max_part_bytes: int = DEFAULT_MAX_PART_BYTES,
        read_timeout_s: float = DEFAULT_READ_TIMEOUT_S,
        connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
    ) -> None:
        self._endpoint = endpoint
        self._url = endpoint.base_url.rstrip("/") + path
        self._max_part_bytes = max_part_bytes
        self._read_timeout_s = read_timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._lock = threading.Lock()  # guards _socket and _aborted against abort()
        self._socket: socket.socket | None = None
        self._aborted = False
        self.where = _where(self._url)

    def run(self, handle: PartHandler, stop: threading.Event) -> None:
        """Returns when ``stop`` is set; raises ``EventClientError`` otherwise."""
        with self._lock:
            self._aborted = False  # an abort() is about the run it interrupts
        if stop.is_set():
            return
        auth = (httpx.DigestAuth(self._endpoint.username, self._endpoint.password)
                if self._endpoint.username else None)
        timeout = httpx.Timeout(self._read_timeout_s, connect=self._connect_timeout_s)
        try:
            # trust_env=False: a proxy set in the environment must not carry a police
            # camera's stream (nor its credentials) off the local network.
            with httpx.Client(auth=auth, timeout=timeout, trust_env=False) as client, \
                    client.stream("GET", self._url, headers=_ACCEPT) as response:
                self._attach(response, stop)
                reader = self._open_reader(response)
                while not stop.is_set():
                    handle(reader.next_part())
        except EventClientError:
            if stop.is_set():
                return
            raise
        except TruncatedPart as exc:
            self._fail(stop, ProblemCode.DISCONNECTED, f"dropped mid-part ({exc})")
        except StreamEnded as exc:
            self._fail(stop, ProblemCode.DISCONNECTED, f"stream ended ({exc})")
        except MalformedStream as exc:
            self._fail(stop, ProblemCode.BAD_RESPONSE, str(exc))
        except httpx.ConnectTimeout:
            self._fail(stop, ProblemCode.UNREACHABLE,
                       f"no connection within {self._connect_timeout_s:g} s")
        except httpx.TimeoutException:
            # Not even a heartbeat for that long: the stream is dead even if TCP is not.
            self._fail(stop, ProblemCode.DISCONNECTED,
                       f"no byte for {self._read_timeout_s:g} s")
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            self._fail(stop, ProblemCode.UNREACHABLE, _reason(exc))
        except httpx.InvalidURL:
            self._fail(stop, ProblemCode.UNREACHABLE, "not a usable address")
        except (httpx.TransportError, OSError) as exc:
            self._fail(stop, ProblemCode.DISCONNECTED, _reason(exc))
        finally:
            with self._lock:
                self._socket = None

    def abort(self) -> None:
        """Wake the ``run`` blocked on the network (from any thread). An abort that
        comes while the connection is being opened is seen once it is open; the intake
        sets ``stop`` before aborting, which every later ``run`` sees at its start."""
        with self._lock:
            self._aborted = True
            sock = self._socket
        if sock is not None:
            # OSError: already closed by the peer or by the reader, nothing to wake.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _attach(self, response: httpx.Response, stop: threading.Event) -> None:
        status = response.status_code
        if status == 401:
            raise EventClientError(ProblemCode.AUTH_FAILED, f"HTTP 401 from {self.where}")
        if status in (403, 404, 501):
            raise EventClientError(ProblemCode.UNSUPPORTED, f"HTTP {status} from {self.where}")
        if status != 200:
            raise EventClientError(ProblemCode.BAD_RESPONSE, f"HTTP {status} from {self.where}")
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        with self._lock:
            self._socket = sock if isinstance(sock, socket.socket) else None
            aborted = self._aborted
        if aborted or stop.is_set():  # stopped while we were connecting
            raise EventClientError(ProblemCode.DISCONNECTED, "aborted")
        log.info("events: camera %s connected to %s", self._endpoint.camera_id, self.where)

    def _open_reader(self, response: httpx.Response) -> MultipartStreamReader:
        content_type = response.headers.get("content-type", "")
        boundary = boundary_from_content_type(content_type)
        if boundary is None:
            raise EventClientError(ProblemCode.BAD_RESPONSE,
                                   f"not a multipart stream: {content_type[:60]!r}")
        return MultipartStreamReader(response.iter_raw(), boundary, self._max_part_bytes)

    def _fail(self, stop: threading.Event, code: ProblemCode, detail: str) -> None:
        if stop.is_set():
            return  # stopping: the failure is the abort we asked for
        with self._lock:
            aborted = self._aborted
        if aborted:
            raise EventClientError(ProblemCode.DISCONNECTED, "aborted")
        raise EventClientError(code, detail)


class StreamOptions(TypedDict, total=False):
    """The options every vendor client takes, passed on to ``MultipartEventClient``."""

    max_part_bytes: int
    read_timeout_s: float
    connect_timeout_s: float
    clock: Callable[[], datetime]


class MultipartEventClient:
    """The part of an ``EventClient`` that is the same for every vendor: one camera's
    stream on the vendor's ``path``; the vendor's ``run_once`` reads it."""

    def __init__(
        self,
        endpoint: EventEndpoint,
        path: str,
        *,
        max_part_bytes: int = DEFAULT_MAX_PART_BYTES,
        read_timeout_s: float = DEFAULT_READ_TIMEOUT_S,
        connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._endpoint = endpoint
        self._stream = MultipartEventStream(
            endpoint, path, max_part_bytes=max_part_bytes,
            read_timeout_s=read_timeout_s, connect_timeout_s=connect_timeout_s)
        self._clock = clock

    def abort(self) -> None:
        self._stream.abort()


def report_problem(problems: ProblemSink, endpoint: EventEndpoint, where: str,
                   code: ProblemCode, detail: str) -> None:
    """A part the client could not use: logged (``where`` names no credentials) and
    reported; the stream goes on."""
    log.warning("events: camera %s (%s): %s: %s", endpoint.camera_id, where, code.value,
                detail)
    problems(EventProblem(endpoint.camera_id, code, detail))


# Both vendors answer without it; a proxy or an odd firmware may need to be told.
_ACCEPT = {"Accept": "multipart/mixed, multipart/x-mixed-replace, */*"}


def _where(url: str) -> str:
    """Host, port and path for the log: never the credentials a URL could carry."""
    try:
        split = urlsplit(url)
        return f"{split.hostname or '?'}:{split.port or ''}{split.path}"
    except ValueError:  # a malformed address; run() reports it as UNREACHABLE
        return "?"


def _reason(exc: BaseException) -> str:
    """The exception's class and message: httpx's messages name no credentials."""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]
