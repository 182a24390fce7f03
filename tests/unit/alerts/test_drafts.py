"""A saved sighting becomes an alert draft in one core call: who (from the watch list),
where (camera, junction, the camera group the teams know), the evidence, and the teams
the routing rules choose. It was put together in the console's alert window before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM, Actor, PermissionDenied, Role
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.runtime import Core, CoreHooks
from commandroom.sightings.records import CameraRef, NewUnknown
from commandroom.watchlist.records import EntryInput
from tests.unit.sightings.fakes import FakeHandle

OFFICER = Actor("wang", Role.DUTY_OFFICER, 7)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Core]:
    made = Core(Paths.resolve(tmp_path / "data"), Settings(),
                hooks=CoreHooks(keyring=None, ack_base_url="https://ack.station.example"))
    yield made
    made.stop()


def _tag(core: Core, entry: int | NewUnknown) -> int:
    group = core.registry.add_group(SYSTEM, "Xinhua town")
    camera = core.registry.add(SYSTEM, Camera(None, "North gate", "demo://north",
                                              junction="Xinhua Rd / Station Rd",
                                              group_id=group.id, map_x=0.25, map_y=0.5))
    assert camera.id is not None
    handle = FakeHandle()
    handle.add_frame(1, 1_717_000_000.0)
    view = core.sightings.tag(OFFICER, handle, 1, CameraRef(camera.id, camera.name,
                                                             camera.junction),
                              entry, note="blue jacket")
    return view.id


def test_a_wanted_person_is_drafted_for_both_teams_with_the_place_and_evidence(
        core: Core) -> None:
    entry = core.watchlist.create(SYSTEM, EntryInput(name="Zhang San", category="wanted",
                                                     risk="high"))
    sighting_id = _tag(core, entry.id)
    draft = core.alerting.drafts.draft(OFFICER, sighting_id)
    content = draft.content
    assert draft.sighting_id == sighting_id
    assert (content.name, content.category, content.risk) == ("Zhang San", "wanted", 3)
    assert (content.camera, content.junction) == ("North gate", "Xinhua Rd / Station Rd")
    assert content.camera_group == "Xinhua town" and (content.map_x, content.map_y) == (0.25, 0.5)
    assert Path(content.snapshot_path).is_file() and len(content.snapshot_sha256) == 64
    assert content.note == "blue jacket"
    assert content.evidence_ref.startswith(f"sighting #{sighting_id}, snapshot sha256 ")
    keys = {team.id: team.key for team in draft.teams}
    assert sorted(keys.values()) == ["case", "community"]
    assert {keys[team_id]: priority for team_id, priority in draft.routed.items()} == {
        "case": "high", "community": "high"}


def test_an_unknown_person_routes_nowhere_but_every_team_can_be_chosen(core: Core) -> None:
    sighting_id = _tag(core, NewUnknown())
    draft = core.alerting.drafts.draft(OFFICER, sighting_id)
    assert draft.content.category == "other" and draft.routed == {}
    assert len(draft.teams) == 2


def test_only_a_role_that_sends_alerts_gets_a_draft(core: Core) -> None:
    sighting_id = _tag(core, NewUnknown())
    with pytest.raises(PermissionDenied):
        core.alerting.drafts.draft(Actor("guest", Role.VIEWER), sighting_id)
    with pytest.raises(LookupError):
        core.alerting.drafts.draft(OFFICER, sighting_id + 1)
