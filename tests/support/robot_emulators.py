"""WeCom and DingTalk group robot emulators on 127.0.0.1 that ENFORCE the platforms'
published rules (see commandroom/alerts/channels/robot_rules.py for the sources):

WeCom: ``key`` must match (93000); text.content ≤ 2,048 and markdown.content ≤ 4,096
UTF-8 bytes (40058); image = base64 + MD5 of the raw JPEG/PNG ≤ 2 MB (301019 MD5
mismatch, 40009 size, 40005 not JPEG/PNG); 20 messages per minute per robot (45009).
DingTalk: ``access_token`` must match (300001); signed URL with a ``timestamp`` within
1 h of the platform's clock (310000 "invalid timestamp") and a matching ``sign``
(310000 "sign not match"); body ≤ 20,000 bytes (460101); 20 messages per minute, then
throttled for 10 minutes (130101).

Both answer HTTP 200 with ``errcode`` ≠ 0 on refusal, as the platforms do, and stamp
each answer with a ``Date`` header from their own clock (injectable: a test shares its
fake clock with the app so a burst of minutes runs in a moment over real HTTP, or
skews the platform's clock to play a PC whose clock is off).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import html
import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.receivers import LOOPBACK, free_port

WINDOW_S = 60.0
PER_MINUTE = 20
DINGTALK_THROTTLE_S = 600.0
WECOM_TEXT_MAX = 2048
WECOM_MARKDOWN_MAX = 4096
WECOM_IMAGE_MAX = 2 * 1024 * 1024
DINGTALK_BODY_MAX = 20000
DINGTALK_TIMESTAMP_WINDOW_MS = 3600 * 1000


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class RobotCall:
    at: dt.datetime
    query: dict[str, str]
    body: bytes
    errcode: int
    errmsg: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class _RobotServer:
    """What both emulators share: the HTTP server, the call log, the rate window."""

    clock: Callable[[], dt.datetime] = _utcnow
    port: int = field(default_factory=free_port)
    calls: list[RobotCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._recent: deque[dt.datetime] = deque()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- what a test looks at ------------------------------------------------------------
    @property
    def accepted(self) -> list[RobotCall]:
        with self._cond:
            return [c for c in self.calls if c.errcode == 0]

    @property
    def rejected(self) -> list[RobotCall]:
        with self._cond:
            return [c for c in self.calls if c.errcode != 0]

    def max_in_any_window(self) -> int:
        """The most accepted calls seen in any 60-second window."""
        times = [c.at for c in self.accepted]
        best = 0
        for i, start in enumerate(times):
            best = max(best, sum(1 for t in times[i:] if (t - start).total_seconds() < WINDOW_S))
        return best

    def wait_for(self, predicate: Callable[[_RobotServer], bool], timeout: float = 10) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self), timeout):
                raise TimeoutError(f"robot emulator: {[(c.errcode, c.errmsg) for c in self.calls]}")

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Any:
        self._server = ThreadingHTTPServer((LOOPBACK, self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="robot-emulator")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
        self._server = None

    # -- rules shared by both platforms --------------------------------------------------
    def _rate_exceeded(self, now: dt.datetime) -> bool:
        """Sliding 60-s window, the strictest reading of "20 messages per minute"."""
        while self._recent and (now - self._recent[0]).total_seconds() >= WINDOW_S:
            self._recent.popleft()
        return len(self._recent) >= PER_MINUTE

    def _judge(self, query: dict[str, str], body: bytes, now: dt.datetime) -> tuple[int, str]:
        raise NotImplementedError

    def _receive(self, query: dict[str, str], body: bytes) -> tuple[dt.datetime, bytes]:
        with self._cond:
            now = self.clock()
            errcode, errmsg = self._judge(query, body, now)
            if errcode == 0:
                self._recent.append(now)
            self.calls.append(RobotCall(now, query, body, errcode, errmsg))
            self._cond.notify_all()
        answer = json.dumps({"errcode": errcode, "errmsg": errmsg}).encode()
        return now, answer

    def _page(self) -> bytes:
        return b"<html><body>no page</body></html>"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            answered_at: dt.datetime | None = None

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                # The platform's clock, not the test machine's: what the app measures.
                when = self.answered_at or outer.clock()
                return formatdate(when.timestamp(), usegmt=True)

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = {k: v[0] for k, v in parse_qs(url.query, True).items()}
                self.answered_at, answer = outer._receive(query, body)
                self._answer(answer, "application/json")

            def do_GET(self) -> None:
                self._answer(outer._page(), "text/html; charset=utf-8")

            def _answer(self, payload: bytes, kind: str) -> None:
                try:
                    self.send_response(200)  # refusals too: the errcode says it
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass

        return Handler


@dataclass
class WeComRobot(_RobotServer):
    key: str = "wecom-key-0001"

    @property
    def url(self) -> str:
        """The robot's webhook URL as the WeCom group shows it (key included)."""
        return f"http://{LOOPBACK}:{self.port}/cgi-bin/webhook/send?key={self.key}"

    @property
    def page_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/group"

    def _judge(self, query: dict[str, str], body: bytes, now: dt.datetime) -> tuple[int, str]:
        if not hmac.compare_digest(query.get("key", ""), self.key):
            return 93000, "invalid webhook url"
        try:
            doc = json.loads(body)
            msgtype = doc["msgtype"]
        except (ValueError, KeyError, TypeError):
            return 40058, "invalid Request Parameter"
        if msgtype in ("text", "markdown"):
            content = str((doc.get(msgtype) or {}).get("content", ""))
            limit = WECOM_TEXT_MAX if msgtype == "text" else WECOM_MARKDOWN_MAX
            if len(content.encode("utf-8")) > limit:
                return 40058, f"{msgtype}.content exceed max length {limit}"
            if not content:
                return 40058, f"{msgtype}.content is empty"
        elif msgtype == "image":
            problem = self._judge_image(doc.get("image") or {})
            if problem:
                return problem
        else:
            return 40008, "invalid message type"
        if self._rate_exceeded(now):
            return 45009, "api freq out of limit"
        return 0, "ok"

    @staticmethod
    def _judge_image(image: dict[str, Any]) -> tuple[int, str] | None:
        try:
            raw = base64.b64decode(str(image.get("base64", "")), validate=True)
        except (binascii.Error, ValueError):
            return 40058, "image.base64 invalid"
        if len(raw) > WECOM_IMAGE_MAX:
            return 40009, "invalid image size"
        if hashlib.md5(raw).hexdigest() != str(image.get("md5", "")).lower():
            return 301019, "media md5 not match"
        if not (raw.startswith(b"\xff\xd8\xff") or raw.startswith(b"\x89PNG\r\n\x1a\n")):
            return 40005, "invalid file type"
        return None

    def _page(self) -> bytes:
        """The group chat as a WeCom member would see what the robot posted."""
        bubbles = []
        for call in self.accepted:
            doc = call.json()
            when = call.at.astimezone().strftime("%H:%M")
            if doc["msgtype"] == "image":
                b64 = doc["image"]["base64"]
                raw = base64.b64decode(b64)
                kind = "png" if raw.startswith(b"\x89PNG") else "jpeg"
                inner = f"<img src='data:image/{kind};base64,{b64}' alt='snapshot'>"
                checked = (f"image · {kind.upper()} {len(raw):,} bytes ≤ 2 MB · MD5 "
                           f"{doc['image']['md5'][:8]}… matches")
            else:
                content = str(doc[doc["msgtype"]]["content"])
                inner = _markdown_html(content)
                limit = WECOM_TEXT_MAX if doc["msgtype"] == "text" else WECOM_MARKDOWN_MAX
                checked = f"{doc['msgtype']} · {len(content.encode()):,} / {limit:,} bytes"
            bubbles.append(
                f"<div class='msg'><div class='avatar'>机</div><div><div class='who'>"
                f"告警机器人 Alert robot · {when}</div>"
                f"<div class='bubble'>{inner}</div><div class='check'>emulator accepted: "
                f"{html.escape(checked)}</div></div></div>"
            )
        return _GROUP_PAGE.replace("{{MESSAGES}}", "\n".join(bubbles)).encode("utf-8")


def _markdown_html(text: str) -> str:
    """The subset of markdown WeCom renders: headings, bold, quotes, links."""
    out = []
    for line in text.split("\n"):
        esc = html.escape(line)
        esc = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc)
        esc = re.sub(r"\[(.+?)\]\((.+?)\)", r"<a href='\2'>\1</a>", esc)
        if esc.startswith("### "):
            out.append(f"<h3>{esc[4:]}</h3>")
        elif esc.startswith("&gt; "):
            out.append(f"<div class='quote'>{esc[5:]}</div>")
        elif esc:
            out.append(f"<div>{esc}</div>")
    return "\n".join(out)


_GROUP_PAGE = """<!doctype html><html><head><meta charset='utf-8'><title>WeCom group</title>
<style>
body { margin: 0; background: #ededed; font: 14px 'Noto Sans CJK SC', 'WenQuanYi Micro Hei',
       sans-serif; color: #1a1a1a; }
.bar { background: #f7f7f7; border-bottom: 1px solid #d9d9d9; padding: 10px 16px;
       font-weight: bold; }
.msg { display: flex; gap: 10px; margin: 14px 16px; }
.avatar { width: 36px; height: 36px; border-radius: 4px; background: #3975c6; color: white;
          display: flex; align-items: center; justify-content: center; font-size: 18px; }
.who { color: #888; font-size: 12px; margin-bottom: 4px; }
.bubble { background: white; border-radius: 4px; padding: 10px 12px; max-width: 620px; }
.bubble h3 { margin: 0 0 6px; font-size: 15px; }
.quote { color: #555; border-left: 3px solid #ccc; padding-left: 6px; margin: 2px 0; }
.bubble img { max-width: 360px; display: block; }
.check { color: #2e7d32; font-size: 11px; margin-top: 3px; }
a { color: #3975c6; }
</style></head><body><div class='bar'>社区警务队 Community policing (3) — 群机器人</div>
{{MESSAGES}}
</body></html>"""


@dataclass
class DingTalkRobot(_RobotServer):
    access_token: str = "ding-token-0001"
    secret: str = "SECding-secret-0001"
    throttled_until: dt.datetime | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/robot/send?access_token={self.access_token}"

    def _judge(self, query: dict[str, str], body: bytes, now: dt.datetime) -> tuple[int, str]:
        if not hmac.compare_digest(query.get("access_token", ""), self.access_token):
            return 300001, "token is not exist"
        if self.secret:
            ts = query.get("timestamp", "")
            if not ts.isdigit() or abs(now.timestamp() * 1000 - int(ts)) > (
                DINGTALK_TIMESTAMP_WINDOW_MS
            ):
                return 310000, "invalid timestamp"
            mac = hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), "sha256")
            expected = base64.b64encode(mac.digest()).decode()
            if not hmac.compare_digest(expected, query.get("sign", "")):
                return 310000, "sign not match"
        if len(body) > DINGTALK_BODY_MAX:
            return 460101, "message too long, exceed 20000 bytes"
        try:
            doc = json.loads(body)
            msgtype = doc["msgtype"]
        except (ValueError, KeyError, TypeError):
            return 400, "invalid request"
        markdown = doc.get("markdown") or {}
        if msgtype == "markdown" and not (markdown.get("title") and markdown.get("text")):
            return 400, "markdown needs title and text"
        if msgtype not in ("text", "markdown", "link"):
            return 400, "unsupported msgtype"
        if self.throttled_until is not None and now < self.throttled_until:
            return 130101, "send too fast, exceed 20 times per minute"
        if self._rate_exceeded(now):
            self.throttled_until = now + dt.timedelta(seconds=DINGTALK_THROTTLE_S)
            return 130101, "send too fast, exceed 20 times per minute"
        return 0, "ok"
