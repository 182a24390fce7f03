"""Real receivers for the alert tests, all on 127.0.0.1: a webhook server that checks
signatures and drops duplicates, an SMTP server (aiosmtpd, plain or STARTTLS + login),
and a mosquitto broker with a subscriber that collects messages."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import paho.mqtt.client as mqtt
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from paho.mqtt.enums import CallbackAPIVersion

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll a condition that has nothing to wait on (a port opening) with a deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.01)


# -- webhook ------------------------------------------------------------------------------
@dataclass
class WebhookRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, str]

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class WebhookReceiver:
    """Checks X-Commandroom-Signature (HMAC over timestamp + "." + body) and refuses stale
    timestamps (replays); counts each idempotency key once. ``mode`` is what it answers:
    "ok", "500", "400", or "hold" (records, then waits for ``release`` before answering).
    DingTalk requests (path /dingtalk) are checked against their signed URL instead."""

    secret: str
    port: int = field(default_factory=free_port)
    mode: str = "ok"
    tolerance_s: float = 300.0
    delivered: dict[str, WebhookRequest] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    hits: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    on_delivered: Callable[[WebhookRequest], None] | None = None

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/hook"

    def start(self) -> WebhookReceiver:
        self._server = ThreadingHTTPServer((LOOPBACK, self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-rx")
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
        self._server = None

    def wait_for(self, predicate: Callable[[WebhookReceiver], bool], timeout: float = 10) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self), timeout):
                raise TimeoutError(
                    f"webhook receiver: condition not met; delivered={list(self.delivered)} "
                    f"rejected={self.rejected} hits={self.hits}"
                )

    def _check(self, request: WebhookRequest) -> str:
        """'' if genuine, else why not."""
        if request.path == "/dingtalk":
            ts, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
            if abs(time.time() * 1000 - int(ts or 0)) > self.tolerance_s * 1000:
                return "stale dingtalk timestamp"
            mac = hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), "sha256")
            expected = base64.b64encode(mac.digest()).decode()
            return "" if hmac.compare_digest(expected, sign) else "bad dingtalk sign"
        if request.path == "/wecom":
            return "" if request.query.get("key") == self.secret else "bad wecom key"
        ts = request.headers.get("x-commandroom-timestamp", "")
        signature = request.headers.get("x-commandroom-signature", "")
        if not ts.isdigit() or abs(time.time() - int(ts)) > self.tolerance_s:
            return "stale or missing timestamp"
        mac = hmac.new(self.secret.encode(), ts.encode() + b"." + request.body, "sha256")
        return (
            "" if hmac.compare_digest("sha256=" + mac.hexdigest(), signature) else "bad signature"
        )

    def _handle(self, request: WebhookRequest) -> tuple[int, bytes]:
        with self._cond:
            self.hits += 1
            self._cond.notify_all()
        problem = self._check(request)
        if problem:
            with self._cond:
                self.rejected.append(problem)
                self._cond.notify_all()
            return 401, json.dumps({"errcode": 310000, "errmsg": problem}).encode()
        if self.mode == "500":
            return 500, b"busy"
        if self.mode == "400":
            return 400, b"malformed alert"
        key = request.headers.get("x-idempotency-key", "")
        with self._cond:
            if key in self.delivered:
                self.duplicates[key] = self.duplicates.get(key, 0) + 1
            else:
                self.delivered[key] = request
                if self.on_delivered is not None:
                    self.on_delivered(request)
            self._cond.notify_all()
        if self.mode == "hold":
            self.release.wait(30)
        return 200, b'{"errcode":0,"errmsg":"ok"}'

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                # parse_qs undoes the one layer of URL encoding (DingTalk's sign included).
                query = {k: v[0] for k, v in parse_qs(url.query, True).items()}
                request = WebhookRequest(
                    url.path, {k.lower(): v for k, v in self.headers.items()}, body, query
                )
                status, answer = outer._handle(request)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender died while we held the answer (restart test)

        return Handler


# -- SMTP -----------------------------------------------------------------------------------
def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (IP SAN) made with `cryptography`; (cert, key) paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "commandroom test relay")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "relay-cert.pem", directory / "relay-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1; with ``cert`` it requires STARTTLS (or, with
    ``implicit_tls``, speaks TLS from the first byte, as on port 465)."""

    def __init__(
        self,
        cert: tuple[Path, Path] | None = None,
        login: tuple[str, str] | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.logins_refused = 0
        self._cond = threading.Condition()
        kwargs: dict[str, Any] = {}
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert[0]), str(cert[1]))
            if implicit_tls:
                # TLS from the first byte; aiosmtpd only counts STARTTLS as TLS when it
                # decides whether to offer AUTH, so say that the wire is safe already.
                kwargs.update(ssl_context=context, auth_require_tls=False)
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if login is not None:
            kwargs.update(authenticator=self._authenticator(login), auth_required=True)
        self._controller = Controller(self, hostname=LOOPBACK, port=self.port, **kwargs)

    def _authenticator(self, login: tuple[str, str]) -> Callable[..., AuthResult]:
        def check(
            _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and (data.login.decode(), data.password.decode()) == login
            )
            if not ok:
                self.logins_refused += 1
            # handled=False: aiosmtpd then answers 535 itself (True means 'I replied').
            return AuthResult(success=ok, handled=False)

        return check

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._cond:
            self.messages.append(parsed)
            self._cond.notify_all()
        return "250 OK"

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def wait_for_count(self, count: int, timeout: float = 10) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(f"SMTP receiver got {len(self.messages)} of {count} mails")


def attachments_sha256(mail: EmailMessage) -> list[str]:
    return [
        hashlib.sha256(part.get_payload(decode=True)).hexdigest()
        for part in mail.iter_attachments()
    ]


# -- MQTT -----------------------------------------------------------------------------------
@contextmanager
def mosquitto(tmp_path: Path, tls: tuple[Path, Path, int] | None = None) -> Iterator[int]:
    """Debian's mosquitto on a free port bound to 127.0.0.1 only; yields the port.

    ``tls=(cert, key, port)`` adds a second listener on ``port`` that speaks TLS only.
    """
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    lines = [f"per_listener_settings false\nlistener {port} {LOOPBACK}"]
    if tls is not None:
        cert, key, tls_port = tls
        lines.append(f"listener {tls_port} {LOOPBACK}\ncertfile {cert}\nkeyfile {key}")
    # user root: when started as root, mosquitto would otherwise drop to its own user and
    # could not read the certificate in the test's private temporary folder.
    lines.append("allow_anonymous true\npersistence false\nlog_dest stderr\nuser root\n")
    conf.write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.Popen(
        ["/usr/sbin/mosquitto", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _port_open(port) and (tls is None or _port_open(tls[2])), 10,
                   "mosquitto to listen")
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.2):
            return True
    except OSError:
        return False


class MqttCollector:
    """A subscriber (like a team's phone app) that collects what arrives on its topics."""

    def __init__(self, port: int, topics: list[str]) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        self._topics = topics
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda c, *_: c.subscribe([(t, 1) for t in self._topics])
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._on_message
        self.client.connect(LOOPBACK, port)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            raise TimeoutError("MQTT collector could not subscribe")

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append((message.topic, bytes(message.payload)))
            self._cond.notify_all()

    def on(self, topic: str) -> list[dict[str, Any]]:
        with self._cond:
            return [json.loads(p) for t, p in self.messages if t == topic]

    def wait_for(self, topic: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        with self._cond:
            if not self._cond.wait_for(
                lambda: sum(1 for t, _ in self.messages if t == topic) >= count, timeout
            ):
                raise TimeoutError(f"MQTT: fewer than {count} messages on {topic}")
        return self.on(topic)

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        self.client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class EventWaiter:
    """Collects events of one type from the bus; tests wait on a condition over them."""

    def __init__(self, bus: Any, event_type: type) -> None:
        self.events: list[Any] = []
        self._cond = threading.Condition()
        bus.subscribe(event_type, self._add)

    def _add(self, event: Any) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[Any]], bool], timeout: float = 10) -> list[Any]:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self.events), timeout):
                raise TimeoutError(f"events so far: {self.events}")
            return list(self.events)

    def count(self, status: str) -> Callable[[list[Any]], int]:
        return lambda events: sum(1 for e in events if getattr(e, "status", None) == status)
