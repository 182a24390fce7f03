"""Suggested sightings: a plate read that matches a watch-listed vehicle becomes a card.

Every stored plate event (START or PULSE; a STOP repeats a read already made) is matched
against the vehicle watch list (``PlateMatcher``, in memory). The best match becomes a
card; files tied at the best score each get one (two files may share a misread's best
guess: the officer decides which, if any). Nothing matched: nothing happens.

The same normalised plate at the same camera within ``fold_seconds`` of the card's last
read folds into the pending card (``repeats``): a car waiting at a red light is read
ten times; it is one card. Times are the events' receive times, so a backlog written
late still folds as it happened.

The officer decides: ``confirm`` makes a sighting exactly as a tag by hand would
(``SightingService.tag``: snapshot, clip, hashes, audit), ``dismiss`` records a reason.
A decision is taken with a conditional update (status still pending), so two seats
deciding at once cannot both win: the second gets ``SuggestionDecidedAlready``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.camera_events.api import SuggestionDecidedAlready
from commandroom.camera_events.evidence import EvidenceFinder
from commandroom.camera_events.model import EventState, EventType
from commandroom.camera_events.records import PlateSuggestionRow
from commandroom.camera_events.suggestion_views import encode_edits, suggestion_views
from commandroom.camera_events.views import (
    CameraEventStored,
    CameraEventView,
    DismissReason,
    SuggestionDecided,
    SuggestionRaised,
    SuggestionRepeated,
    SuggestionStatus,
    SuggestionView,
)
from commandroom.config import EventSettings
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.files import absolute
from commandroom.sightings.records import CameraRef, SightingView
from commandroom.sightings.service import SightingService
from commandroom.watchlist.plate_match import PlateMatch, normalise_read

log = logging.getLogger(__name__)

PENDING, CONFIRMED, DISMISSED = (SuggestionStatus.PENDING.value,
                                 SuggestionStatus.CONFIRMED.value,
                                 SuggestionStatus.DISMISSED.value)


# A claim this old without its sighting was interrupted (a tag takes well under a second;
# another seat may be in the middle of one on a shared database, hence not "any").
CLAIM_STALE_AFTER = timedelta(minutes=5)


class PlateMatching(Protocol):
    def match(self, read: str, *, threshold: float = ..., limit: int = ...
              ) -> list[PlateMatch]: ...


class SuggestionGone(LookupError):
    """No suggestion with that id (deleted by retention with its event)."""


class SuggestionService:
    """Implements ``api.SuggestionsApi``; reading needs VIEW_VIDEO, deciding TAG_SIGHTING."""

    def __init__(self, sessions: sessionmaker[Session], events: EventBus, audit: AuditSink,
                 plates: PlateMatching, sightings: SightingService, evidence: EvidenceFinder,
                 *, data_dir: Path, settings: EventSettings | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._events = events
        self._audit = audit
        self._plates = plates
        self._sightings = sightings
        self._evidence = evidence
        self._data_dir = data_dir
        self.settings = settings or EventSettings()
        self._clock = clock
        self._unsubscribe: Callable[[], None] | None = events.subscribe(
            CameraEventStored, self._stored)

    @open_access("shutdown, by the Core")
    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._evidence.close()

    # -- raising cards (the intake's writer thread, right after the event's commit) -----
    def _stored(self, stored: CameraEventStored) -> None:
        self.consider(stored.event)

    @open_access("a stored camera event, on the intake's writer: raises cards, decides none")
    def consider(self, event: CameraEventView) -> list[SuggestionView]:
        """A card for a plate read that matches (new or folded); [] for anything else."""
        if event.type != EventType.PLATE or event.state == EventState.STOP or not event.plate:
            return []
        matches = self._plates.match(event.plate, threshold=self.settings.match_threshold,
                                     limit=max(1, self.settings.match_limit))
        if not matches:
            return []
        best = matches[0].score
        chosen = [m for m in matches if m.score >= best]
        plate = normalise_read(event.plate)
        since = event.received_at - timedelta(seconds=self.settings.fold_seconds)
        raised: list[int] = []
        repeated: list[int] = []
        with self._sessions.begin() as session:
            for match in chosen:
                card = session.scalars(
                    select(PlateSuggestionRow).where(
                        PlateSuggestionRow.status == PENDING,
                        PlateSuggestionRow.camera_id == event.camera_id,
                        PlateSuggestionRow.plate_normalised == plate,
                        PlateSuggestionRow.watch_entry_id == match.entry.id,
                        PlateSuggestionRow.last_seen_at >= since)
                    .order_by(PlateSuggestionRow.id.desc()).limit(1)).first()
                if card is not None:
                    card.repeats += 1
                    card.last_seen_at = max(card.last_seen_at, event.received_at)
                    repeated.append(card.id)
                    continue
                row = PlateSuggestionRow(
                    event_id=event.id, camera_id=event.camera_id or None,
                    watch_entry_id=match.entry.id, plate_read=event.plate,
                    plate_normalised=plate, score=match.score,
                    rules=",".join(rule.value for rule in match.rules),
                    edits=encode_edits(match.edits), status=PENDING,
                    repeats=0, last_seen_at=event.received_at)
                session.add(row)
                session.flush()
                raised.append(row.id)
            views = {v.id: v for v in suggestion_views(
                session, PlateSuggestionRow.id.in_(raised + repeated))}
        for suggestion_id in raised:
            self._events.publish(SuggestionRaised(views[suggestion_id]))
        for suggestion_id in repeated:
            self._events.publish(SuggestionRepeated(views[suggestion_id]))
        return [views[i] for i in raised + repeated]

    # -- reading -------------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def pending(self, actor: Actor) -> list[SuggestionView]:
        with self._sessions() as session:
            return suggestion_views(session, PlateSuggestionRow.status == PENDING)

    @requires(Permission.VIEW_VIDEO)
    def get(self, actor: Actor, suggestion_id: int) -> SuggestionView:
        with self._sessions() as session:
            return self._one(session, suggestion_id)

    @requires(Permission.VIEW_VIDEO)
    def decided_counts(self, actor: Actor) -> dict[str, int]:
        counts = {CONFIRMED: 0, DISMISSED: 0} | {reason.value: 0 for reason in DismissReason}
        with self._sessions() as session:
            for status, reason, count in session.execute(
                    select(PlateSuggestionRow.status, PlateSuggestionRow.reason, func.count())
                    .where(PlateSuggestionRow.status != PENDING)
                    .group_by(PlateSuggestionRow.status, PlateSuggestionRow.reason)):
                counts[status] = counts.get(status, 0) + count
                if status == DISMISSED and reason:
                    counts[reason] = counts.get(reason, 0) + count
        return counts

    @open_access("start-up recovery, by the Core")
    def recover(self, now: datetime | None = None) -> int:
        """At start-up: a confirmation whose sighting was never made (the app stopped
        between the claim and the tag) is pending again. Returns how many."""
        stale = (now or self._clock()) - CLAIM_STALE_AFTER
        with self._sessions.begin() as session:
            reopened = session.execute(
                update(PlateSuggestionRow).where(
                    PlateSuggestionRow.status == CONFIRMED,
                    PlateSuggestionRow.sighting_id.is_(None),
                    PlateSuggestionRow.decided_at < stale)
                .values(status=PENDING, decided_by="", decided_at=None))
        count = int(getattr(reopened, "rowcount", 0) or 0)
        if count:
            log.warning("suggestions: %d confirmation(s) without a sighting are pending again",
                        count)
        return count

    # -- deciding ------------------------------------------------------------------------
    @requires(Permission.TAG_SIGHTING)
    def confirm(self, actor: Actor, suggestion_id: int, note: str = "") -> SightingView:
        now = self._clock()
        with self._sessions.begin() as session:
            card = self._one(session, suggestion_id)
            self._claim(session, suggestion_id, actor, now, CONFIRMED)
        try:
            picture = absolute(self._data_dir, card.picture_path) if card.picture_path \
                else None
            evidence = self._evidence.for_event(card.camera_id or None, card.event_time,
                                                picture)
            sighting = self._sightings.tag(
                actor, evidence, None,
                CameraRef(card.camera_id or None, card.camera_name, card.junction),
                card.entry_id, note=note)
        except BaseException:
            # No sighting: the card is pending again, for this seat or another to retry.
            with self._sessions.begin() as session:
                session.execute(update(PlateSuggestionRow).where(
                    PlateSuggestionRow.id == suggestion_id,
                    PlateSuggestionRow.sighting_id.is_(None))
                    .values(status=PENDING, decided_by="", decided_at=None))
            raise
        with self._sessions.begin() as session:
            session.execute(update(PlateSuggestionRow)
                            .where(PlateSuggestionRow.id == suggestion_id)
                            .values(sighting_id=sighting.id, note=note.strip()))
            self._audit.append(session, actor, "suggestion.confirm",
                               f"suggestion:{suggestion_id}", _audit_details(card) | {
                                   "sighting_id": sighting.id, "snapshot_from": evidence.origin,
                                   "note": note.strip()})
            decided = self._one(session, suggestion_id)
        self._events.publish(SuggestionDecided(decided))
        return sighting

    @requires(Permission.TAG_SIGHTING)
    def dismiss(self, actor: Actor, suggestion_id: int, reason: DismissReason,
                note: str = "") -> SuggestionView:
        reason = DismissReason(reason)
        with self._sessions.begin() as session:
            card = self._one(session, suggestion_id)
            self._claim(session, suggestion_id, actor, self._clock(), DISMISSED,
                        reason=reason.value, note=note.strip())
            self._audit.append(session, actor, "suggestion.dismiss",
                               f"suggestion:{suggestion_id}", _audit_details(card) | {
                                   "reason": reason.value, "note": note.strip()})
            decided = self._one(session, suggestion_id)
        self._events.publish(SuggestionDecided(decided))
        return decided

    @staticmethod
    def _claim(session: Session, suggestion_id: int, actor: Actor, now: datetime,
               status: str, **values: Any) -> None:
        claimed = session.execute(
            update(PlateSuggestionRow)
            .where(PlateSuggestionRow.id == suggestion_id, PlateSuggestionRow.status == PENDING)
            .values(status=status, decided_by=actor.username, decided_at=now, **values))
        if getattr(claimed, "rowcount", 0) != 1:
            raise SuggestionDecidedAlready(f"suggestion {suggestion_id} was decided already")

    @staticmethod
    def _one(session: Session, suggestion_id: int) -> SuggestionView:
        where: ColumnElement[bool] = PlateSuggestionRow.id == suggestion_id
        found = suggestion_views(session, where)
        if not found:
            raise SuggestionGone(f"no suggestion {suggestion_id}")
        return found[0]


def _audit_details(card: SuggestionView) -> dict[str, Any]:
    return {"event_id": card.event_id, "camera_id": card.camera_id,
            "camera_name": card.camera_name, "watch_entry_id": card.entry_id,
            "plate_read": card.plate_read, "entry_plate": card.entry_plate,
            "score": card.score, "rules": list(card.rules),
            "event_time": card.event_time.isoformat()}
