"""The watch-list window on a real SQLite database and the real WatchlistService."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import Actor, Role
from commandroom.db.engine import open_database
from commandroom.db.thread_guard import ThreadGuard
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.csv_import import SKIP
from commandroom.watchlist.idcard import InvalidIdNumber, check_character, parse_id_number
from commandroom.watchlist.records import EntryInput, Kind
from commandroom.watchlist.service import WatchlistService
from tests.ui.keyboard import focused, press, type_keys
from ui.bridge import UI_PACKAGES
from ui.common.thumbnails import ThumbnailCache
from ui.theme import apply_dark_theme
from ui.watchlist.import_dialog import ImportDialog
from ui.watchlist.window import WatchlistWindow

SUPERVISOR = Actor("sam", Role.SUPERVISOR)
DUTY = Actor("dan", Role.DUTY_OFFICER)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def valid_id(first17: str) -> str:
    return first17 + check_character(first17)


@dataclass
class Env:
    watchlist: WatchlistService
    thumbnails: ThumbnailCache
    actor: list[Actor]

    def window(self, qtbot: QtBot, **kwargs: object) -> WatchlistWindow:
        window = WatchlistWindow(self.watchlist, lambda: self.actor[0], self.thumbnails,
                                 **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        settle(qtbot, window)  # the search index is warmed off the GUI thread
        return window


def settle(qtbot: QtBot, window: WatchlistWindow | ImportDialog) -> None:
    """What the window asked of the core (off the GUI thread) has answered."""
    qtbot.waitUntil(lambda: not window.busy)


@pytest.fixture
def env(tmp_path: Path, data_dir: Path) -> Iterator[Env]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'watch.db'}")
    watchlist = WatchlistService(sessions, AuditTrail(sessions), EventBus(),
                                 references=sightings_of_entry, data_dir=data_dir)
    thumbnails = ThumbnailCache()
    yield Env(watchlist, thumbnails, [SUPERVISOR])
    thumbnails.shutdown()
    engine.dispose()


def person(name: str, first17: str = "", **more: object) -> EntryInput:
    return EntryInput(kind=Kind.PERSON, name=name,
                      id_number=valid_id(first17) if first17 else "", **more)  # type: ignore[arg-type]


def labels(window: WatchlistWindow) -> list[str]:
    return [hit.label for hit in window.hits]


def test_search_as_you_type_filters_the_list(qtbot: QtBot, env: Env) -> None:
    env.watchlist.create(SUPERVISOR, person("Zhang Wei", "42010119850302001",
                                            aliases=("Lao Zhang",)))
    env.watchlist.create(SUPERVISOR, person("Zhang Min"))
    env.watchlist.create(SUPERVISOR, person("Li Na"))
    env.watchlist.create(SUPERVISOR, EntryInput(kind=Kind.VEHICLE, plate="鄂G·12345"))
    window = env.window(qtbot)
    assert window.results.rowCount() == 0  # the core's search answers typed text only
    assert "Type" in window.count_label.text()
    qtbot.keyClicks(window.search, "zha")
    assert sorted(labels(window)) == ["Zhang Min", "Zhang Wei"]
    assert window.results.rowCount() == 2
    qtbot.keyClicks(window.search, "ng w")
    assert labels(window) == ["Zhang Wei"]
    window.search.setText("lao")  # an alias finds the person's one file
    assert labels(window) == ["Zhang Wei"]
    window.search.setText("g12345")  # plates match on their normalised form
    assert labels(window) == ["鄂G·12345"]
    window.search.setText("1")
    assert len(window.hits) == 2  # Zhang Wei's ID number and the plate
    window.kind_filter.setCurrentIndex(window.kind_filter.findData(Kind.VEHICLE))
    assert [h.kind for h in window.hits] == [Kind.VEHICLE]
    # choosing a row opens its file in the form
    window.kind_filter.setCurrentIndex(0)
    window.search.setText("Zhang Wei")
    window.results.selectRow(0)
    qtbot.waitUntil(lambda: window.form.entry is not None)
    assert window.form.entry is not None and window.form.entry.name == "Zhang Wei"
    assert window.form.date_of_birth.text() == "1985-03-02"


def test_keyboard_alone_finds_opens_follows_and_adds_a_file(qtbot: QtBot, env: Env) -> None:
    """The officer's keys in the window: type, Down into the results (the first file
    opens), Ctrl+T its timeline, Ctrl+F back to the search, Ctrl+N a new person, Ctrl+S
    saves it; every key goes where the focus is (tests/ui/keyboard.py)."""
    env.watchlist.create(SUPERVISOR, person("Zhang Wei", "42010119850302001"))
    env.watchlist.create(SUPERVISOR, person("Zhang Min"))
    followed: list[int] = []
    window = env.window(qtbot, open_timeline=followed.append,
                        open_trajectory=followed.append)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.search.setFocus()
    assert window.timeline_button.text().endswith(f"({key_text('Ctrl+T')})")
    press(Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # no file open: nothing
    assert followed == []
    type_keys("zhang w")
    assert labels(window) == ["Zhang Wei"]
    press(Qt.Key.Key_Down)
    assert focused() is window.results
    qtbot.waitUntil(lambda: window.form.entry is not None)
    opened = window.form.entry
    assert opened is not None and opened.name == "Zhang Wei"
    press(Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert followed == [opened.id, opened.id]

    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.search and window.search.selectedText() == "zhang w"
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.form.name and window.form.entry is None
    type_keys("Wang Fang")
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.form.entry is not None)
    settle(qtbot, window)
    assert [e.label for e in env.watchlist.search(SUPERVISOR, "wang")] == ["Wang Fang"]

    env.actor[0] = DUTY  # reads only: the keys do what the greyed buttons would
    window.update_actions()
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.form.entry is not None and window.form.entry.name == "Wang Fang"


def key_text(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def test_bad_id_number_shows_the_core_message_and_saves_nothing(
        qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    window = env.window(qtbot)
    window.start_new(Kind.PERSON)
    form = window.form
    form.name.setText("Wang Fang")
    good = valid_id("42010119900715002")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    qtbot.keyClicks(form.id_number, bad)
    with pytest.raises(InvalidIdNumber) as core:
        parse_id_number(bad)
    assert form.id_check.verdict == "bad"
    assert form.id_check.text() == str(core.value)  # the core's own words, live
    window.save()
    settle(qtbot, window)
    assert window.form.entry is None
    assert str(core.value) in form.message.text()
    assert env.watchlist.search(SUPERVISOR, "Wang") == []

    photo = tmp_path / "face.png"
    cv2.imwrite(str(photo), np.full((120, 90, 3), 128, np.uint8))
    form.add_pending_photo(photo)
    form.id_number.setText(good)
    assert form.id_check.verdict == "ok"
    assert form.date_of_birth.text() == "1990-07-15"  # completed from the ID number
    assert form.sex.currentData() == "female"
    window.save()
    assert window.status.text() == "Saving…"  # said while the core works
    settle(qtbot, window)
    saved = window.form.entry
    assert saved is not None and saved.id_number == good and len(saved.photos) == 1
    assert (env.watchlist.data_dir / saved.photos[0].path).is_file()
    assert labels(window) == ["Wang Fang"]
    assert "Wang Fang" in window.status.text()
    qtbot.waitUntil(env.thumbnails.idle)
    assert not form.photos.item(0).icon().isNull()


def test_vehicle_plate_is_checked_live_and_an_unread_plate_is_kept(qtbot: QtBot, env: Env) -> None:
    window = env.window(qtbot)
    window.start_new(Kind.VEHICLE)
    form = window.form
    assert form.vehicle_box.isVisibleTo(window) and not form.person_box.isVisibleTo(window)
    form.plate.setText("鄂g 12345")
    assert form.plate_check.verdict == "ok" and "鄂G12345" in form.plate_check.text()
    form.plate.setText("粤Z·1234港X")
    assert form.plate_check.verdict == "note"  # not a mainland format: kept, with a note
    window.save()
    settle(qtbot, window)
    saved = window.form.entry
    assert saved is not None and saved.plate == "粤Z·1234港X" and saved.plate_note


def test_archive_and_restore(qtbot: QtBot, env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = env.watchlist.create(SUPERVISOR, person("Chen Gang"))
    window = env.window(qtbot, sighting_count=lambda _id: 0)
    monkeypatch.setattr(window, "confirm", lambda _question: True)
    window.open_entry(entry.id)
    settle(qtbot, window)
    assert window.archive_button.isEnabled() and not window.restore_button.isEnabled()
    assert window.delete_button.isEnabled()
    window.archive()
    settle(qtbot, window)
    archived = window.form.entry
    assert archived is not None and archived.archived
    assert window.status.text() == "Archived."
    assert env.watchlist.get(SUPERVISOR, entry.id).archived
    window.search.setText("Chen")
    assert labels(window) == []  # archived files are hidden unless asked for
    window.show_archived.setChecked(True)
    assert labels(window) == ["Chen Gang"]
    assert window.results.item(0, 5).text() == "archived"
    assert window.restore_button.isEnabled() and not window.archive_button.isEnabled()
    window.restore()
    settle(qtbot, window)
    restored = window.form.entry
    assert restored is not None and not restored.archived
    assert window.status.text() == "Restored."
    assert not env.watchlist.get(SUPERVISOR, entry.id).archived


def test_delete_only_offered_without_sightings(qtbot: QtBot, env: Env,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    entry = env.watchlist.create(SUPERVISOR, person("Sun Li"))
    counts = {entry.id: 2}
    window = env.window(qtbot, sighting_count=lambda entry_id: counts.get(entry_id, 0))
    monkeypatch.setattr(window, "confirm", lambda _question: True)
    window.open_entry(entry.id)
    settle(qtbot, window)
    assert not window.delete_button.isEnabled()
    assert "2 sighting" in window.delete_button.toolTip()
    counts.clear()
    window.update_actions()
    settle(qtbot, window)
    assert window.delete_button.isEnabled()
    window.delete()
    settle(qtbot, window)
    assert window.status.text() == "Deleted."
    assert env.watchlist.search(SUPERVISOR, "Sun") == []


def test_duty_officer_reads_but_cannot_change(qtbot: QtBot, env: Env) -> None:
    entry = env.watchlist.create(SUPERVISOR, person("Zhou Qiang"))
    env.actor[0] = DUTY
    window = env.window(qtbot)
    window.open_entry(entry.id)
    settle(qtbot, window)
    for button in (window.save_button, window.new_person, window.import_button,
                   window.archive_button, window.export_button, window.delete_button):
        assert not button.isEnabled()
    assert window.form.name.isReadOnly()
    window.archive_button.setEnabled(True)  # even if a button were reachable: the core says no
    window.confirm = lambda _question: True  # type: ignore[method-assign]
    window.archive()
    settle(qtbot, window)
    assert "not allowed" in window.form.message.text() and "edit_watchlist" in \
        window.form.message.text()
    assert not env.watchlist.get(SUPERVISOR, entry.id).archived


def test_csv_import_preview_then_skip_duplicates(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    existing = env.watchlist.create(SUPERVISOR, person("Liu Yang", "42010119800101003"))
    csv_path = tmp_path / "list.csv"
    bad_id = valid_id("42010119700101001")[:-1] + "Y"
    csv_path.write_text(
        "kind,name,id_number,plate,category,risk\n"
        f"person,Ma Jun,{valid_id('42010119750505005')},,wanted,high\n"   # line 2: new
        f"person,Broken Row,{bad_id},,other,low\n"                       # line 3: bad ID
        f"person,Liu Yang renamed,{existing.id_number},,suspect,high\n"   # line 4: duplicate
        "vehicle,,,鄂A12345,other,medium\n",                              # line 5: new
        encoding="utf-8")
    dialog = ImportDialog(env.watchlist, lambda: env.actor[0], csv_path)
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)
    assert dialog.preview is not None
    assert "4 rows" in dialog.summary.text() and "2 new" in dialog.summary.text()
    assert dialog.errors.rowCount() == 1
    assert dialog.errors.item(0, 0).text() == "3"
    assert "ID number" in dialog.errors.item(0, 1).text() or "id_number" in \
        dialog.errors.item(0, 1).text()
    assert dialog.duplicates.rowCount() == 1
    assert dialog.duplicates.item(0, 0).text() == "4"
    assert dialog.duplicates.item(0, 2).text() == f"entry #{existing.id}"
    assert env.watchlist.search(SUPERVISOR, "Ma Jun") == []  # the preview wrote nothing
    dialog.set_all("update")
    assert dialog.decisions() == {4: "update"}
    dialog.set_decision(0, SKIP)
    assert dialog.decisions() == {4: SKIP}
    dialog.run_import()
    assert dialog.summary.text() == "Importing…"
    settle(qtbot, dialog)
    report = dialog.outcome
    assert report is not None and len(report.created) == 2 and not report.updated
    assert [d.line for d in report.skipped] == [4]
    assert "2 created" in dialog.summary.text() and "1 skipped" in dialog.summary.text()
    assert env.watchlist.get(SUPERVISOR, existing.id).name == "Liu Yang"  # skipped: unchanged
    assert [h.label for h in env.watchlist.search(SUPERVISOR, "Ma Jun")] == ["Ma Jun"]
    assert [h.plate for h in env.watchlist.search(SUPERVISOR, "A12345")] == ["鄂A12345"]


def test_export_csv(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    env.watchlist.create(SUPERVISOR, person("He Jing"))
    window = env.window(qtbot)
    dest = tmp_path / "out.csv"
    window.export_to(dest)
    settle(qtbot, window)
    assert window.status.text().startswith("1 entries written")
    assert "He Jing" in dest.read_text(encoding="utf-8-sig")
    assert str(dest) in window.status.text()


def test_screenshot_form_and_list(qtbot: QtBot, qapp: QApplication, env: Env,
                                  tmp_path: Path) -> None:
    """A picture for the docs (written there when COMMANDROOM_SCREENSHOTS is set)."""
    for name, first17, category, risk in (
            ("Wang Wei", "42010119850302001", "wanted", "high"),
            ("Wang Na", "42010119920611002", "missing_person", "medium"),
            ("Wang Gang", "42010119781120003", "suspect", "high"),
            ("Huang Fang", "42010119900715002", "fraud_risk", "low"),
            ("Li Ming", "42010119661009004", "other", "low")):
        env.watchlist.create(SUPERVISOR, person(name, first17, category=category, risk=risk,
                                                reason="case file", case_reference="HB-2024-"
                                                + first17[-3:]))
    env.watchlist.create(SUPERVISOR, EntryInput(kind=Kind.VEHICLE, plate="鄂G·12345",
                                                colour="white", make_model="Wuling Hongguang",
                                                category="suspect", risk="medium"))
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        apply_dark_theme(qapp)  # as the app looks (global: only when taking pictures)
    window = env.window(qtbot)
    photo = tmp_path / "wang.png"
    face = np.full((240, 180, 3), (70, 60, 50), np.uint8)
    cv2.circle(face, (90, 100), 55, (150, 170, 200), -1)
    cv2.rectangle(face, (30, 170), (150, 240), (90, 70, 60), -1)
    cv2.imwrite(str(photo), face)
    hit = env.watchlist.search(SUPERVISOR, "Wang Wei")[0]
    env.watchlist.add_photo(SUPERVISOR, hit.id, photo)
    window.resize(1280, 820)
    window.show()
    qtbot.waitExposed(window)
    window.search.setText("wang")
    assert len(window.hits) == 3
    window.results.selectRow([h.id for h in window.hits].index(hit.id))
    settle(qtbot, window)
    qtbot.waitUntil(env.thumbnails.idle)
    image = window.grab()
    assert not image.isNull() and image.width() >= 1200
    image.save(str(tmp_path / "watchlist.png"))
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        image.save(str(SCREENSHOTS / "watchlist.png"))


def test_window_and_import_never_use_the_database_on_the_gui_thread(
        qtbot: QtBot, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No excuse at all: opening, saving, archiving, restoring, counting sightings,
    exporting, the import's preview and the import itself all run off the GUI thread."""
    existing = env.watchlist.create(SUPERVISOR, person("Gao Lin"))
    csv_path = tmp_path / "more.csv"
    csv_path.write_text("kind,name,category,risk\nperson,Xu Bo,wanted,high\n",
                        encoding="utf-8")
    guard = ThreadGuard(threading.main_thread().ident or 0, strict=True,
                        watched_packages=UI_PACKAGES, excused=frozenset())
    with guard.everywhere():
        window = env.window(qtbot, sighting_count=lambda entry_id: len(
            env.watchlist.get(SUPERVISOR, entry_id).photos))  # a database read
        monkeypatch.setattr(window, "confirm", lambda _question: True)
        window.search.setText("Gao")
        window.results.selectRow(0)
        qtbot.waitUntil(lambda: window.form.entry is not None and not window.busy)
        assert window.delete_button.isEnabled()  # counted: no sightings
        window.form.notes.setPlainText("seen at the market")
        window.save()
        assert window.status.text() == "Saving…"
        settle(qtbot, window)
        assert window.status.text() == "Saved Gao Lin."
        window.archive()
        settle(qtbot, window)
        assert window.status.text() == "Archived."
        window.restore()
        settle(qtbot, window)
        assert window.status.text() == "Restored."
        window.export_to(tmp_path / "out.csv")
        settle(qtbot, window)
        dialog = ImportDialog(env.watchlist, lambda: env.actor[0], csv_path)
        qtbot.addWidget(dialog)
        settle(qtbot, dialog)
        assert "1 new" in dialog.summary.text()
        dialog.run_import()
        settle(qtbot, dialog)
        assert dialog.outcome is not None and len(dialog.outcome.created) == 1
    assert guard.violations == [] and guard.excused_calls == []
    assert env.watchlist.get(SUPERVISOR, existing.id).notes == "seen at the market"


def test_return_in_the_import_dialog_imports_even_while_the_preview_is_read_again(
        qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    """Return in the photo folder field asks for a new preview and presses Import: the
    import must not be dropped because the preview is still on its way."""
    csv_path = tmp_path / "two.csv"
    csv_path.write_text("kind,name,category,risk\nperson,Xu Bo,wanted,high\n"
                        "person,Ma Li,suspect,low\n", encoding="utf-8")
    dialog = ImportDialog(env.watchlist, lambda: env.actor[0], csv_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    settle(qtbot, dialog)
    dialog.photos_dir.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.photos_dir)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    settle(qtbot, dialog)
    assert len(dialog.outcome.created) == 2  # type: ignore[union-attr]
    assert dialog.summary.text().startswith("Imported: 2 created")
    assert not dialog.import_button.isEnabled()
