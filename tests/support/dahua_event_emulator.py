"""A Dahua camera's ``/cgi-bin/eventManager.cgi?action=attach&codes=[All]`` on 127.0.0.1.

What the Dahua HTTP API documents and devices send: HTTP 200 with
``Content-Type: multipart/x-mixed-replace; boundary=myboundary``, no end; per event
``--myboundary`` / ``Content-Type: text/plain`` / ``Content-Length`` / blank line /
``Code=VideoMotion;action=Start;index=0`` (plus ``;data={json}`` for smart events and
TrafficJunction plate reads) and a blank line; with ``heartbeat=N`` in the query a
``Heartbeat`` part every N seconds. Like the devices, the stated Content-Length counts
the CR LF after the text (the documentation's own example: 39 for a 37-character code).
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.multipart_event_server import MultipartEventServer, encode_part

BOUNDARY = "myboundary"
PATH = "/cgi-bin/eventManager.cgi"


def text_part(text: str) -> bytes:
    body = text.encode("utf-8")
    return f"--{BOUNDARY}\r\n".encode() + encode_part(
        {"Content-Type": "text/plain"}, body, length=len(body) + 2, trailer=b"\r\n\r\n")


def event_text(code: str, action: str = "Start", index: int = 0,
               data: dict[str, object] | None = None) -> str:
    text = f"Code={code};action={action};index={index}"
    if data is not None:
        # Pretty-printed over several lines, as the devices do.
        text += ";data=" + json.dumps(data, indent=3, ensure_ascii=False)
    return text


def plate_data(plate: str, colour: str, when: dt.datetime) -> dict[str, object]:
    return {
        "Name": "TrafficJunction1", "Lane": 1, "JunctionDirection": "Obverse",
        "UTC": int(when.timestamp()), "PTS": 42949.0, "EventID": 10241,
        "Object": {"ObjectType": "Plate", "Text": plate, "Color": colour},
        "TrafficCar": {"PlateNumber": plate, "PlateColor": colour,
                       "PlateType": "Normal", "VehicleColor": "White"},
    }


class DahuaEventEmulator(MultipartEventServer):
    def __init__(self, *, heartbeat_s: float | None = None, user: str = "admin",
                 password: str = "Secret-123") -> None:
        # heartbeat_s None: every stream heartbeats as its query asks (heartbeat=N).
        self._fixed_heartbeat = heartbeat_s
        super().__init__(
            path_ok=self._attach_ok,
            content_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
            heartbeat_part=lambda: text_part("Heartbeat"),
            heartbeat_s=heartbeat_s or 0.0, user=user, password=password)

    def _attach_ok(self, path: str) -> bool:
        split = urlsplit(path)
        query = parse_qs(split.query)
        if split.path != PATH or query.get("action") != ["attach"]:
            return False
        codes = unquote(query.get("codes", [""])[0])
        if not (codes.startswith("[") and codes.endswith("]")):
            return False
        if self._fixed_heartbeat is None and query.get("heartbeat", [""])[0].isdigit():
            self.heartbeat_s = float(query["heartbeat"][0])
        return True

    def push_event(self, code: str, action: str = "Start", index: int = 0,
                   data: dict[str, object] | None = None) -> None:
        self.send(text_part(event_text(code, action, index, data)))

    def push_plate(self, plate: str, colour: str = "Blue", index: int = 0,
                   when: dt.datetime | None = None) -> None:
        when = when or dt.datetime.now(dt.UTC)
        self.push_event("TrafficJunction", "Pulse", index, plate_data(plate, colour, when))

    def push_bad_text(self) -> None:
        self.send(text_part('Code=TrafficJunction;action=Pulse;index=0;data={"UTC": 17'))

    def push_oversized(self, size: int) -> None:
        self.send(f"--{BOUNDARY}\r\n".encode()
                  + encode_part({"Content-Type": "text/plain"}, b"x" * size))

    def drop_mid_part(self, part: bytes | None = None) -> None:
        super().drop_mid_part(part or text_part(event_text("VideoMotion")))
