"""The small HTTP endpoint behind the ack link in every message.

GET shows a confirmation page and changes nothing (chat apps fetch links to preview
them; that must not acknowledge); POST from that page records the acknowledgement.
A link is signed (HMAC), expires, and counts once: a reused, expired or forged link
gets a page saying so, with a matching status code.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from commandroom.alerts.acks import AckService
from commandroom.alerts.signing import AckClaim, AckRefused, AckSigner
from commandroom.auth.permissions import SYSTEM
from commandroom.config import AlertSettings
from commandroom.db.base import utcnow

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 4096


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


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
        self._server = ThreadingHTTPServer((settings.ack_bind, settings.ack_port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = str(self._server.server_address[0])
        return f"http://{host}:{self.port}"

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
            raise AckRefused("This alert has already been acknowledged; the link is used up.", 409)
        return claim

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "commandroom-ack"

            def log_message(self, format: str, *args: Any) -> None:
                # The default logs the full query, which holds the token.
                log.debug("ack endpoint: %s %s", self.command, urlsplit(self.path).path)

            def _reply(self, status: int, title: str, body: str) -> None:
                data = _page(title, body)
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.end_headers()
                self.wfile.write(data)

            def _refused(self, exc: AckRefused) -> None:
                self._reply(
                    exc.http_status, "Not acknowledged", f"<p>{html.escape(exc.reason)}</p>"
                )

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != "/ack":
                    self._reply(404, "Not found", "<p>Nothing here.</p>")
                    return
                token = parse_qs(url.query).get("t", [""])[0]
                try:
                    claim = outer._claim(token)
                except AckRefused as exc:
                    self._refused(exc)
                    return
                form = (
                    f"<p>Alert #{claim.alert_id}. Confirm that your team has it in hand.</p>"
                    "<form method='post' action='/ack'>"
                    f"<input type='hidden' name='t' value='{html.escape(token)}'>"
                    "<label>Your name <input name='by' required maxlength='120'></label> "
                    "<button type='submit'>Acknowledge</button></form>"
                )
                self._reply(200, "Acknowledge alert", form)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if urlsplit(self.path).path != "/ack" or not 0 < length <= MAX_FORM_BYTES:
                    self._reply(400, "Bad request", "<p>Use the link from the alert.</p>")
                    return
                form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                token = form.get("t", [""])[0]
                by = form.get("by", [""])[0].strip() or "(link)"
                try:
                    claim = outer._claim(token)
                    outer._acks.record(SYSTEM, claim.alert_id, claim.team_id, by, "link")
                except AckRefused as exc:
                    self._refused(exc)
                    return
                self._reply(
                    200,
                    "Acknowledged",
                    f"<p>Thank you, {html.escape(by)}. The command room can see it.</p>",
                )

        return Handler
