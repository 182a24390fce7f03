"""A small ONVIF camera on 127.0.0.1 for tests: Device, Media, Media2, PTZ, WS-Discovery.

Stdlib HTTP server (one thread per request) + a UDP WS-Discovery responder thread.
It checks WS-UsernameToken PasswordDigest (Base64(SHA1(nonce + created + password)))
against its OWN clock, which ``clock_skew_s`` can put hours off, with a 5 s window; or,
with ``auth="digest"``, real HTTP Digest (RFC 2617, MD5, qop=auth). Every real-camera
quirk our client must survive has a switch on ``EmulatorSettings`` (settable while it
runs). Use as a context manager; ``stop()`` shuts both servers and joins their threads.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import secrets
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import cv2
import numpy as np
from lxml import etree

from tests.support import onvif_emulator_bodies as bodies
from tests.support import onvif_emulator_recording as profile_g
from tests.support.onvif_emulator_events import EventsService, EventsSettings
from tests.support.onvif_emulator_ops import answer

REALM = "commandroom-emulator"
WINDOW_S = 5.0
PTZ_UNITS_PER_S = 1.0  # position change per second at speed 1.0

# Stream URI quirks: what the camera reports instead of a plain reachable URI.
# "other_host" names 192.0.2.10 (TEST-NET-1, documentation only): a reachable-looking
# address that is not the device; tests only look at the URI, nothing connects to it.
STREAM_QUIRKS = ("loopback", "nat", "doubled_port", "crlf", "two_xaddrs", "no_uri", "other_host")
OTHER_HOST = "192.0.2.10"

DEFAULT_PROFILES: list[dict[str, Any]] = [
    {"token": "Profile_1", "name": "mainStream", "codec": "H264", "width": 1920,
     "height": 1080, "fps": 25, "path": "/live1", "media1": True},
    {"token": "Profile_2", "name": "subStream", "codec": "H264", "width": 640,
     "height": 360, "fps": 15, "path": "/live1", "media1": True},
    # H.265 is only visible through Media2, as on real Hikvision-style firmware.
    {"token": "Profile_3", "name": "h265Stream", "codec": "H265", "width": 2560,
     "height": 1440, "fps": 20, "path": "/h265", "media1": False},
]


@dataclass
class EmulatorSettings:
    user: str = "admin"
    password: str = "Secret-123"
    auth: str = "wsse"  # "wsse" | "digest" | "none"
    clock_skew_s: float = 0.0
    rtsp_base: str = "rtsp://127.0.0.1:8554"
    manufacturer: str = "HIKVISION"
    model: str = "DS-2DE4A425IW-DE"
    firmware: str = "V5.7.3 build 220112"
    serial: str = "DS-2DE4A425IW-DE20220101AAWRJ12345678"
    name: str = "Junction 7 East"
    stream_quirk: str | None = None  # one of STREAM_QUIRKS
    xaddr_host: str | None = None  # e.g. "192.168.1.64:80": advertise XAddrs behind NAT
    # Join the WS-Discovery multicast group on loopback, on the standard port. Only inside
    # a private network namespace (unshare -rn): there loopback is the whole network.
    multicast_port: int | None = None
    # An NVR or encoder answers a probe for each of its channels, each channel in its own
    # ProbeMatches datagram from the same address; ``probe_gap_s`` apart, as they trickle.
    discovery_channels: int = 1
    probe_gap_s: float = 0.0
    no_ptz: bool = False
    ptz_faults: bool = False  # PTZ XAddr advertised, every PTZ call faults
    media2_only: bool = False
    vendor_namespaces: bool = False
    fault_ops: set[str] = field(default_factory=set)
    delay_s: float = 0.0
    delay_ops: set[str] | None = None  # None: every SOAP operation is delayed
    profiles: list[dict[str, Any]] = field(default_factory=lambda: list(DEFAULT_PROFILES))
    # Profile G search + replay services (onvif_emulator_recording); None: not offered.
    recording: profile_g.RecordingSettings | None = None
    # Events service (GetEventProperties, PullPoint): onvif_emulator_events.
    events: EventsSettings = field(default_factory=EventsSettings)


class PtzState:
    """Position that really moves with time while a ContinuousMove is on, clamped to ±1."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pos = [0.0, 0.0, 0.0]
        self._vel = [0.0, 0.0, 0.0]
        self._t0 = time.monotonic()
        self.presets: dict[str, tuple[str, float, float, float]] = {
            "1": ("Gate", 0.25, -0.1, 0.0)}

    def _now_pos(self) -> list[float]:
        elapsed = time.monotonic() - self._t0
        return [max(-1.0, min(1.0, p + v * elapsed * PTZ_UNITS_PER_S))
                for p, v in zip(self._pos, self._vel, strict=True)]

    def position(self) -> tuple[float, float, float, bool]:
        with self._lock:
            pan, tilt, zoom = self._now_pos()
            return pan, tilt, zoom, any(self._vel)

    def move(self, velocity: tuple[float, float, float]) -> None:
        with self._lock:
            self._pos, self._t0 = self._now_pos(), time.monotonic()
            self._vel = [max(-1.0, min(1.0, v)) for v in velocity]

    def stop(self) -> None:
        self.move((0.0, 0.0, 0.0))

    def goto(self, pan: float, tilt: float, zoom: float) -> None:
        with self._lock:
            self._pos, self._vel, self._t0 = [pan, tilt, zoom], [0.0, 0.0, 0.0], time.monotonic()


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _find(el: Any, name: str) -> Any:
    return next((c for c in el.iter() if _local(c) == name), None)


def _text(el: Any, name: str) -> str | None:
    found = _find(el, name)
    return found.text.strip() if found is not None and found.text else None


def _jpeg() -> bytes:
    img = np.zeros((180, 320, 3), np.uint8)
    img[:, :, 0] = np.linspace(0, 255, 320, dtype=np.uint8)
    cv2.putText(img, "ONVIF EMU", (20, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok
    return bytes(buf.tobytes())


class OnvifEmulator:
    def __init__(self, settings: EmulatorSettings | None = None) -> None:
        self.settings = settings or EmulatorSettings()
        self.ptz = PtzState()
        self.calls: list[tuple[str, bool]] = []  # (operation, authorised)
        self.jpeg = _jpeg()
        self.events = EventsService(self)
        self._stop = threading.Event()
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.emulator = self  # type: ignore[attr-defined]
        self.port = self._http.server_address[1]
        self._udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if settings.multicast_port is not None:
            self._udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._udp.bind(("0.0.0.0", settings.multicast_port))
            self._udp.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                                 socket.inet_aton("239.255.255.250")
                                 + socket.inet_aton("127.0.0.1"))
        else:
            self._udp.bind(("127.0.0.1", 0))
        self.discovery_port = self._udp.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._threads = [
            threading.Thread(target=self._http.serve_forever, name="onvif-emu-http"),
            threading.Thread(target=self._discovery_loop, name="onvif-emu-wsd"),
        ]
        self.uuid = "urn:uuid:5f5a69c2-e0ae-504f-829b-00c0ff3e5a01"

    # -- lifetime ----------------------------------------------------------------------
    def start(self) -> OnvifEmulator:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases handlers parked in a "never answers" delay
        self.events.close()  # and those holding a PullMessages
        self._http.shutdown()
        self._http.server_close()  # joins the request threads
        self._wake_w.send(b"x")
        for t in self._threads:
            t.join()
        for s in (self._udp, self._wake_r, self._wake_w):
            s.close()

    def __enter__(self) -> OnvifEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------
    @property
    def device_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/onvif/device_service"

    def xaddrs(self) -> dict[str, str]:
        s = self.settings
        base = f"http://{s.xaddr_host or f'127.0.0.1:{self.port}'}/onvif"
        found = {"device": f"{base}/device_service"}
        if not s.media2_only:
            found["media"] = f"{base}/media_service"
        found["media2"] = f"{base}/media2_service"
        if not s.no_ptz:
            found["ptz"] = f"{base}/ptz_service"
        found.update(profile_g.xaddrs(base, s))
        found.update(self.events.xaddrs(base))
        return found

    def camera_now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.settings.clock_skew_s)

    def stream_uri_for(self, path: str) -> str | None:
        base, quirk = self.settings.rtsp_base.rstrip("/"), self.settings.stream_quirk
        scheme, _, hostport = base.partition("://")
        port = hostport.rpartition(":")[2] if ":" in hostport else "554"
        if quirk == "loopback":  # the officer typed 127.0.0.1; the camera says "localhost"
            return f"{scheme}://localhost:{port}{path}"
        if quirk == "nat":
            return f"{scheme}://192.168.1.64:{port}{path}"
        if quirk == "doubled_port":
            return f"{base}:{port}{path}"
        if quirk == "crlf":
            return f"{base}{path[:3]}\r\n{path[3:]}\r\n"
        if quirk == "two_xaddrs":
            return f"{scheme}://192.168.1.64:{port}{path} {base}{path}"
        if quirk == "no_uri":
            return None
        if quirk == "other_host":
            return f"{scheme}://{OTHER_HOST}:{port}{path}"
        return f"{base}{path}"

    # -- authentication ----------------------------------------------------------------
    def check_wsse(self, root: Any) -> bool:
        s = self.settings
        token = _find(root, "UsernameToken")
        if token is None:
            return False
        user, password = _text(token, "Username"), _find(token, "Password")
        nonce, created = _text(token, "Nonce"), _text(token, "Created")
        if user != s.user or password is None or not nonce or not created:
            return False
        expected = base64.b64encode(hashlib.sha1(
            base64.b64decode(nonce) + created.encode() + s.password.encode()).digest()).decode()
        if (password.text or "").strip() != expected:
            return False
        try:
            when = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return abs((when - self.camera_now()).total_seconds()) <= WINDOW_S

    def new_nonce(self) -> str:
        nonce = secrets.token_hex(16)
        with self._lock:
            self._nonces.add(nonce)
        return nonce

    def check_digest(self, header: str | None, method: str) -> bool:
        if not header or not header.lower().startswith("digest "):
            return False
        params: dict[str, str] = {}
        for part in _split_header(header[7:]):
            key, _, value = part.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        s = self.settings
        with self._lock:
            known = params.get("nonce") in self._nonces
        if not known or params.get("username") != s.user or params.get("realm") != REALM:
            return False
        ha1 = hashlib.md5(f"{s.user}:{REALM}:{s.password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{params.get('uri', '')}".encode()).hexdigest()
        if params.get("qop"):
            raw = (f"{ha1}:{params['nonce']}:{params.get('nc', '')}:{params.get('cnonce', '')}"
                   f":{params['qop']}:{ha2}")
        else:
            raw = f"{ha1}:{params['nonce']}:{ha2}"
        return hashlib.md5(raw.encode()).hexdigest() == params.get("response")

    # -- WS-Discovery ------------------------------------------------------------------
    def _discovery_loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._udp, self._wake_r], [], [])
            if self._wake_r in ready or self._stop.is_set():
                return
            data, addr = self._udp.recvfrom(65535)
            try:
                root = etree.fromstring(data, etree.XMLParser(recover=True,
                                                              resolve_entities=False))
            except etree.XMLSyntaxError:
                continue
            if root is None or _find(root, "Probe") is None:
                continue
            for reply in self._probe_replies(_text(root, "MessageID") or ""):
                self._udp.sendto(reply, addr)
                if self.settings.probe_gap_s and self._stop.wait(self.settings.probe_gap_s):
                    return

    def _probe_replies(self, relates_to: str) -> list[bytes]:
        s = self.settings
        replies = []
        for channel in range(1, s.discovery_channels + 1):
            many = s.discovery_channels > 1
            name = f"{s.name} {channel}" if many else s.name
            scopes = ["onvif://www.onvif.org/type/video_encoder",
                      "onvif://www.onvif.org/type/ptz",
                      f"onvif://www.onvif.org/hardware/{s.model}",
                      f"onvif://www.onvif.org/name/{name.replace(' ', '%20')}",
                      "onvif://www.onvif.org/location/city/rural"]
            # Each channel is its own device: its own endpoint reference and address.
            uuid = f"{self.uuid[:-2]}{channel:02d}" if many else self.uuid
            xaddr = (self.device_url.replace("/onvif/", f"/onvif/ch{channel}/") if many
                     else self.device_url)
            replies.append(bodies.probe_matches(relates_to, xaddr, scopes, uuid))
        return replies


def _split_header(value: str) -> list[str]:
    parts, current, quoted = [], "", False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


class _Handler(BaseHTTPRequestHandler):
    server_version = "App-webs/"
    emulator: OnvifEmulator

    def setup(self) -> None:
        super().setup()
        self.emulator = self.server.emulator  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is not the place for an access log."""

    def _send(self, status: int, body: bytes, ctype: str = "application/soap+xml; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _challenge(self) -> None:
        nonce = self.emulator.new_nonce()
        self._send(401, b"Unauthorized", "text/plain", {
            "WWW-Authenticate": f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", '
                                'algorithm=MD5'})

    def do_GET(self) -> None:
        emu = self.emulator
        if not self.path.startswith("/snapshot.jpg"):
            self._send(404, b"not found", "text/plain")
            return
        if emu.settings.auth != "none" and not emu.check_digest(
                self.headers.get("Authorization"), "GET"):
            self._challenge()
            return
        self._send(200, emu.jpeg, "image/jpeg")

    def do_POST(self) -> None:
        emu, s = self.emulator, self.emulator.settings
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            root = etree.fromstring(data, etree.XMLParser(recover=True, resolve_entities=False))
            body = next(c for c in root.iter() if _local(c) == "Body")
            op_el = next(c for c in body if isinstance(c.tag, str))
        except (etree.XMLSyntaxError, StopIteration, AttributeError, TypeError):
            self._send(400, bodies.fault("Sender", "WellFormed", "Bad XML", s.vendor_namespaces))
            return
        op = _local(op_el)
        if s.delay_s and (s.delay_ops is None or op in s.delay_ops):
            emu._stop.wait(s.delay_s)
            if emu._stop.is_set():
                return
        pre_auth = op in ("GetSystemDateAndTime", "GetServices")
        if s.auth == "digest" and not pre_auth:
            authorised = emu.check_digest(self.headers.get("Authorization"), "POST")
            emu.calls.append((op, authorised))
            if not authorised:
                self._challenge()
                return
        elif s.auth == "wsse" and not pre_auth:
            authorised = emu.check_wsse(root)
            emu.calls.append((op, authorised))
            if not authorised:
                self._send(400, bodies.fault("Sender", "NotAuthorized", "Sender not Authorized",
                                             s.vendor_namespaces))
                return
        else:
            emu.calls.append((op, True))
        status, payload = answer(emu, self.path, op, op_el)
        # The client may have given up on a long poll (a cancelled PullMessages).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(status, payload)


def endpoint_for(emu: OnvifEmulator, password: str | None = None) -> Any:
    """The CameraEndpoint an officer would type for this emulator."""
    from commandroom.onvif import CameraEndpoint

    s = emu.settings
    return CameraEndpoint("127.0.0.1", emu.port, s.user,
                          s.password if password is None else password)
