"""The small HTTP(S) endpoint behind the ack link in every message.

GET shows a confirmation page (Chinese and English) listing the team's members and
changes nothing (chat apps fetch links to preview them; that must not acknowledge); POST
from that page records the acknowledgement by the member chosen. A link is signed
(HMAC), expires, and counts once: a reused, expired or forged link, or a person who is not
a member of the team, gets a page saying so, with a matching status code.

With ``ack_tls_cert``/``ack_tls_key`` set the endpoint speaks HTTPS with the station's
certificate; otherwise it is meant to sit on 127.0.0.1 behind a TLS reverse proxy
(README: "Acknowledgement links").
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from commandroom.alerts import ack_page
from commandroom.alerts.acks import AckService, no_members
from commandroom.alerts.signing import AckClaim, AckRefused, AckSigner
from commandroom.auth.permissions import SYSTEM
from commandroom.config import AlertSettings
from commandroom.db.base import utcnow

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 4096
# A phone on a poor network still sends a small form well within this; a client that
# stalls longer (or never finishes the TLS handshake) only holds its own thread.
CLIENT_TIMEOUT_S = 20.0


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """The server side of TLS with the station's certificate (TLS 1.2 or newer)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        if self.tls is None:
            return sock, address
        # The handshake runs in the request's own thread (Handler.setup), never in the
        # accepting one, where a slow or silent client would hold up everybody else.
        return self.tls.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up or failed the handshake; not worth a traceback on stderr.
        log.debug("ack endpoint: connection from %s failed", client_address[0], exc_info=True)


class AckHttpServer:
    def __init__(
        self,
        acks: AckService,
        signer: AckSigner,
        settings: AlertSettings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._acks = acks
        self._signer = signer
        self._clock = clock
        tls = None
        if settings.ack_tls_cert or settings.ack_tls_key:
            # Raises OSError/SSLError for a missing or unreadable file: the caller says so.
            tls = tls_context(settings.ack_tls_cert, settings.ack_tls_key)
        self._server = _Server((settings.ack_bind, settings.ack_port), self._handler())
        self._server.tls = tls
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def tls(self) -> bool:
        return self._server.tls is not None

    @property
    def base_url(self) -> str:
        host = str(self._server.server_address[0])
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="alert-ack-http", daemon=True
        )
        self._thread.start()
        log.info("ack endpoint listening on %s", self.base_url)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5.0)
            self._thread = None
        self._server.server_close()

    def _claim(self, token: str) -> AckClaim:
        claim = self._signer.verify_link_token(token, self._clock())
        if self._acks.is_acknowledged(claim.alert_id, claim.team_id):
            raise AckRefused("This alert has already been acknowledged; the link is used up.",
                             409, "used")
        return claim

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "commandroom-ack"
            timeout = CLIENT_TIMEOUT_S

            def setup(self) -> None:
                super().setup()
                if isinstance(self.connection, ssl.SSLSocket):
                    self.connection.do_handshake()

            def log_message(self, format: str, *args: Any) -> None:
                # The default logs the full query, which holds the token.
                log.debug("ack endpoint: %s %s", self.command, urlsplit(self.path).path)

            def _reply(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.send_header("Content-Language", "zh-CN, en")
                self.end_headers()
                self.wfile.write(data)

            def _refused(self, exc: AckRefused) -> None:
                self._reply(exc.http_status, ack_page.refused_page(exc.code, exc.reason))

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != "/ack":
                    self._refused(AckRefused("Nothing here.", 404, "not_found"))
                    return
                token = parse_qs(url.query).get("t", [""])[0]
                try:
                    claim = outer._claim(token)
                    facts = outer._acks.page_facts(claim.alert_id, claim.team_id)
                    if not facts.members:
                        raise no_members()
                except AckRefused as exc:
                    self._refused(exc)
                    return
                self._reply(200, ack_page.confirm_page(facts, token))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if urlsplit(self.path).path != "/ack" or not 0 < length <= MAX_FORM_BYTES:
                    self._refused(AckRefused("Use the link from the alert.", 400,
                                             "bad_request"))
                    return
                form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                token = form.get("t", [""])[0]
                chosen = form.get("member", [""])[0].strip()
                try:
                    claim = outer._claim(token)
                    # Only a member chosen from the list counts; nothing else is a name.
                    member_id = int(chosen) if chosen.isdigit() else None
                    by = outer._acks.member_name(claim.team_id, member_id)
                    outer._acks.record(SYSTEM, claim.alert_id, claim.team_id, by, "link")
                except AckRefused as exc:
                    self._refused(exc)
                    return
                self._reply(200, ack_page.done_page(by))

        return Handler
