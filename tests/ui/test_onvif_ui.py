"""ONVIF in the console against the emulator and the RTSP test server on 127.0.0.1:
discovery, the add-camera wizard (live preview, save), the PTZ pad (hold, release,
focus loss, presets) and a camera without PTZ."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM, Actor
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.onvif import OnvifService
from commandroom.onvif.addresses import device_url
from commandroom.onvif.ptz_control import PtzControl
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.hub import StreamHub
from tests.support.onvif_emulator import OTHER_HOST, EmulatorSettings, OnvifEmulator
from tests.support.onvif_emulator_events import EventsSettings
from tests.support.rtsp import RtspTestServer
from tests.ui.conftest import AppFactory
from ui.onvif.add_camera_wizard import PAGE_DEVICE, PAGE_SAVE, PAGE_STREAMS, AddCameraWizard
from ui.onvif.discovery_dialog import COL_MODEL, COL_REGISTRY, DiscoveryDialog
from ui.onvif.install import OnvifUi, install_onvif
from ui.theme import apply_dark_theme

pytestmark = pytest.mark.integration
WAIT_MS = 15_000
# Set to a folder to write the documentation screenshots while the tests run.
SCREENSHOTS = os.environ.get("COMMANDROOM_SCREENSHOTS", "")


def _actor() -> Actor:
    return SYSTEM


def _screenshot(widget: QWidget, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(SCREENSHOTS) / name))


@pytest.fixture(autouse=True)
def dark_theme_for_screenshots(qapp: QApplication) -> None:
    if SCREENSHOTS:  # the app applies it globally at start; these tests build no app.main
        apply_dark_theme(qapp)


@pytest.fixture(scope="module")
def rtsp() -> Iterator[RtspTestServer]:
    server = RtspTestServer(live_mounts=1)
    server.start()
    yield server
    server.close()


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    with OnvifService(timeout_s=3.0) as service:
        yield service


@pytest.fixture
def hub() -> Iterator[StreamHub]:
    stream_hub = StreamHub(VideoSettings(open_timeout_s=5.0, read_timeout_s=3.0,
                                         stall_after_s=1.0, backoff_initial_s=0.2,
                                         backoff_max_s=1.0, idle_stop_s=0.3))
    yield stream_hub
    stream_hub.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reg.db"


@pytest.fixture
def registry(tmp_path: Path, db_path: Path) -> Iterator[CameraRegistry]:
    engine, sessions = open_database(f"sqlite:///{db_path}")
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    yield CameraRegistry(sessions, store, EventBus(), AuditTrail(sessions))
    engine.dispose()


def test_discovery_by_unicast_lists_the_emulator(qtbot: QtBot, onvif: OnvifService,
                                                 registry: CameraRegistry) -> None:
    with OnvifEmulator(EmulatorSettings(model="DS-2CD2143G2-I", name="Market Square")) as emu:
        opened: list[tuple[str, int]] = []
        dialog = DiscoveryDialog(onvif, registry, _actor,
                                 lambda host, port: opened.append((host, port)),
                                 discovery_port=emu.discovery_port)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.multicast.setChecked(False)  # tests never leave 127.0.0.1
        dialog.targets.setText("127.0.0.1")
        qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
        assert not dialog.search_button.isEnabled()  # searching, GUI not blocked
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
        assert dialog.table.item(0, COL_MODEL).text() == "DS-2CD2143G2-I"
        assert dialog.table.item(0, COL_REGISTRY).text() == "Not in registry"
        # "Add selected" opens the wizard on the device's ONVIF host and port
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert opened == [("127.0.0.1", emu.port)]
        # once the camera is in the registry, the row says so
        registry.add(SYSTEM, Camera(id=None, name="Market Square", main_url="rtsp://x/1",
                                    onvif_url=device_url("127.0.0.1", emu.port)))
        dialog.refresh_table()
        assert dialog.table.item(0, COL_REGISTRY).text() == "Yes: Market Square"
        # bad input: the core's sentence, no traceback
        dialog.targets.setText("127.0.0.9-3")
        dialog.search()
        qtbot.waitUntil(lambda: "ends before it starts" in dialog.error.text(),
                        timeout=WAIT_MS)
        dialog.close()


def test_wizard_skewed_digest_camera_previews_live_and_saves(
        qtbot: QtBot, onvif: OnvifService, hub: StreamHub, registry: CameraRegistry,
        rtsp: RtspTestServer, db_path: Path) -> None:
    base = rtsp.url("live1").rsplit("/", 1)[0]
    settings = EmulatorSettings(clock_skew_s=2 * 3600, auth="digest", rtsp_base=base,
                                stream_quirk="nat")
    with OnvifEmulator(settings) as emu:
        wizard = AddCameraWizard(onvif, registry, _actor, hub, host="127.0.0.1", port=emu.port)
        qtbot.addWidget(wizard)
        wizard.show()
        page = wizard.connect_page
        page.user.setText("admin")
        page.password.setText("wrong")
        assert page.password.echoMode() == page.password.EchoMode.Password
        wizard.next()
        assert wizard.currentId() == PAGE_DEVICE
        device = wizard.device_page
        qtbot.waitUntil(lambda: bool(device.error.text()), timeout=WAIT_MS)
        assert device.error.text() == "The camera rejected the user name or password."
        assert not device.isComplete()
        wizard.back()
        page.password.setText(settings.password)
        wizard.next()
        qtbot.waitUntil(device.isComplete, timeout=WAIT_MS)
        assert device.info.model.text() == "DS-2DE4A425IW-DE"
        assert device.info.drift.text() == "The camera's clock is 2 h 0 min ahead of this computer."

        wizard.next()
        assert wizard.currentId() == PAGE_STREAMS
        streams = wizard.streams_page
        qtbot.waitUntil(streams.isComplete, timeout=WAIT_MS)
        assert streams.table.rowCount() == 3
        assert {streams.table.item(r, 0).text() for r in range(3)} == {
            "mainStream", "subStream", "h265Stream"}
        assert streams.main_uri.text() == f"{base}/h265"  # 2560×1440 H.265: the largest
        assert streams.sub_uri.text() == f"{base}/live1"  # 640×360: the smallest
        assert streams.snapshot_uri.text().startswith("http://127.0.0.1:")
        # the camera said 192.168.1.64 (behind NAT); the rewrite is told in a sentence
        assert "192.168.1.64" in streams.warnings.text()
        assert streams.warnings.text().rstrip().endswith(".")
        preview = streams.preview
        assert preview is not None
        qtbot.waitUntil(lambda: preview.painted_seq > 0, timeout=WAIT_MS)
        assert preview.playing is not None and preview.playing.url == f"{base}/live1"
        first = preview.painted_seq
        qtbot.waitUntil(lambda: preview.painted_seq > first + 3, timeout=WAIT_MS)  # live
        qtbot.waitUntil(lambda: streams.ptz is not None, timeout=WAIT_MS)
        assert streams.ptz is not None and streams.ptz.available
        _screenshot(wizard, "onvif-wizard.png")

        wizard.next()
        assert wizard.currentId() == PAGE_SAVE
        assert preview.handle is None  # the preview stops when its page is left
        wizard.save_page.name.setText("Junction 7 East")
        # The emulator advertises an events service: its events are taken in by default.
        assert wizard.save_page.events.isEnabled() and wizard.save_page.events.isChecked()
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: not wizard.isVisible())  # saved off the GUI thread, closed
        assert wizard.saved is not None, wizard.save_page.error.text()
    [camera] = registry.cameras(SYSTEM)
    assert camera.name == "Junction 7 East"
    assert (camera.main_url, camera.sub_url) == (f"{base}/h265", f"{base}/live1")
    assert camera.onvif_url == f"http://127.0.0.1:{emu.port}/onvif/device_service"
    assert camera.ptz_capable
    assert camera.event_source == "onvif"
    assert registry.credentials(SYSTEM, camera) == ("admin", settings.password)
    stored = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert settings.password.encode() not in stored


def test_wizard_saves_no_event_source_for_a_camera_without_events_service(
        qtbot: QtBot, onvif: OnvifService, hub: StreamHub, registry: CameraRegistry,
        rtsp: RtspTestServer) -> None:
    base = rtsp.url("live1").rsplit("/", 1)[0]
    settings = EmulatorSettings(rtsp_base=base, events=EventsSettings(enabled=False))
    with OnvifEmulator(settings) as emu:
        wizard = AddCameraWizard(onvif, registry, _actor, hub, host="127.0.0.1", port=emu.port)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.connect_page.user.setText("admin")
        wizard.connect_page.password.setText(settings.password)
        wizard.next()
        qtbot.waitUntil(wizard.device_page.isComplete, timeout=WAIT_MS)
        wizard.next()
        qtbot.waitUntil(wizard.streams_page.isComplete, timeout=WAIT_MS)
        wizard.next()
        assert wizard.currentId() == PAGE_SAVE
        events = wizard.save_page.events
        assert not events.isEnabled() and not events.isChecked()
        assert events.toolTip() == "The camera does not offer an ONVIF events service."
        wizard.save_page.name.setText("Old Bridge")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: not wizard.isVisible())
        assert wizard.saved is not None, wizard.save_page.error.text()
    assert wizard.saved.event_source == ""


def test_wizard_warns_of_a_stream_on_another_host_and_rewrites_it_on_request(
        qtbot: QtBot, onvif: OnvifService, hub: StreamHub, registry: CameraRegistry,
        rtsp: RtspTestServer) -> None:
    """The camera answered at 127.0.0.1 but names 192.0.2.10 (TEST-NET-1) for its streams:
    said, offered to fix, and not previewed (nothing is sent to 192.0.2.10) until chosen."""
    base = rtsp.url("live1").rsplit("/", 1)[0]
    port = base.rpartition(":")[2]
    settings = EmulatorSettings(rtsp_base=base, stream_quirk="other_host")
    with OnvifEmulator(settings) as emu:
        wizard = AddCameraWizard(onvif, registry, _actor, hub, host="127.0.0.1", port=emu.port)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.connect_page.user.setText("admin")
        wizard.connect_page.password.setText(settings.password)
        wizard.next()
        qtbot.waitUntil(wizard.device_page.isComplete, timeout=WAIT_MS)
        wizard.next()
        streams = wizard.streams_page
        qtbot.waitUntil(streams.isComplete, timeout=WAIT_MS)
        assert streams.main_uri.text() == f"rtsp://{OTHER_HOST}:{port}/h265"
        assert streams.host_warning.isVisible()
        assert OTHER_HOST in streams.host_warning.text()
        assert "127.0.0.1" in streams.host_warning.text()
        assert streams.use_device_host.isVisible()
        assert streams.use_device_host.text() == "Use the camera's address (127.0.0.1)"
        preview = streams.preview
        assert preview is not None and preview.playing is None  # no password sent there
        assert streams.state.text() == ("The preview waits until you choose which address "
                                        "to use.")

        qtbot.mouseClick(streams.use_device_host, Qt.MouseButton.LeftButton)
        assert (streams.main_uri.text(), streams.sub_uri.text()) == (
            f"{base}/h265", f"{base}/live1")
        assert not streams.host_warning.isVisible()
        assert not streams.use_device_host.isVisible()
        qtbot.waitUntil(lambda: preview.painted_seq > 0, timeout=WAIT_MS)
        assert preview.playing is not None and preview.playing.url == f"{base}/live1"
        assert streams.state.text().startswith("Main: h265Stream")
        _screenshot(wizard, "onvif-wizard-rewritten.png")

        # an address typed by hand on another host is checked the same way (the preview is
        # switched to the main stream first: keeping the sub must not play 192.0.2.10)
        streams.which.setCurrentIndex(streams.which.findData("main"))
        streams.sub_uri.setText(f"rtsp://{OTHER_HOST}:{port}/live1")
        assert streams.host_warning.isVisible() and streams.keep_elsewhere.isVisible()
        qtbot.mouseClick(streams.keep_elsewhere, Qt.MouseButton.LeftButton)
        assert not streams.keep_elsewhere.isVisible()  # kept on purpose: no more nagging
        assert streams.host_warning.isVisible()  # but still said
        assert preview.playing is not None and preview.playing.url == f"{base}/h265"
        wizard.close()


def _ptz_setup(qtbot: QtBot, make_app: AppFactory, onvif: OnvifService,
               emu: OnvifEmulator, name: str, onvif_url: str) -> tuple[OnvifUi, Camera]:
    app = make_app()
    camera = app.registry.add(SYSTEM, Camera(
        id=None, name=name, main_url="demo://ptz?w=320&h=180&fps=10", onvif_url=onvif_url,
        ptz_capable=True), emu.settings.user, emu.settings.password)
    assert camera.id is not None
    ptz = PtzControl(onvif, app.sessions, app.audit)
    ui = install_onvif(app.console, app.registry, onvif, ptz, app.hub, app.current_actor,
                       discovery_port=emu.discovery_port)
    app.console.grid.assign(1, camera.id)
    app.console.grid.select(app.console.grid.tiles[1])
    return ui, camera


def test_ptz_pad_hold_release_focus_loss_and_presets(
        qtbot: QtBot, make_app: AppFactory, onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(clock_skew_s=-3600)) as emu:
        ui, _camera = _ptz_setup(qtbot, make_app, onvif, emu, "Junction 7 East",
                                 device_url("127.0.0.1", emu.port))
        pad, console = ui.pad, ui.parent()
        try:
            qtbot.waitUntil(lambda: pad.enabled_for_camera, timeout=WAIT_MS)
            assert pad.controls.isEnabled() and not pad.reason.isVisible()
            console.activateWindow()  # type: ignore[attr-defined]
            qtbot.waitUntil(console.isActiveWindow)  # type: ignore[attr-defined]

            # press and hold "→": the camera pans right until released
            right = pad.buttons["→"]
            qtbot.mousePress(right, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: emu.ptz.position()[0] > 0.1, timeout=WAIT_MS)
            assert emu.ptz.position()[3]  # moving
            qtbot.mouseRelease(right, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: not emu.ptz.position()[3] and not pad.commander.busy,
                            timeout=WAIT_MS)
            stopped = emu.ptz.position()
            polls = len([c for c in emu.calls if c[0] == "GetStatus"])
            qtbot.waitUntil(lambda: len([c for c in emu.calls if c[0] == "GetStatus"])
                            >= polls + 2, timeout=WAIT_MS)  # polled ~2 Hz meanwhile
            assert emu.ptz.position() == stopped  # it stays put
            qtbot.waitUntil(lambda: pad.status is not None and pad.status.pan is not None
                            and abs(pad.status.pan - stopped[0]) < 1e-3
                            and not pad.status.moving, timeout=WAIT_MS)
            assert pad.position.text().startswith(f"Pan +{stopped[0]:.2f}")

            # held, then focus goes elsewhere: the camera stops although nothing was released
            qtbot.mousePress(pad.buttons["←"], Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: emu.ptz.position()[0] < stopped[0] - 0.05,
                            timeout=WAIT_MS)
            assert pad.hasFocus()
            console.filter_edit.setFocus()  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda: not emu.ptz.position()[3] and not pad.commander.busy,
                            timeout=WAIT_MS)
            qtbot.mouseRelease(pad.buttons["←"], Qt.MouseButton.LeftButton)

            # keyboard while the pad has focus (the console's arrow shortcuts do not steal)
            pad.setFocus()
            qtbot.keyPress(pad, Qt.Key.Key_Up)
            qtbot.waitUntil(lambda: emu.ptz.position()[1] > 0.05, timeout=WAIT_MS)
            qtbot.keyRelease(pad, Qt.Key.Key_Up)
            qtbot.waitUntil(lambda: not emu.ptz.position()[3] and not pad.commander.busy,
                            timeout=WAIT_MS)

            # selecting another tile while moving stops the camera too
            qtbot.mousePress(pad.buttons["↓"], Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: emu.ptz.position()[3], timeout=WAIT_MS)
            ui._grid.select(ui._grid.tiles[0])
            qtbot.waitUntil(lambda: not emu.ptz.position()[3] and not pad.commander.busy,
                            timeout=WAIT_MS)
            assert pad.reason.text() == "No camera in the selected tile."
            qtbot.mouseRelease(pad.buttons["↓"], Qt.MouseButton.LeftButton)
            ui._grid.select(ui._grid.tiles[1])
            qtbot.waitUntil(lambda: pad.enabled_for_camera, timeout=WAIT_MS)

            # presets: list, go to, save, rename
            qtbot.waitUntil(lambda: pad.preset_list.count() == 1, timeout=WAIT_MS)
            assert pad.preset_list.item(0).text() == "Gate"
            pad.preset_list.setCurrentRow(0)
            qtbot.mouseClick(pad.go_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: emu.ptz.position()[:2] == (0.25, -0.1), timeout=WAIT_MS)
            pad.preset_name.setText("North road")
            qtbot.mouseClick(pad.save_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: pad.preset_list.count() == 2, timeout=WAIT_MS)
            assert emu.ptz.presets["2"][:3] == ("North road", 0.25, -0.1)
            pad.preset_list.setCurrentRow(1)
            pad.preset_name.setText("North road bridge")
            qtbot.mouseClick(pad.rename_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: pad.preset_list.item(1) is not None
                            and pad.preset_list.item(1).text() == "North road bridge",
                            timeout=WAIT_MS)
            assert emu.ptz.presets["2"][0] == "North road bridge"
            assert pad.error.text() == ""
            qtbot.waitUntil(lambda: pad.status is not None and pad.status.pan == 0.25,
                            timeout=WAIT_MS)  # the shown position follows the camera
            assert pad.position.text() == "Pan +0.25 · Tilt −0.10 · Zoom +0.00"
            ui.dock.resize(300, 560)
            _screenshot(ui.dock, "onvif-ptz.png")
        finally:
            ui.shutdown()


def test_pad_disabled_with_the_reason(qtbot: QtBot, make_app: AppFactory,
                                      onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(no_ptz=True)) as emu:
        ui, _camera = _ptz_setup(qtbot, make_app, onvif, emu, "Fixed camera",
                                 device_url("127.0.0.1", emu.port))
        try:
            qtbot.waitUntil(lambda: ui.pad.reason.text() == "The camera has no PTZ service.",
                            timeout=WAIT_MS)
            assert not ui.pad.controls.isEnabled()
            # no ONVIF address at all: said without asking any camera
            app_registry = ui._registry
            plain = app_registry.add(SYSTEM, Camera(id=None, name="Plain RTSP",
                                                    main_url="demo://plain?w=320&h=180"))
            assert plain.id is not None
            ui._grid.assign(2, plain.id)
            ui._grid.select(ui._grid.tiles[2])
            assert ui.pad.reason.text() == "This camera has no ONVIF address."
            assert not ui.pad.controls.isEnabled()
            assert not ui.properties_action.isEnabled()
        finally:
            ui.shutdown()


def test_camera_properties_dialog_shows_drift(qtbot: QtBot, make_app: AppFactory,
                                              onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(clock_skew_s=-95)) as emu:
        ui, _camera = _ptz_setup(qtbot, make_app, onvif, emu, "Junction 7 East",
                                 device_url("127.0.0.1", emu.port))
        try:
            # (the pad asks first; opening the dialog meanwhile races in the core, see report)
            qtbot.waitUntil(lambda: ui.pad.enabled_for_camera, timeout=WAIT_MS)
            dialog = ui.open_properties()
            assert dialog is not None
            qtbot.waitUntil(lambda: dialog.probe is not None, timeout=WAIT_MS)
            assert dialog.info.model.text() == "DS-2DE4A425IW-DE"
            drift = dialog.info.drift.text()  # measured: ±1 s around the emulator's 95 s
            assert drift.startswith("The camera's clock is 1 min 3"), drift
            assert drift.endswith(" s behind this computer."), drift
            dialog.close()
        finally:
            ui.shutdown()
            QApplication.processEvents()
