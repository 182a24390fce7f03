"""The incident report (警情报告): what the incident is, its steps with their times, each
team's time to acknowledge, to scene and to resolution ("已抓获 — 47 分钟"), the outcome
and who gave it, then the timeline in order with small thumbnails of the snapshots, the
notes and the evidence packages. From ``IncidentService.get`` and ``.timeline``: the
values the incident's timeline window shows."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image as PilImage
from PIL.Image import Image

from commandroom.incidents.records import (
    IncidentView,
    ItemKind,
    State,
    TimelineItem,
)
from commandroom.reports.document import (
    Cell,
    ReportPdf,
    beijing,
    fields,
    heading,
    new_report,
    table,
    title,
)
from commandroom.reports.words import Words

log = logging.getLogger(__name__)

# Pixels of a thumbnail as embedded: sharp at its 32 mm on paper, small in the file.
THUMB_PIXELS = (240, 135)


@dataclass(frozen=True)
class WatchEntry:
    name: str
    category: str


@dataclass(frozen=True)
class IncidentReportData:
    incident: IncidentView
    timeline: list[TimelineItem]
    entries: list[WatchEntry]
    made_at: datetime
    made_by: str


def offset(seconds: int) -> str:
    """From the incident's opening, as the console shows it: "+47:00", "−0:10"."""
    sign = "−" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def item_line(item: TimelineItem, words: Words) -> str:
    """One timeline line, without its time (the console's words, in the report's language)."""
    facts = item.facts
    team = words.team(facts.get("team_key", ""), facts.get("team", ""))
    how = words.how(facts.get("how", ""))
    who = facts.get("who", "")
    if item.kind is ItemKind.CREATED:
        return words("line.created", number=facts["number"], by=facts["by"],
                     title=facts["title"])
    if item.kind is ItemKind.SIGHTING:
        text = words("line.sighting", place=facts.get("junction") or facts.get("camera", ""),
                     operator=facts.get("operator", ""))
        note = facts.get("note", "")
        return f"{text} — {note}" if note else text
    if item.kind is ItemKind.ALERT:
        return words("line.alert", alert=facts["alert_id"], by=facts.get("by", ""))
    if item.kind is ItemKind.DISPATCHED:
        return words("line.dispatched", team=team)
    if item.kind is ItemKind.ACK:
        text = words("line.ack", team=team, how=how)
        return f"{text} ({who})" if who else text
    if item.kind is ItemKind.NOTE:
        return words("line.note", by=facts.get("by", ""), text=facts.get("text", ""))
    if item.kind is ItemKind.EXPORT:
        return words("line.export", ref=facts.get("ref", ""))
    if facts.get("state") == State.ON_SCENE:
        text = words("line.on_scene", how=how)
        named = team or who
        return f"{text} ({named})" if named else text
    if facts.get("state") == State.RESOLVED:
        return words("line.resolved", outcome=words.outcome(facts.get("outcome", "")),
                     took=words.duration(int(facts.get("seconds", "0"))))
    return words.state(facts.get("state", ""))


def thumbnail(path: Path | None) -> Image | None:
    """The snapshot made small, or None where its file is gone or unreadable."""
    if path is None or not path.is_file():
        return None
    try:
        with PilImage.open(path) as image:
            image.thumbnail(THUMB_PIXELS)
            return image.convert("RGB")
    except (OSError, ValueError) as exc:  # PIL's UnidentifiedImageError is an OSError
        log.warning("snapshot %s left out of the report: %s", path.name, exc)
        return None


def render_incident(data: IncidentReportData, words: Words,
                    prepared: ReportPdf | None = None) -> bytes:
    """The PDF's bytes; ``prepared``: a ``new_report`` made ahead (its font loaded)."""
    pdf = prepared or new_report(words)
    view = data.incident
    pdf.set_creation_date(data.made_at)
    pdf.set_title(f"{words('incident.title')} {view.number}")
    pdf.set_creator("commandroom")
    pdf.add_page()
    title(pdf, words("incident.title"), f"{view.number} · {view.title}",
          words("made", when=beijing(data.made_at), by=data.made_by))
    fields(pdf, _summary(data, words))
    _teams(pdf, view, words)
    _timeline(pdf, data.timeline, words)
    _listed(pdf, words("incident.notes"), [
        f"{beijing(i.at)}  {i.facts.get('by', '')}: {i.facts.get('text', '')}"
        for i in data.timeline if i.kind is ItemKind.NOTE], words)
    _listed(pdf, words("incident.exports"), [
        f"{beijing(i.at)}  {i.facts.get('ref', '')}  ({i.facts.get('by', '')})"
        for i in data.timeline if i.kind is ItemKind.EXPORT], words)
    return bytes(pdf.output())


def _summary(data: IncidentReportData, words: Words) -> list[tuple[str, str]]:
    view = data.incident
    entries = words("sep").join(f"{e.name} ({words.category(e.category)})"
                                for e in data.entries) or words("incident.none")
    rows = [
        (words("incident.number"), view.number),
        (words("incident.heading"), view.title),
        (words("incident.category"), words.category(view.category)),
        (words("incident.priority"), words.priority(view.priority)),
        (words("incident.place"), view.junction or "—"),
        (words("incident.entries"), entries),
        (words("incident.state"), words.state(view.state)),
        (words("incident.opened"), words("incident.by_at", when=beijing(view.created_at, True),
                                         by=view.created_by)),
        (words("incident.dispatched"), beijing(view.dispatched_at, True)),
        (words("incident.acknowledged"), beijing(view.acknowledged_at, True)),
        (words("incident.on_scene"), _at_and_took(view.on_scene_at, view.scene_seconds,
                                                  words)),
        (words("incident.resolved"), _at_and_took(view.resolved_at, view.resolution_seconds,
                                                  words)),
    ]
    if view.outcome is not None:
        took = words.duration(view.resolution_seconds or 0)
        rows.append((words("incident.outcome"), words(
            "incident.outcome_line", outcome=words.outcome(view.outcome), took=took)))
        rows.append((words("incident.outcome_by"), _outcome_by(data, words)))
    acks = words("sep").join(
        f"{words.team(t.team_key, t.team_name)} "
        f"{words.duration(t.ack_seconds) if t.ack_seconds is not None else '—'}"
        for t in view.teams)
    rows += [
        (words("incident.to_ack"), acks or words("incident.no_team")),
        (words("incident.to_scene"), words.duration(view.scene_seconds)
         if view.scene_seconds is not None else "—"),
        (words("incident.to_resolution"), words.duration(view.resolution_seconds)
         if view.resolution_seconds is not None else "—"),
    ]
    return rows


def _at_and_took(at: datetime | None, seconds: int | None, words: Words) -> str:
    if at is None:
        return "—"
    took = f"  (+{words.duration(seconds)})" if seconds is not None else ""
    return f"{beijing(at, True)}{took}"


def _outcome_by(data: IncidentReportData, words: Words) -> str:
    """Who gave the outcome and how it became known (the resolution step's facts)."""
    resolved = [i for i in data.timeline
                if i.kind is ItemKind.STATE and i.facts.get("state") == State.RESOLVED]
    if not resolved:
        return data.incident.resolved_by or "—"
    facts = resolved[-1].facts
    detail = words("sep").join(p for p in (words.how(facts.get("how", "")),
                                            facts.get("who", "")) if p)
    by = facts.get("by", "") or data.incident.resolved_by
    return words("incident.outcome_who", by=by, detail=detail) if detail else by


def _teams(pdf: ReportPdf, view: IncidentView, words: Words) -> None:
    if not view.teams:
        return
    heading(pdf, words("incident.teams"))
    rows: list[list[Cell]] = [
        [words.team(t.team_key, t.team_name), beijing(t.dispatched_at, True),
         beijing(t.acked_at, True) if t.acked_at else words("incident.not_acked"),
         words.duration(t.ack_seconds) if t.ack_seconds is not None else "—",
         words.how(t.ack_how), t.acked_by]
        for t in view.teams]
    table(pdf, [words("incident.team"), words("incident.sent_at"), words("incident.acked_at"),
                words("incident.to_ack"), words("incident.how"), words("incident.who")],
          rows, widths=(34, 33, 33, 22, 38, 20))


def _timeline(pdf: ReportPdf, items: list[TimelineItem], words: Words) -> None:
    heading(pdf, words("incident.timeline"))
    rows: list[list[Cell]] = [
        [offset(item.seconds), beijing(item.at, True), item_line(item, words),
         thumbnail(item.thumbnail)]
        for item in items]
    table(pdf, [words("incident.offset"), words("incident.time"), words("incident.event"),
                words("incident.picture")], rows, widths=(20, 34, 92, 34), aligns="RL")


def _listed(pdf: ReportPdf, name: str, lines: list[str], words: Words) -> None:
    heading(pdf, name)
    table(pdf, [], [[line] for line in lines] or [[words("incident.none")]],
          widths=(pdf.epw,), headings=False)
