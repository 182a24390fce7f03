"""OnvifService: the synchronous façade the UI and services call.

All ONVIF work runs on one private asyncio loop in one (non-daemon) thread owned by this
object. Every method returns at once with a ``concurrent.futures.Future``; its exception,
if any, is always an ``OnvifError`` subclass whose ``str`` is one sentence for the officer.
``close()`` closes every camera connection, stops the loop and joins the thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from commandroom.onvif import discovery, ptz, recording
from commandroom.onvif.camera import CameraClient
from commandroom.onvif.errors import (
    EMPTY_ADDRESS,
    SHUT_DOWN,
    OnvifAuthError,
    OnvifError,
    OnvifInputError,
    translate,
)
from commandroom.onvif.models import (
    CameraEndpoint,
    DiscoveredDevice,
    MediaOverview,
    MediaProfile,
    ProbeResult,
    ProfileStreams,
    PtzPreset,
    PtzStatus,
    PtzSupport,
    ReplayTarget,
    StreamUri,
)
from commandroom.onvif.recording_models import (
    Recording,
    RecordingSearch,
    RecordingSummary,
    SpanSearch,
)
from commandroom.onvif.selection import choose_main_and_sub

_log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TIMEOUT_S = 4.0


class OnvifService:
    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self._loop = asyncio.new_event_loop()
        self._clients: dict[CameraEndpoint, CameraClient] = {}
        # One connect at a time per camera: two requests arriving together (the PTZ pad's
        # poll and the properties dialog) must share one client, not each open one.
        self._connecting: dict[CameraEndpoint, asyncio.Lock] = {}
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="onvif-loop", daemon=False)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            # Library code uses the default executor (WSDL parsing): shut it down here so
            # no worker thread outlives the service.
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()

    # -- plumbing --------------------------------------------------------------------------
    def _submit(self, where: str, work: Callable[[], Awaitable[T]],
                password: str | None = None) -> concurrent.futures.Future[T]:
        async def guarded() -> T:
            try:
                return await work()
            except Exception as exc:
                error = translate(exc, where=where, timeout_s=self.timeout_s, password=password)
                if error is not exc:
                    raise error from exc
                raise

        with self._lock:
            if self._closed:
                failed: concurrent.futures.Future[T] = concurrent.futures.Future()
                failed.set_exception(OnvifError(SHUT_DOWN))
                return failed
            return asyncio.run_coroutine_threadsafe(guarded(), self._loop)

    def _on_camera(self, endpoint: CameraEndpoint,
                   work: Callable[[CameraClient], Awaitable[T]]) -> concurrent.futures.Future[T]:
        if not endpoint.host.strip():
            failed: concurrent.futures.Future[T] = concurrent.futures.Future()
            failed.set_exception(OnvifInputError(EMPTY_ADDRESS))
            return failed

        async def run() -> T:
            client = await self._client(endpoint)
            try:
                return await work(client)
            except OnvifAuthError:
                await self._forget(endpoint)  # credentials may be changed: probe afresh
                raise

        return self._submit(endpoint.where, run, endpoint.password)

    async def _client(self, endpoint: CameraEndpoint) -> CameraClient:
        async with self._connecting.setdefault(endpoint, asyncio.Lock()):
            client = self._clients.get(endpoint)
            if client is None:
                client = CameraClient(endpoint, self.timeout_s)
                try:
                    await client.probe()
                except BaseException:
                    await client.close()
                    raise
                self._clients[endpoint] = client
            return client

    async def _forget(self, endpoint: CameraEndpoint) -> None:
        client = self._clients.pop(endpoint, None)
        if client is not None:
            await client.close()

    # -- device ----------------------------------------------------------------------------
    def probe(self, endpoint: CameraEndpoint) -> concurrent.futures.Future[ProbeResult]:
        """Clock drift, model, services. Always talks to the camera afresh."""

        async def run() -> ProbeResult:
            async with self._connecting.setdefault(endpoint, asyncio.Lock()):
                await self._forget(endpoint)
                client = CameraClient(endpoint, self.timeout_s)
                try:
                    result = await client.probe()
                except BaseException:
                    await client.close()
                    raise
                self._clients[endpoint] = client
                return result

        return self._submit(endpoint.where, run, endpoint.password)

    def profiles(self, endpoint: CameraEndpoint) -> concurrent.futures.Future[list[MediaProfile]]:
        return self._on_camera(endpoint, lambda c: c.profiles())

    def stream_uri(self, endpoint: CameraEndpoint,
                   profile: MediaProfile) -> concurrent.futures.Future[StreamUri]:
        return self._on_camera(endpoint, lambda c: c.stream_uri(profile))

    def snapshot_uri(self, endpoint: CameraEndpoint,
                     profile: MediaProfile) -> concurrent.futures.Future[StreamUri]:
        return self._on_camera(endpoint, lambda c: c.snapshot_uri(profile))

    def snapshot(self, endpoint: CameraEndpoint,
                 profile: MediaProfile) -> concurrent.futures.Future[bytes]:
        """The JPEG bytes of one snapshot (HTTP Digest answered when asked)."""

        async def run(c: CameraClient) -> bytes:
            return await c.fetch((await c.snapshot_uri(profile)).uri)

        return self._on_camera(endpoint, run)

    def media(self, endpoint: CameraEndpoint) -> concurrent.futures.Future[MediaOverview]:
        """Every profile with its stream and snapshot URI, and the main/sub choice."""

        async def run(c: CameraClient) -> MediaOverview:
            rows = []
            for profile in await c.profiles():
                stream = snapshot = None
                problem = None
                try:
                    stream = await c.stream_uri(profile)
                except OnvifAuthError:
                    raise
                except OnvifError as exc:  # one bad profile must not hide the others
                    problem = exc.notice
                try:
                    snapshot = await c.snapshot_uri(profile)
                except OnvifAuthError:
                    raise
                except OnvifError as exc:
                    _log.info("No snapshot URI for %s: %s", profile.token, exc)
                rows.append(ProfileStreams(profile, stream, snapshot, problem))
            main, sub = choose_main_and_sub(tuple(rows))
            return MediaOverview(profiles=tuple(rows), main=main, sub=sub)

        return self._on_camera(endpoint, run)

    # -- PTZ -------------------------------------------------------------------------------
    def ptz_support(self, endpoint: CameraEndpoint,
                    profile_token: str | None = None) -> concurrent.futures.Future[PtzSupport]:
        return self._on_camera(endpoint, lambda c: ptz.support(c, profile_token))

    def ptz_move(self, endpoint: CameraEndpoint, pan: float, tilt: float, zoom: float = 0.0,
                 profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._on_camera(endpoint,
                               lambda c: ptz.continuous_move(c, profile_token, pan, tilt, zoom))

    def ptz_stop(self, endpoint: CameraEndpoint,
                 profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._on_camera(endpoint, lambda c: ptz.stop(c, profile_token))

    def ptz_status(self, endpoint: CameraEndpoint,
                   profile_token: str | None = None) -> concurrent.futures.Future[PtzStatus]:
        return self._on_camera(endpoint, lambda c: ptz.status(c, profile_token))

    def ptz_presets(self, endpoint: CameraEndpoint, profile_token: str | None = None,
                    ) -> concurrent.futures.Future[list[PtzPreset]]:
        return self._on_camera(endpoint, lambda c: ptz.presets(c, profile_token))

    def ptz_goto_preset(self, endpoint: CameraEndpoint, preset_token: str,
                        profile_token: str | None = None) -> concurrent.futures.Future[None]:
        return self._on_camera(endpoint,
                               lambda c: ptz.goto_preset(c, profile_token, preset_token))

    def ptz_set_preset(self, endpoint: CameraEndpoint, name: str,
                       preset_token: str | None = None, profile_token: str | None = None,
                       ) -> concurrent.futures.Future[str]:
        """Save the current position as ``name``; with ``preset_token`` rename/overwrite it."""
        return self._on_camera(endpoint,
                               lambda c: ptz.set_preset(c, profile_token, name, preset_token))

    # -- recordings (Profile G) ------------------------------------------------------------
    def recordings(self, endpoint: CameraEndpoint, max_wait_s: float = recording.SEARCH_WAIT_S,
                   ) -> concurrent.futures.Future[RecordingSearch]:
        """Every recording the device holds (search service, paged, bounded wait)."""
        return self._on_camera(endpoint,
                               lambda c: recording.find_recordings(c, max_wait_s=max_wait_s))

    def recording_summary(self, endpoint: CameraEndpoint,
                          ) -> concurrent.futures.Future[RecordingSummary]:
        return self._on_camera(endpoint, recording.summary)

    def recording_information(self, endpoint: CameraEndpoint, recording_token: str,
                              ) -> concurrent.futures.Future[Recording]:
        return self._on_camera(endpoint, lambda c: recording.information(c, recording_token))

    def recorded_spans(self, endpoint: CameraEndpoint, rec: Recording, start: dt.datetime,
                       end: dt.datetime, max_wait_s: float = recording.SEARCH_WAIT_S,
                       ) -> concurrent.futures.Future[SpanSearch]:
        """Where ``rec`` has data in [start, end), in the device's clock (UTC)."""
        return self._on_camera(endpoint, lambda c: recording.recorded_spans(
            c, rec, start, end, max_wait_s=max_wait_s))

    def replay_uri(self, endpoint: CameraEndpoint,
                   recording_token: str) -> concurrent.futures.Future[ReplayTarget]:
        """The RTSP address that replays a recording, and the device's clock drift."""

        async def run(c: CameraClient) -> ReplayTarget:
            uri = await recording.replay(c, recording_token)
            drift = c.clock_offset.total_seconds() if c.clock_offset is not None else None
            return ReplayTarget(uri=uri, clock_drift_s=drift)

        return self._on_camera(endpoint, run)

    # -- discovery -------------------------------------------------------------------------
    def discover(self, typed_targets: str = "", *, multicast: bool = True,
                 wait_s: float = 2.0, port: int = discovery.PORT,
                 multicast_interface: str | None = None,
                 ) -> concurrent.futures.Future[list[DiscoveredDevice]]:
        """WS-Discovery Probe to the typed addresses/ranges and/or the multicast group."""

        async def run() -> list[DiscoveredDevice]:
            targets = discovery.parse_targets(typed_targets)
            return await discovery.discover(targets, multicast=multicast, wait_s=wait_s,
                                            port=port, multicast_interface=multicast_interface)

        return self._submit("the network", run)

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True

        async def close_all() -> None:
            for endpoint in list(self._clients):
                await self._forget(endpoint)

        try:
            asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(
                timeout=self.timeout_s + 2)
        except Exception as exc:  # never let shutdown hang or raise on a broken camera
            _log.warning("Closing ONVIF connections failed: %s", type(exc).__name__)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()

    def __enter__(self) -> OnvifService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
