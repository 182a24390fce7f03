from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM as ADMIN
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.cameras.demo_cameras import ensure_demo_cameras
from commandroom.cameras.registry import Camera, CameraError, CameraRegistry, CamerasChanged
from tests.unit.auth.fixtures import FakeClock
from tests.unit.cameras.conftest import AuditRows


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

    from commandroom.audit.trail import AuditEventRow
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
    # each refusal is in the trail too: who, which permission, on what
    assert [e.action for e in events] == ["camera.add", *["auth.denied"] * 4, "camera.update"]
    assert all("pw123456" not in e.details for e in events)


def test_only_an_administrator_reads_a_password_and_a_viewer_is_audited(
    registry: CameraRegistry, audit_rows: AuditRows, clock: FakeClock,
) -> None:
    saved = registry.add(ADMIN, cam("Gate", "rtsp://officer:hunter22@127.0.0.1:8554/gate"))
    viewer = Actor("vera", Role.VIEWER)
    duty = Actor("dan", Role.DUTY_OFFICER)
    for who in (viewer, duty):
        with pytest.raises(PermissionDenied):
            registry.credentials(who, saved)
    [(actor, role, subject, details), (actor2, _, _, _)] = audit_rows("auth.denied")
    assert (actor, role, subject) == ("vera", "viewer", "CameraRegistry.credentials: Gate")
    assert details == {"permission": "manage_cameras", "role": "viewer", "refusals": 1}
    assert actor2 == "dan"
    # the same refusal again and again within the minute: counted, not one row each
    for _ in range(10):
        with pytest.raises(PermissionDenied):
            registry.credentials(viewer, saved)
    assert len(audit_rows("auth.denied")) == 2
    clock.advance(61)
    with pytest.raises(PermissionDenied):
        registry.credentials(viewer, saved)
    assert audit_rows("auth.denied")[-1][3]["refusals"] == 11  # this one and the ten
    # what the viewer may have: the user name, and the video engine's spec
    assert registry.credential_user(viewer, saved) == "officer"
    spec = registry.stream_spec(viewer, saved, main=True)
    assert (spec.user, spec.password) == ("officer", "hunter22")
    assert "hunter22" not in repr(spec)
    assert registry.credentials(ADMIN, saved) == ("officer", "hunter22")


def test_onvif_endpoint_is_for_those_who_steer_the_camera(
    registry: CameraRegistry, audit_rows: AuditRows,
) -> None:
    saved = registry.add(ADMIN, replace(
        cam("Dome", "rtsp://op:pw-1@127.0.0.1:8554/dome"),
        onvif_url="http://127.0.0.1:8080/onvif/device_service"))
    endpoint = registry.onvif_endpoint(Actor("dan", Role.DUTY_OFFICER), saved)
    assert endpoint is not None
    assert (endpoint.host, endpoint.port, endpoint.user, endpoint.password) == (
        "127.0.0.1", 8080, "op", "pw-1")
    with pytest.raises(PermissionDenied):
        registry.onvif_endpoint(Actor("vera", Role.VIEWER), saved)
    assert [row[2] for row in audit_rows("auth.denied")] == ["CameraRegistry.onvif_endpoint: Dome"]


def test_editing_without_a_new_password_keeps_the_stored_one(registry: CameraRegistry) -> None:
    saved = registry.add(ADMIN, cam("Gate", "rtsp://officer:hunter22@127.0.0.1:8554/gate"))
    edited = registry.update(ADMIN, replace(saved, junction="East"), "officer2", None)
    assert registry.credentials(ADMIN, edited) == ("officer2", "hunter22")


def test_a_refusal_inside_an_appending_transaction_waits_for_it(
    registry: CameraRegistry, audit_rows: AuditRows, sessions: sessionmaker[Session],
    trail: AuditTrail,
) -> None:
    """No self-deadlock: the refusal is written once the open transaction has ended."""
    with sessions.begin() as session:
        trail.append(session, ADMIN, "something.else")
        with pytest.raises(PermissionDenied):  # queued: appending now would wait 30 s
            registry.credentials(Actor("vera", Role.VIEWER), cam("X"))
    with pytest.raises(PermissionDenied):
        registry.credentials(Actor("vera", Role.VIEWER), cam("Y"))
    assert [row[2] for row in audit_rows("auth.denied")] == [
        "CameraRegistry.credentials: X", "CameraRegistry.credentials: Y"]


def test_no_ui_code_asks_for_a_password() -> None:
    ui = Path(__file__).resolve().parents[3] / "ui"
    callers = [str(p) for p in ui.rglob("*.py") if ".credentials(" in p.read_text("utf-8")]
    assert callers == []


def test_reads_come_from_memory_and_a_write_refreshes_them_before_the_event(
    tmp_path: Path, sessions: sessionmaker[Session], trail: AuditTrail
) -> None:
    """Tile painting and wall lookups read the registry many times a second on the GUI
    thread: after the first load not one read may take a database connection."""
    from sqlalchemy import event

    from commandroom.events import EventBus
    from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key

    events = EventBus()
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    registry = CameraRegistry(sessions, store, events, trail)
    seen_in_event: list[list[str]] = []
    events.subscribe(CamerasChanged,
                     lambda _e: seen_in_event.append([c.name for c in registry.cameras(ADMIN)]))
    group = registry.add_group(ADMIN, "Market")
    saved = registry.add(ADMIN, replace(cam("Gate", "rtsp://op:pw-9@127.0.0.1:8554/g"),
                                        group_id=group.id))
    assert seen_in_event[-1] == ["Gate"]  # the event's subscribers read the new state

    checkouts: list[int] = []
    engine = sessions.kw["bind"]
    event.listen(engine, "checkout", lambda *_a: checkouts.append(1))
    assert saved.id is not None
    for _ in range(100):
        assert registry.get(ADMIN, saved.id) == saved
        assert registry.cameras(ADMIN, enabled_only=True) == [saved]
        assert registry.groups(ADMIN) == [group]
        assert registry.stream_spec(ADMIN, saved, True).password == "pw-9"
    assert checkouts == []
