"""Suggestions read back as ``SuggestionView``: the card, its event and its watch-list file
in one query (the card queue at start-up reads them all at once). The match's edits are
stored with the card as JSON: ``[[rule, position, read, on_file], ...]``."""

from __future__ import annotations

import json

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from commandroom.camera_events.records import CameraEventRow, PlateSuggestionRow
from commandroom.camera_events.views import DismissReason, SuggestionStatus, SuggestionView
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.plate_match import Edit, MatchRule


def suggestion_views(session: Session, where: ColumnElement[bool]) -> list[SuggestionView]:
    """The suggestions matching ``where``, oldest first."""
    rows = session.execute(
        select(PlateSuggestionRow, CameraEventRow, WatchEntryRow)
        .join(CameraEventRow, CameraEventRow.id == PlateSuggestionRow.event_id)
        .join(WatchEntryRow, WatchEntryRow.id == PlateSuggestionRow.watch_entry_id)
        .where(where).order_by(PlateSuggestionRow.id)).all()
    return [_view(card, event, entry) for card, event, entry in rows]


def _view(card: PlateSuggestionRow, event: CameraEventRow,
          entry: WatchEntryRow) -> SuggestionView:
    return SuggestionView(
        id=card.id, event_id=card.event_id, camera_id=card.camera_id or 0,
        camera_name=event.camera_name, junction=event.junction,
        event_time=event.device_time or event.received_at, received_at=event.received_at,
        plate_read=card.plate_read, plate_colour=event.plate_colour, entry_id=entry.id,
        entry_label=entry.name or entry.plate, entry_plate=entry.plate,
        entry_risk=entry.risk, entry_category=entry.category, score=card.score,
        rules=tuple(rule for rule in card.rules.split(",") if rule),
        picture_path=event.picture_path, repeats=card.repeats,
        status=SuggestionStatus(card.status), decided_by=card.decided_by,
        decided_at=card.decided_at, reason=DismissReason(card.reason) if card.reason else None,
        sighting_id=card.sighting_id, edits=decode_edits(card.edits))


def encode_edits(edits: tuple[Edit, ...]) -> str:
    return json.dumps([[e.rule.value, e.position, e.read, e.on_file] for e in edits],
                      ensure_ascii=False)


def decode_edits(stored: str | None) -> tuple[Edit, ...] | None:
    if stored is None:
        return None
    return tuple(Edit(MatchRule(rule), int(position), str(read), str(on_file))
                 for rule, position, read, on_file in json.loads(stored))
