"""What an alert says, and how it is written for each kind of channel.

The caller (the sighting/watch-list code) fills ``AlertContent``; this module depends on
nothing of theirs. Rendering is pure: same content, same text, so previews equal sends.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CATEGORIES = ("wanted", "suspect", "missing_person", "fraud_risk")
LOCAL_FIELDS = ("snapshot_path", "photo_path")  # paths on this computer, never sent
PRIORITIES = ("high", "normal")
RISK_NAMES = {0: "无 none", 1: "低 low", 2: "中 medium", 3: "高 high"}
# The teams read Chinese; the English beside it keeps a message readable to anyone and
# greppable in logs. The core has no Qt translator, so the pairs are written here.
# Said instead of a link when no address phones can reach is configured (ack_links.py).
ACK_BY_PHONE = "请电话向指挥室签收 Please acknowledge by phone to the command room"
# The preview stands this where the sent message has its signed link.
ACK_LINK_PLACEHOLDER = "（签收链接 acknowledgement link）"
CATEGORY_NAMES = {"wanted": "通缉 wanted", "suspect": "嫌疑 suspect",
                  "missing_person": "失踪 missing person", "fraud_risk": "易受骗 fraud risk",
                  "other": "其他 other"}


@dataclass(frozen=True)
class AlertContent:
    # who
    name: str  # person's name or vehicle plate
    category: str
    risk: int  # 0 none .. 3 high (as the watch list grades it)
    photo_path: str = ""
    # where
    camera: str = ""
    junction: str = ""
    camera_group: str = ""  # the camera's place: its group ("North", "Market")
    # Where the camera sits on the station's map image (0..1): for the map and for apps;
    # the teams' text shows the junction and the camera's place, never these numbers.
    map_x: float | None = None
    map_y: float | None = None
    camera_group_id: int | None = None
    # when (UTC, the frame's own time)
    frame_time: datetime = dataclasses.field(default_factory=lambda: datetime.now(UTC))
    snapshot_path: str = ""
    snapshot_sha256: str = ""
    note: str = ""
    evidence_ref: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("alert content needs a name or plate")
        if self.frame_time.tzinfo is None:
            raise ValueError("frame_time must be timezone-aware (UTC)")

    def to_json_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["frame_time"] = self.frame_time.astimezone(UTC).isoformat()
        return data

    def to_outbound_dict(self) -> dict[str, Any]:
        """What leaves the station: no local file paths (the snapshot travels by name,
        hash and bytes; where files sit on the console's disk is nobody's business)."""
        data = self.to_json_dict()
        for local in LOCAL_FIELDS:
            data.pop(local, None)
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> AlertContent:
        fields = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in fields}
        kwargs["frame_time"] = datetime.fromisoformat(str(data["frame_time"]))
        return cls(**kwargs)


@dataclass(frozen=True)
class RenderContext:
    """Facts about one recipient that the message mentions besides the content."""

    alert_id: int | None  # None: a preview, the alert has no number yet
    team_name: str
    priority: str
    extra_line: str = ""
    ack_url: str = ""
    escalation: int = 0


def category_name(category: str) -> str:
    return CATEGORY_NAMES.get(category, category.replace("_", " "))


def headline(content: AlertContent, priority: str) -> str:
    flag = "紧急 URGENT " if priority == "high" else ""
    return f"{flag}{category_name(content.category)}: {content.name}"


def _lines(content: AlertContent, ctx: RenderContext) -> list[tuple[str, str]]:
    rows = [
        ("对象 Who", content.name),
        ("类别 Category", category_name(content.category)),
        ("风险 Risk", RISK_NAMES.get(content.risk, str(content.risk))),
        ("地点 Where", content.junction or content.camera),
    ]
    camera = " · ".join(part for part in (content.camera, content.camera_group) if part)
    if camera:
        rows.append(("摄像机 Camera", camera))
    # The station's local time is what the teams act on; UTC stays for the record.
    local = content.frame_time.astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    utc = content.frame_time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    rows.append(("时间 When", f"{local} (UTC {utc})"))
    if content.note:
        rows.append(("备注 Note", content.note))
    if ctx.extra_line:
        rows.append(("附言 Message", ctx.extra_line))
    if content.snapshot_sha256:
        rows.append(("快照 Snapshot SHA-256", content.snapshot_sha256))
    if content.evidence_ref:
        rows.append(("证据 Evidence", content.evidence_ref))
    number = "发送时编号 numbered when sent" if ctx.alert_id is None else f"#{ctx.alert_id}"
    rows.append(("告警 Alert", f"{number} → {ctx.team_name}"))
    if ctx.escalation:
        rows.append(("提醒 Reminder",
                     f"尚未签收 not acknowledged yet (escalation {ctx.escalation})"))
    return rows


def render_text(content: AlertContent, ctx: RenderContext) -> str:
    out = [headline(content, ctx.priority)]
    out += [f"{label}: {value}" for label, value in _lines(content, ctx)]
    out.append(f"签收 Acknowledge: {ctx.ack_url or ACK_BY_PHONE}")
    return "\n".join(out)


def render_markdown(content: AlertContent, ctx: RenderContext) -> str:
    out = [f"### {headline(content, ctx.priority)}"]
    out += [f"> **{label}**: {value}" for label, value in _lines(content, ctx)]
    if ctx.ack_url:
        out.append(f"\n[签收 Acknowledge]({ctx.ack_url})")
    else:
        out.append(f"\n**签收 Acknowledge**: {ACK_BY_PHONE}")
    return "\n".join(out)


def render_html(content: AlertContent, ctx: RenderContext, snapshot_cid: str = "") -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><th align='left'>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in _lines(content, ctx)
    )
    img = f"<p><img src='cid:{esc(snapshot_cid)}' alt='snapshot'></p>" if snapshot_cid else ""
    if ctx.ack_url:
        ack = f"<p><a href='{esc(ctx.ack_url)}'>签收 Acknowledge</a></p>"
    else:
        ack = f"<p><b>签收 Acknowledge</b>: {esc(ACK_BY_PHONE)}</p>"
    return (
        f"<html><body><h2>{esc(headline(content, ctx.priority))}</h2>"
        f"<table>{rows}</table>{img}{ack}</body></html>"
    )
