"""Playback sources saved per camera: validated, audited, credentials in the secret store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from commandroom.audit.trail import AuditFilter
from commandroom.auth.permissions import SYSTEM, Actor, PermissionDenied, Role
from commandroom.playback.nvr import NvrSource, PlaybackConfigError, PlaybackKind
from commandroom.playback.store import credential_ref_for
from tests.support.playback_station import Station

VIEWER = Actor(username="watcher", role=Role.VIEWER)
ADMIN = Actor(username="chief", role=Role.ADMINISTRATOR)
DAHUA = NvrSource(PlaybackKind.DAHUA, "10.0.0.6", channel=3, utc_offset_min=480,
                  clock_offset_s=-12.5)


def test_a_camera_without_a_source_has_kind_none(station: Station) -> None:
    assert station.camera.id is not None
    assert station.sources.get(VIEWER, station.camera.id) == NvrSource()


def test_save_read_back_and_credentials_apart(station: Station, tmp_path: Path) -> None:
    cam_id = station.camera.id
    assert cam_id is not None
    saved = station.sources.save(SYSTEM, cam_id, DAHUA, user="nvr-admin", password="Nvr#Pass1")
    assert saved.credential_ref == credential_ref_for(cam_id)
    got = station.sources.get(VIEWER, cam_id)
    assert got == saved and got.clock_offset_s == -12.5 and got.kind is PlaybackKind.DAHUA
    assert station.sources.credentials(ADMIN, got, station.camera) == ("nvr-admin", "Nvr#Pass1")
    with pytest.raises(PermissionDenied):  # only the video layer gets them, via the spec
        station.sources.credentials(VIEWER, got, station.camera)
    with sqlite3.connect(tmp_path / "st.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert "Nvr#Pass1" not in dump and "nvr-admin" not in dump
    # Saved again without a user: the recorder keeps its credentials.
    station.sources.save(SYSTEM, cam_id, NvrSource(PlaybackKind.HIKVISION, "10.0.0.7"))
    again = station.sources.get(VIEWER, cam_id)
    assert again.kind is PlaybackKind.HIKVISION and again.credential_ref == saved.credential_ref


def test_without_own_credentials_the_cameras_are_used(station: Station) -> None:
    assert station.camera.id is not None
    source = station.sources.save(SYSTEM, station.camera.id,
                                  NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1"))
    assert source.credential_ref == ""
    assert station.sources.credentials(SYSTEM, source, station.camera) == ("cam-user",
                                                                           "cam-pass")


def test_changes_are_audited_without_credentials(station: Station) -> None:
    cam_id = station.camera.id
    assert cam_id is not None
    station.sources.save(SYSTEM, cam_id, DAHUA, user="nvr-admin", password="Nvr#Pass1")
    station.sources.remove(SYSTEM, cam_id)
    events = station.audit.query(SYSTEM, AuditFilter(action_prefix="camera.playback_source"))
    assert [e.action for e in events] == ["camera.playback_source.remove",
                                          "camera.playback_source"]
    saved = events[1].details
    assert saved["after"]["host"] == "10.0.0.6" and saved["after"]["channel"] == 3
    assert "credential_ref" not in saved["after"] and "Nvr#Pass1" not in str(saved)
    assert station.sources.get(SYSTEM, cam_id) == NvrSource()
    assert station.secrets.get(credential_ref_for(cam_id)) is None
    assert station.audit.verify().ok


def test_refusals(station: Station) -> None:
    cam_id = station.camera.id
    assert cam_id is not None
    with pytest.raises(PermissionDenied):
        station.sources.save(VIEWER, cam_id, DAHUA)
    with pytest.raises(PlaybackConfigError, match="needs an address"):
        station.sources.save(SYSTEM, cam_id, NvrSource(PlaybackKind.HIKVISION, ""))
    with pytest.raises(PlaybackConfigError, match="no longer exists"):
        station.sources.save(SYSTEM, cam_id + 99, DAHUA)
    assert station.sources.get(SYSTEM, cam_id) == NvrSource()  # nothing half-saved


def test_deleting_the_camera_deletes_its_source(station: Station) -> None:
    cam_id = station.camera.id
    assert cam_id is not None
    station.sources.save(SYSTEM, cam_id, DAHUA)
    station.registry.delete(SYSTEM, cam_id)
    assert station.sources.get(SYSTEM, cam_id) == NvrSource()
