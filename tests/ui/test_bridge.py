"""ui.bridge: events reach the GUI thread and stop with their owner; the one executor keeps
lanes in order, collapses layout saves, and leaves no thread after shutdown."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from commandroom.db.thread_guard import ThreadGuard
from commandroom.events import EventBus
from tests.ui.conftest import AppFactory
from ui.bridge import THREAD_PREFIX, FutureBridge, GuiEvents, background, shutdown_background


@dataclass(frozen=True)
class Ping:
    n: int


def _publish_from_worker(bus: EventBus, event: object) -> None:
    worker = threading.Thread(target=bus.publish, args=(event,), name="publisher")
    worker.start()
    worker.join(timeout=10)


def _service_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


def test_an_event_from_a_worker_thread_is_delivered_on_the_gui_thread(qtbot: QtBot) -> None:
    bus, owner = EventBus(), QObject()
    got: list[tuple[int, bool]] = []
    GuiEvents(bus).subscribe(
        Ping, lambda e: got.append((e.n, threading.current_thread() is threading.main_thread())),
        owner)
    _publish_from_worker(bus, Ping(1))
    qtbot.waitUntil(lambda: got == [(1, True)])


def test_delivery_is_queued_even_from_the_gui_thread(qtbot: QtBot) -> None:
    bus, owner = EventBus(), QObject()
    got: list[int] = []
    GuiEvents(bus).subscribe(Ping, lambda e: got.append(e.n), owner)
    bus.publish(Ping(2))
    assert got == []  # never inside the publisher's call
    qtbot.waitUntil(lambda: got == [2])


def test_nothing_is_delivered_after_the_owner_is_destroyed(qtbot: QtBot) -> None:
    bus, gone, alive = EventBus(), QObject(), QObject()
    to_gone: list[int] = []
    to_alive: list[int] = []
    gui = GuiEvents(bus)
    gui.subscribe(Ping, lambda e: to_gone.append(e.n), gone)
    gui.subscribe(Ping, lambda e: to_alive.append(e.n), alive)
    _publish_from_worker(bus, Ping(1))
    qtbot.waitUntil(lambda: to_gone == [1] and to_alive == [1])
    with qtbot.waitSignal(gone.destroyed):
        gone.deleteLater()
    assert len(bus._subscribers[Ping]) == 1  # the bus forgot the destroyed owner's slot
    _publish_from_worker(bus, Ping(2))
    qtbot.waitUntil(lambda: to_alive == [1, 2])  # the same queue: the other is past too
    assert to_gone == [1]


def test_unsubscribe_drops_events_already_queued(qtbot: QtBot) -> None:
    bus, owner, witness = EventBus(), QObject(), QObject()
    got: list[int] = []
    seen: list[int] = []
    gui = GuiEvents(bus)
    unsubscribe = gui.subscribe(Ping, lambda e: got.append(e.n), owner)
    gui.subscribe(Ping, lambda e: seen.append(e.n), witness)
    bus.publish(Ping(3))  # queued for both
    unsubscribe()
    qtbot.waitUntil(lambda: seen == [3])
    assert got == []


def test_future_bridge_run_answers_on_the_gui_thread(qtbot: QtBot) -> None:
    bridge = FutureBridge()
    answers: list[tuple[str, bool]] = []
    bridge.run(lambda: threading.current_thread().name,
               on_ok=lambda name: answers.append(
                   (name, threading.current_thread() is threading.main_thread())))
    qtbot.waitUntil(lambda: len(answers) == 1)
    assert answers[0][0].startswith(THREAD_PREFIX) and answers[0][1]


def test_a_lane_keeps_order_and_latest_writes_only_the_newest() -> None:
    ran: list[int] = []
    gate = threading.Event()
    futures = [background().in_order("lane", lambda: gate.wait(10))]
    futures += [background().in_order("lane", ran.append, n) for n in range(5)]
    saved: list[int] = []
    first = threading.Event()
    background().latest("layout", lambda: (first.wait(10), saved.append(0)))
    for n in range(1, 6):  # arrive while the first save runs: only the newest is written
        background().latest("layout", lambda n=n: saved.append(n))
    gate.set()
    first.set()
    for future in futures:
        future.result(timeout=10)
    shutdown_background()
    assert ran == [0, 1, 2, 3, 4]
    assert saved == [0, 5]


def test_shutdown_runs_what_is_queued_and_leaves_no_thread() -> None:
    done = threading.Event()
    background().submit(done.set)
    assert _service_threads()
    shutdown_background()
    assert done.is_set() and _service_threads() == []


def test_app_shutdown_stops_the_ui_executor(make_app: AppFactory, qtbot: QtBot) -> None:
    app = make_app("--demo")
    app.console.grid.set_grid("9")  # a layout save goes to the executor
    assert _service_threads()
    app.shutdown()
    assert _service_threads() == []
    assert app.layouts.load_current(app.actor, "console").grid == "9"  # type: ignore[union-attr]


def test_the_apps_guard_stops_ui_code_using_the_database_on_the_gui_thread(
        make_app: AppFactory, qtbot: QtBot,
        gui_thread_database_guard: ThreadGuard) -> None:
    """After start() the app's guard is on (raising in test mode): a UI function that reads
    the database on the GUI thread is refused and named;
    the same call on the executor goes through."""
    from ui.quitting import pending_deliveries

    app = make_app("--demo")
    app.db_guard.excused = frozenset()  # nothing excused: the app's guard alone decides
    with gui_thread_database_guard.allowed():
        # pending_deliveries gives the count up on any database failure (quitting must
        # never be stopped by one): the guard's refusal shows in its record.
        assert pending_deliveries(app.alerting.board) == 0
    assert len(app.db_guard.violations) == 1
    assert re.fullmatch(r"ui\.quitting:\d+ in pending_deliveries", app.db_guard.violations[0])
    assert background().submit(pending_deliveries, app.alerting.board).result(10) == 0
    assert len(app.db_guard.violations) == 1  # the executor's thread is not the GUI's
