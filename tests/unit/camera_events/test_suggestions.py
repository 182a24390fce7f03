"""Suggested sightings: plate reads that match the vehicle watch list become cards, the
same plate at the same camera within a minute is one card, and the officer's decision
is a sighting (as if tagged by hand) or an audited dismissal, taken once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.permissions import SYSTEM, PermissionDenied
from commandroom.camera_events.api import SuggestionDecidedAlready
from commandroom.camera_events.evidence import NO_CLIP_SOURCE
from commandroom.camera_events.model import EventState
from commandroom.camera_events.records import PlateSuggestionRow
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.suggestions import SuggestionService
from commandroom.camera_events.views import (
    DismissReason,
    SuggestionDecided,
    SuggestionRaised,
    SuggestionRepeated,
    SuggestionStatus,
)
from commandroom.cameras.registry import Camera
from commandroom.events import EventBus
from commandroom.files import sha256_file
from commandroom.sightings.records import ClipStatus
from commandroom.sightings.service import SightingService
from commandroom.watchlist.plate_match import Edit, MatchRule
from commandroom.watchlist.records import EntryInput, EntryView
from commandroom.watchlist.service import WatchlistService
from tests.unit.camera_events.conftest import T0, Live, jpeg, plate_event
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist.support import DUTY, VIEWER, RecordingAudit


@pytest.fixture
def van(service: WatchlistService) -> EntryView:
    return service.create(SYSTEM, EntryInput(kind="vehicle", plate="鄂G·12345", name="white van",
                                             risk="high", category="wanted"))


@pytest.fixture
def published(bus: EventBus) -> list[object]:
    seen: list[object] = []
    for kind in (SuggestionRaised, SuggestionRepeated, SuggestionDecided):
        bus.subscribe(kind, seen.append)
    return seen


def test_a_watch_listed_plate_raises_a_card(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        published: list[object], suggestions: SuggestionService) -> None:
    assert camera.id is not None
    event = event_log.store(plate_event(camera.id, "鄂G12345", picture=jpeg()))

    [raised] = published
    assert isinstance(raised, SuggestionRaised)
    card = raised.suggestion
    assert (card.event_id, card.camera_id, card.camera_name, card.plate_read) == (
        event.id, camera.id, "North gate", "鄂G12345")
    assert (card.entry_id, card.entry_label, card.entry_plate, card.entry_risk,
            card.entry_category) == (van.id, "white van", "鄂G·12345", "high", "wanted")
    assert (card.score, card.rules, card.status) == (1.0, ("exact",), SuggestionStatus.PENDING)
    assert card.picture_path == event.picture_path and card.event_time == T0
    assert suggestions.pending(VIEWER) == [card]


def test_a_misread_plate_raises_a_card_with_a_lower_score(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G1Z345"))
    [card] = suggestions.pending(SYSTEM)
    assert card.entry_id == van.id
    assert 0.6 <= card.score < 1.0
    assert card.rules == ("confusable",)


def test_the_card_keeps_the_matchs_edits_after_the_file_changes(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        service: WatchlistService, suggestions: SuggestionService) -> None:
    """Which character became which is the match's, stored with the card: the UI only
    says it. Editing the plate on file later does not change what was matched."""
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G1Z345"))
    [card] = suggestions.pending(SYSTEM)
    assert card.edits == (Edit(MatchRule.CONFUSABLE, 3, "Z", "2"),)
    service.edit(SYSTEM, van.id, EntryInput(kind="vehicle", plate="鄂G98765",
                                            name="white van", risk="high",
                                            category="wanted"))
    [later] = suggestions.pending(SYSTEM)
    assert later.entry_plate == "鄂G98765"
    assert later.edits == card.edits


def test_a_card_raised_before_edits_were_stored_has_none(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, sessions: sessionmaker[Session]) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G1Z345"))
    with sessions.begin() as session:  # as migration 0012 leaves an older card
        session.execute(update(PlateSuggestionRow).values(edits=None))
    [card] = suggestions.pending(SYSTEM)
    assert card.edits is None and card.rules == ("confusable",)


def test_an_unknown_plate_and_other_events_raise_nothing(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, published: list[object]) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "京N88888"))
    event_log.store(plate_event(camera.id, "鄂G12345", state=EventState.STOP))
    assert published == [] and suggestions.pending(SYSTEM) == []


def test_the_same_plate_at_the_same_camera_within_the_window_is_one_card(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, published: list[object]) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G12345", T0))
    event_log.store(plate_event(camera.id, "鄂G·12345", T0 + timedelta(seconds=40)))
    # 59 s after the last read (99 s after the first): still the same car at the light.
    event_log.store(plate_event(camera.id, "鄂G12345", T0 + timedelta(seconds=99)))
    [card] = suggestions.pending(SYSTEM)
    assert card.repeats == 2
    assert [type(e) for e in published] == [SuggestionRaised, SuggestionRepeated,
                                            SuggestionRepeated]
    # More than the window after the last read: a new card.
    event_log.store(plate_event(camera.id, "鄂G12345", T0 + timedelta(seconds=160)))
    assert [c.repeats for c in suggestions.pending(SYSTEM)] == [2, 0]


def test_confirm_makes_a_sighting_with_the_live_frame_and_the_ring_clip(
        event_log: CameraEventLog, camera: Camera, van: EntryView, live: Live,
        suggestions: SuggestionService, sightings: SightingService, data_dir: Path,
        audit: RecordingAudit, published: list[object]) -> None:
    assert camera.id is not None
    handle = live.handles[camera.id] = FakeHandle()
    handle.add_frame(7, T0.timestamp() + 0.2)
    live.wall = T0.timestamp() + 5.0  # the officer confirms 5 s after the read
    event_log.store(plate_event(camera.id, "鄂G12345", picture=jpeg()))
    [card] = suggestions.pending(SYSTEM)

    sighting = suggestions.confirm(DUTY, card.id, note="seen turning left")

    assert (sighting.watch_entry_id, sighting.camera_id, sighting.seq) == (
        van.id, camera.id, 7)
    assert sighting.frame_time.timestamp() == pytest.approx(T0.timestamp() + 0.2)
    assert sha256_file(data_dir / sighting.snapshot_path) == sighting.snapshot_sha256
    [clip] = handle.clips
    assert (clip.pre_s, clip.post_s) == (pytest.approx(13.0), pytest.approx(7.0))
    handle.finish_clip()
    assert sightings.wait_for_clips(5.0)
    assert sightings.get(SYSTEM, sighting.id).clip_status == ClipStatus.DONE

    decided = published[-1]
    assert isinstance(decided, SuggestionDecided)
    assert (decided.suggestion.status, decided.suggestion.sighting_id,
            decided.suggestion.decided_by) == (SuggestionStatus.CONFIRMED, sighting.id, "dan")
    actions = [(user, action) for user, action, _, _ in audit.events]
    assert ("dan", "sighting.tag") in actions and ("dan", "suggestion.confirm") in actions
    details = next(d for _, action, _, d in audit.events if action == "suggestion.confirm")
    assert (details["sighting_id"], details["snapshot_from"], details["plate_read"]) == (
        sighting.id, "live", "鄂G12345")
    assert suggestions.pending(SYSTEM) == []
    assert suggestions.decided_counts(SYSTEM)["confirmed"] == 1


def test_confirm_without_a_live_stream_uses_the_event_picture_and_says_why_no_clip(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, sightings: SightingService) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G12345", picture=jpeg(width=96, height=64),
                                device_time=T0 - timedelta(seconds=2)))
    [card] = suggestions.pending(SYSTEM)
    sighting = suggestions.confirm(DUTY, card.id)
    assert sighting.frame_time == T0 - timedelta(seconds=2)  # the camera's own time
    assert sightings.wait_for_clips(5.0)
    done = sightings.get(SYSTEM, sighting.id)
    assert (done.clip_status, done.clip_error) == (ClipStatus.FAILED, NO_CLIP_SOURCE)


def test_confirm_with_no_picture_at_all_leaves_the_card_pending(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G12345"))
    [card] = suggestions.pending(SYSTEM)
    with pytest.raises(LookupError):
        suggestions.confirm(DUTY, card.id)
    assert [c.status for c in suggestions.pending(SYSTEM)] == [SuggestionStatus.PENDING]


def test_dismiss_records_the_reason_audited_and_a_decision_is_taken_once(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, audit: RecordingAudit,
        sessions: sessionmaker[Session]) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G1Z345", picture=jpeg()))
    [card] = suggestions.pending(SYSTEM)

    with pytest.raises(PermissionDenied):
        suggestions.dismiss(VIEWER, card.id, DismissReason.FALSE_READ)
    dismissed = suggestions.dismiss(DUTY, card.id, DismissReason.FALSE_READ, "a 2 not a Z")

    assert (dismissed.status, dismissed.reason, dismissed.decided_by) == (
        SuggestionStatus.DISMISSED, DismissReason.FALSE_READ, "dan")
    [(user, _, subject, details)] = [e for e in audit.events if e[1] == "suggestion.dismiss"]
    assert (user, subject, details["reason"], details["note"]) == (
        "dan", f"suggestion:{card.id}", "false_read", "a 2 not a Z")
    with pytest.raises(SuggestionDecidedAlready):
        suggestions.dismiss(DUTY, card.id, DismissReason.OTHER)
    with pytest.raises(SuggestionDecidedAlready):
        suggestions.confirm(DUTY, card.id)
    counts = suggestions.decided_counts(SYSTEM)
    assert (counts["dismissed"], counts["false_read"], counts["confirmed"]) == (1, 1, 0)


def test_a_confirmation_interrupted_before_its_sighting_is_pending_again_at_start(
        event_log: CameraEventLog, camera: Camera, van: EntryView,
        suggestions: SuggestionService, sessions: sessionmaker[Session]) -> None:
    assert camera.id is not None
    event_log.store(plate_event(camera.id, "鄂G12345"))
    event_log.store(plate_event(camera.id, "鄂G12345", T0 + timedelta(minutes=2)))
    first, second = suggestions.pending(SYSTEM)
    with sessions.begin() as session:  # claimed, then the app stopped before the tag
        for card, at in ((first, T0), (second, T0 + timedelta(minutes=8))):
            session.execute(update(PlateSuggestionRow).where(PlateSuggestionRow.id == card.id)
                            .values(status="confirmed", decided_by="dan", decided_at=at))
    assert suggestions.recover(T0 + timedelta(minutes=10)) == 1
    # The recent claim may be another seat's tag under way: left alone.
    assert [(c.id, c.decided_by) for c in suggestions.pending(SYSTEM)] == [(first.id, "")]
