from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM as ADMIN
from commandroom.cameras.demo import ensure_demo_cameras
from commandroom.cameras.registry import Camera, CameraError, CameraRegistry, CamerasChanged


def cam(name: str, url: str = "rtsp://127.0.0.1:8554/live1") -> Camera:
    return Camera(id=None, name=name, main_url=url)


def test_add_edit_disable_delete(registry: CameraRegistry) -> None:
    group = registry.add_group(ADMIN, "Xinhua Rd")
    saved = registry.add(ADMIN, replace(cam("North"), group_id=group.id, junction="X"))
    assert saved.id is not None and registry.get(ADMIN, saved.id) == saved
    edited = registry.update(ADMIN, replace(saved, name="North gate", transport="UDP"))
    assert edited.name == "North gate" and edited.transport == "udp"
    registry.set_enabled(ADMIN, saved.id, False)
    assert registry.cameras(ADMIN, enabled_only=True) == []
    registry.delete(ADMIN, saved.id)
    assert registry.get(ADMIN, saved.id) is None


def test_duplicate_and_invalid_cameras_are_refused(registry: CameraRegistry) -> None:
    registry.add(ADMIN, cam("A"))
    with pytest.raises(CameraError, match="already exists"):
        registry.add(ADMIN, cam("A"))
    with pytest.raises(CameraError, match="name"):
        registry.add(ADMIN, cam("  "))
    with pytest.raises(CameraError, match="Unsupported stream URL"):
        registry.add(ADMIN, cam("B", "ftp://x/y"))
    with pytest.raises(CameraError, match="tcp or udp"):
        registry.add(ADMIN, replace(cam("C"), transport="sctp"))


def test_credentials_leave_the_url_for_the_secret_store(
    registry: CameraRegistry, tmp_path: Path
) -> None:
    saved = registry.add(ADMIN, cam("Secure", "rtsp://officer:hunter22@127.0.0.1:8554/secure"))
    assert saved.main_url == "rtsp://127.0.0.1:8554/secure"
    assert saved.credential_ref
    assert registry.credentials(ADMIN, saved) == ("officer", "hunter22")
    raw = (tmp_path / "reg.db").read_bytes()
    with sqlite3.connect(tmp_path / "reg.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert "hunter22" not in dump and b"hunter22" not in raw
    assert "hunter22" not in repr(saved)


def test_group_rename_delete_keeps_cameras(registry: CameraRegistry) -> None:
    group = registry.add_group(ADMIN, "Market")
    with pytest.raises(CameraError):
        registry.add_group(ADMIN, "Market")
    saved = registry.add(ADMIN, replace(cam("M1"), group_id=group.id))
    registry.rename_group(ADMIN, group.id, "Market St")
    assert [g.name for g in registry.groups(ADMIN)] == ["Market St"]
    registry.delete_group(ADMIN, group.id)
    assert registry.groups(ADMIN) == []
    assert saved.id is not None
    again = registry.get(ADMIN, saved.id)
    assert again is not None and again.group_id is None


def test_changes_are_published(registry: CameraRegistry) -> None:
    seen: list[CamerasChanged] = []
    registry._events.subscribe(CamerasChanged, seen.append)
    registry.add(ADMIN, cam("E"))
    assert len(seen) == 1


def test_demo_cameras_are_created_once(registry: CameraRegistry) -> None:
    assert ensure_demo_cameras(registry, ADMIN) == 4
    assert ensure_demo_cameras(registry, ADMIN) == 0
    cams = registry.cameras(ADMIN)
    assert len(cams) == 4
    assert all(c.main_url.startswith("demo://") and c.sub_url for c in cams)


def test_permissions_and_audit(registry: CameraRegistry) -> None:
    from sqlalchemy import select

    from commandroom.audit import AuditEventRow
    from commandroom.auth.permissions import Actor, PermissionDenied, Role

    viewer = Actor("li", Role.VIEWER)
    duty = Actor("wang", Role.DUTY_OFFICER)
    saved = registry.add(ADMIN, cam("Audited", "rtsp://op:pw123456@127.0.0.1/a"))
    assert registry.cameras(viewer) == [saved]  # viewers may watch
    for actor in (viewer, duty):
        with pytest.raises(PermissionDenied):
            registry.add(actor, cam("Nope"))
        with pytest.raises(PermissionDenied):
            registry.delete(actor, saved.id or 0)
    registry.update(ADMIN, replace(saved, junction="Moved"))
    with registry._sessions() as s:
        events = s.execute(select(AuditEventRow.action, AuditEventRow.details)).all()
    assert [e.action for e in events] == ["camera.add", "camera.update"]
    assert all("pw123456" not in e.details for e in events)
