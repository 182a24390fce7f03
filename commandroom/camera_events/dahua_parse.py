"""Dahua ``eventManager.cgi?action=attach`` text parts.

A part is ``Code=VideoMotion;action=Start;index=0``, sometimes followed by
``;data={...}`` (JSON, often over several lines, with ``;`` inside strings), or the bare
word ``Heartbeat``. Some NVRs put several ``Code=`` lines in one part. Plate reads come
as ``TrafficJunction`` (or ``ANPR`` on some models) with the plate in
``data.TrafficCar.PlateNumber`` or ``data.Object.Text`` and the time in ``data.UTC``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from commandroom.camera_events.model import EventState, EventType

_TYPES: dict[str, EventType] = {
    "videomotion": EventType.MOTION,
    "smartmotionhuman": EventType.MOTION,
    "smartmotionvehicle": EventType.MOTION,
    "crosslinedetection": EventType.LINE_CROSSING,
    "crossregiondetection": EventType.INTRUSION,
    "videoblind": EventType.TAMPER,
    "videoabnormaldetection": EventType.TAMPER,
    "trafficjunction": EventType.PLATE,
    "anpr": EventType.PLATE,
    "videoloss": EventType.VIDEO_LOSS,
}
_STATES = {"start": EventState.START, "stop": EventState.STOP, "pulse": EventState.PULSE}
_CODE_LINE = re.compile(r"^Code=", re.MULTILINE)
NO_PLATE = frozenset({"", "unknown", "无车牌", "none"})


class BadEventText(ValueError):
    """A part that is neither a heartbeat nor a ``Code=...;action=...`` event."""


@dataclass(frozen=True)
class DahuaEvent:
    code: str  # as sent ("VideoMotion", "TrafficJunction"...)
    action: str  # as sent ("Start", "Stop", "Pulse")
    index: int | None  # 0-based channel
    device_time: datetime | None = None
    plate: str = ""
    plate_colour: str = ""
    details: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> EventType:
        return _TYPES.get(self.code.lower(), EventType.OTHER)

    @property
    def state(self) -> EventState:
        if self.kind is EventType.PLATE:
            return EventState.PULSE  # a read is an instant whatever action says
        return _STATES.get(self.action.lower(), EventState.PULSE)


def is_heartbeat(body: bytes) -> bool:
    return body.strip().lower() == b"heartbeat"


def parse_part(body: bytes) -> list[DahuaEvent]:
    """The events of one text part; raises ``BadEventText``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # Older firmwares send GB2312/GBK plates; that is what a Chinese device means.
        text = body.decode("gb18030", errors="replace")
    starts = [m.start() for m in _CODE_LINE.finditer(text.strip())]
    if not starts:
        raise BadEventText("no Code= in the part")
    stripped = text.strip()
    chunks = [stripped[a:b] for a, b in zip(starts, [*starts[1:], len(stripped)], strict=True)]
    return [_parse_one(chunk.strip()) for chunk in chunks]


def _parse_one(text: str) -> DahuaEvent:
    head, sep, data_text = text.partition(";data=")
    fields: dict[str, str] = {}
    for item in head.split(";"):
        name, eq, value = item.partition("=")
        if eq:
            fields[name.strip().lower()] = value.strip()
    code = fields.get("code", "")
    if not code or "action" not in fields:
        raise BadEventText("an event without Code or action")
    index_text = fields.get("index", "")
    data: dict[str, Any] = {}
    if sep:
        try:
            loaded = json.loads(data_text)
        except json.JSONDecodeError as exc:
            raise BadEventText(f"data is not JSON: {exc.msg}") from None
        if isinstance(loaded, dict):
            data = loaded
    plate, colour = _plate(data)
    details = {k: v for k, v in {
        "name": _str(data.get("Name")),
        "direction": _str(data.get("Direction") or data.get("JunctionDirection")),
        "lane": _str(data.get("Lane")),
    }.items() if v}
    return DahuaEvent(
        code=code,
        action=fields["action"],
        index=int(index_text) if index_text.isdigit() else None,
        device_time=_utc(data.get("UTC")),
        plate=plate,
        plate_colour=colour,
        details={k: v[:120] for k, v in details.items()},
    )


def _plate(data: dict[str, Any]) -> tuple[str, str]:
    """The plate and its colour wherever the model put them."""
    car, obj = _dict(data.get("TrafficCar")), _dict(data.get("Object"))
    plate = _str(car.get("PlateNumber")) or _str(obj.get("Text"))
    colour = _str(car.get("PlateColor")) or _str(obj.get("PlateColor"))
    if plate.lower() in NO_PLATE:
        plate = ""
    return plate, colour


def _utc(value: Any) -> datetime | None:
    """``UTC`` is seconds since the epoch. (Some firmwares put local time there as if it
    were UTC; we cannot tell, so we take it as stated and keep our receive time too.)"""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return str(value).strip() if isinstance(value, str | int | float) else ""
