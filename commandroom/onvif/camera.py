"""One camera's ONVIF conversation (async; runs on the façade's private event loop)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import replace
from typing import Any

from onvif import ONVIFCamera

from commandroom.notices import Notice, notice
from commandroom.onvif import responses
from commandroom.onvif.errors import (
    AUTH_MESSAGE,
    NO_MEDIA,
    NO_MODEL,
    NO_SERVICE,
    NO_SNAPSHOT_URI,
    NO_STREAM_URI,
    NO_UTC_TIME,
    SNAPSHOT_HTTP_ERROR,
    SNAPSHOT_NOT_HTTP,
    OnvifAuthError,
    OnvifError,
    OnvifFaultError,
    OnvifNotSupportedError,
    OnvifProtocolError,
)
from commandroom.onvif.models import (
    SERVICE_NAMESPACES,
    CameraEndpoint,
    Capabilities,
    DeviceInfo,
    MediaProfile,
    ProbeResult,
    StreamUri,
)
from commandroom.onvif.soap import call, new_session, x
from commandroom.onvif.uri_repair import repair_uri
from commandroom.onvif.xmlparse import Element

_log = logging.getLogger(__name__)


class _LibraryCamera(ONVIFCamera):  # type: ignore[misc]  # the library is untyped
    """ONVIFCamera whose services use our short-timeout, Digest-capable HTTP sessions."""

    def __init__(self, endpoint: CameraEndpoint, timeout_s: float) -> None:
        super().__init__(endpoint.host, endpoint.port, endpoint.user, endpoint.password,
                         adjust_time=True, no_cache=True)
        self._timeout_s = timeout_s

    async def create_onvif_service(self, name: str, port_type: str | None = None,
                                   read_timeout: int | None = None,
                                   write_timeout: int | None = None) -> Any:
        service = await super().create_onvif_service(name, port_type, read_timeout,
                                                     write_timeout)
        if not getattr(service, "_commandroom_session", False):
            # A fresh service's own session has carried no request yet: swap it for ours.
            await service._session.close()
            session = new_session(self.user, self.passwd, self._timeout_s)
            service._session, service._connector = session, session.connector
            service.transport.session = session
            service.transport._client_timeout = session.timeout
            service._commandroom_session = True
        return service


class CameraClient:
    """Probe once, then answer media and PTZ questions for one endpoint."""

    def __init__(self, endpoint: CameraEndpoint, timeout_s: float) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self._session = new_session(endpoint.user, endpoint.password, timeout_s)
        self._library: _LibraryCamera | None = None
        self.clock_offset: dt.timedelta | None = None
        self.capabilities = Capabilities()
        self._profiles: list[MediaProfile] | None = None

    @property
    def device_url(self) -> str:
        host = self.endpoint.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.endpoint.port}/onvif/device_service"

    async def close(self) -> None:
        await self._session.close()
        if self._library is not None:
            await self._library.close()

    async def request(self, service: str, prefix: str, operation: str, inner: str = "") -> Element:
        address = self.device_url if service == "device" else self.capabilities.xaddrs.get(service)
        if address is None:
            raise OnvifNotSupportedError(NO_SERVICE, service=service)
        return await call(self._session, address, prefix, operation, inner,
                          user=self.endpoint.user, password=self.endpoint.password,
                          clock_offset=self.clock_offset)

    # -- probe -------------------------------------------------------------------------
    async def probe(self) -> ProbeResult:
        warnings: list[Notice] = []
        library = self._library = _LibraryCamera(self.endpoint, self.timeout_s)
        # The library's own clock-skew handshake: unauthenticated GetSystemDateAndTime,
        # then every WS-Security Created is offset by camera-minus-us (dt_diff).
        try:
            await asyncio.wait_for(library.update_xaddrs(), 3 * self.timeout_s + 1)
        except AttributeError:
            # No UTCDateTime in the reply: the library cannot compute the offset.
            library.adjust_time = False
            await asyncio.wait_for(library.update_xaddrs(), 3 * self.timeout_s + 1)
            warnings.append(notice(NO_UTC_TIME))
        self.clock_offset = library.dt_diff
        found = {SERVICE_NAMESPACES.get(ns, ns): url for ns, url in library.xaddrs.items() if url}
        try:
            caps = responses.capabilities(await self.request("device", "tds", "GetCapabilities",
                                                           "<tds:Category>All</tds:Category>"))
            for name, url in caps.items():
                found.setdefault(name, url)
        except (OnvifFaultError, OnvifProtocolError) as exc:
            _log.info("GetCapabilities failed on %s: %s", self.endpoint.where, exc)
        xaddrs: dict[str, str] = {}
        for name, url in found.items():
            fixed = repair_uri(url, self.endpoint.host, what="service",
                               officer_port=self.endpoint.port)
            xaddrs[name] = fixed.uri
            warnings.extend(w for w in fixed.warnings if w not in warnings)
        self.capabilities = Capabilities(xaddrs=xaddrs)
        try:
            device = responses.device_information(
                await self.request("device", "tds", "GetDeviceInformation"))
        except OnvifFaultError as exc:
            device = DeviceInfo()
            warnings.append(notice(NO_MODEL, problem=exc.notice))
        drift = self.clock_offset.total_seconds() if self.clock_offset is not None else None
        return ProbeResult(endpoint=self.endpoint, device=device,
                           capabilities=self.capabilities, clock_drift_s=drift,
                           warnings=tuple(warnings))

    # -- media -------------------------------------------------------------------------
    async def profiles(self) -> list[MediaProfile]:
        if self._profiles is not None:
            return self._profiles
        caps = self.capabilities
        if not caps.has_media1 and not caps.has_media2:
            raise OnvifNotSupportedError(NO_MEDIA)
        merged: dict[str, MediaProfile] = {}
        errors: list[OnvifError] = []
        if caps.has_media1:
            try:
                for p in responses.profiles_media1(await self.request("media", "trt",
                                                                     "GetProfiles")):
                    merged[p.token] = p
            except (OnvifFaultError, OnvifProtocolError) as exc:
                errors.append(exc)
        if caps.has_media2:
            try:
                payload = await self.request("media2", "tr2", "GetProfiles",
                                           "<tr2:Type>All</tr2:Type>")
                for p in responses.profiles_media2(payload):
                    # Media2 knows the true codec (H.265 is often only visible there).
                    if p.token not in merged or p.encoding:
                        merged[p.token] = _with_ptz(p, merged.get(p.token))
            except (OnvifFaultError, OnvifProtocolError) as exc:
                errors.append(exc)
        if not merged and errors:
            raise errors[0]
        self._profiles = list(merged.values())
        return self._profiles

    async def _uri(self, profile: MediaProfile, snapshot: bool) -> str | None:
        tok = f"<{'trt' if profile.media_version == 1 else 'tr2'}:ProfileToken>"
        if profile.media_version == 1:
            if snapshot:
                inner = f"{tok}{x(profile.token)}</trt:ProfileToken>"
                return responses.media_uri(await self.request("media", "trt", "GetSnapshotUri",
                                                            inner))
            inner = ("<trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
                     "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>"
                     f"{tok}{x(profile.token)}</trt:ProfileToken>")
            return responses.media_uri(await self.request("media", "trt", "GetStreamUri", inner))
        if snapshot:
            inner = f"{tok}{x(profile.token)}</tr2:ProfileToken>"
            return responses.media_uri(await self.request("media2", "tr2", "GetSnapshotUri",
                                                        inner))
        inner = f"<tr2:Protocol>RTSP</tr2:Protocol>{tok}{x(profile.token)}</tr2:ProfileToken>"
        return responses.media_uri(await self.request("media2", "tr2", "GetStreamUri", inner))

    async def stream_uri(self, profile: MediaProfile) -> StreamUri:
        raw = await self._uri(profile, snapshot=False)
        if not raw:
            raise OnvifProtocolError(NO_STREAM_URI, profile=profile.name)
        return repair_uri(raw, self.endpoint.host, what="stream")

    async def snapshot_uri(self, profile: MediaProfile) -> StreamUri:
        raw = await self._uri(profile, snapshot=True)
        if not raw:
            raise OnvifProtocolError(NO_SNAPSHOT_URI, profile=profile.name)
        fixed = repair_uri(raw, self.endpoint.host, what="snapshot")
        if not fixed.uri.lower().startswith(("http://", "https://")):
            fixed = replace(fixed, warnings=(*fixed.warnings, notice(SNAPSHOT_NOT_HTTP)))
        return fixed

    async def fetch(self, uri: str) -> bytes:
        """GET ``uri`` with the camera's credentials (Digest challenge answered)."""
        async with self._session.get(uri) as response:
            if response.status == 401:
                raise OnvifAuthError(AUTH_MESSAGE)
            if response.status >= 400:
                raise OnvifProtocolError(SNAPSHOT_HTTP_ERROR, status=str(response.status))
            return await response.read()


def _with_ptz(media2: MediaProfile, media1: MediaProfile | None) -> MediaProfile:
    if media1 is None or media2.ptz_configuration or not media1.ptz_configuration:
        return media2
    return replace(media2, ptz_configuration=media1.ptz_configuration)
