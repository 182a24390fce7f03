"""Move/stop commands to one camera, strictly one after the other, latest wins.

Two requests in flight at once may reach the camera in either order: a Stop overtaken
by its own ContinuousMove would leave the camera turning. So one command is in flight
at a time and only the newest waiting command is kept (a held button that is released
before its move was answered still ends with the stop).

A move is handed to the camera from the UI's background executor: the first move of a
PTZ session writes its audit row (and a refusal its own), which the GUI thread never
waits for. A stop writes nothing and goes straight to the ONVIF loop.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from commandroom.onvif import CameraEndpoint
from commandroom.onvif.ptz_control import OperatorPtz
from ui.bridge import background
from ui.onvif.future_bridge import FutureBridge


@dataclass(frozen=True)
class PtzCommand:
    endpoint: CameraEndpoint
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0
    stop: bool = False


class PtzCommander(QObject):
    failed = Signal(str)
    idle = Signal()

    def __init__(self, onvif: OperatorPtz, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._onvif = onvif
        self._bridge = FutureBridge(self)
        self._in_flight: PtzCommand | None = None
        self._waiting: list[PtzCommand] = []
        self._in_flight_future: concurrent.futures.Future[None] | None = None
        self.sent: list[PtzCommand] = []  # what went to cameras, for diagnostics and tests

    @property
    def busy(self) -> bool:
        return self._in_flight is not None or bool(self._waiting)

    def move(self, endpoint: CameraEndpoint, pan: float, tilt: float, zoom: float) -> None:
        self._push(PtzCommand(endpoint, pan, tilt, zoom))

    def stop(self, endpoint: CameraEndpoint) -> None:
        self._push(PtzCommand(endpoint, stop=True))

    def _push(self, command: PtzCommand) -> None:
        # Latest wins per camera; the stop of a camera we are leaving is never dropped.
        self._waiting = [c for c in self._waiting if c.endpoint != command.endpoint]
        self._waiting.append(command)
        if self._in_flight is None:
            self._next()

    def _send(self, command: PtzCommand) -> None:
        self._in_flight = command
        self.sent.append(command)
        future: concurrent.futures.Future[None]
        if command.stop:
            future = self._onvif.ptz_stop(command.endpoint)
        else:
            onvif = self._onvif
            future = _off_gui_thread(lambda: onvif.ptz_move(
                command.endpoint, command.pan, command.tilt, command.zoom))
        self._in_flight_future = future
        self._bridge.call(future, lambda _r: self._next(), self._failed_then_next)

    def _failed_then_next(self, message: str) -> None:
        self.failed.emit(message)
        self._next()

    def _next(self) -> None:
        self._in_flight = None
        if self._waiting:
            self._send(self._waiting.pop(0))
        else:
            self.idle.emit()

    def shut(self) -> None:
        """Stop delivering answers, but still send every waiting stop (after the command
        in flight, so it cannot be overtaken): a closing console leaves no camera turning."""
        self._bridge.shut()
        stops, self._waiting = [c for c in self._waiting if c.stop], []
        onvif, in_flight = self._onvif, self._in_flight_future
        for command in stops:
            if in_flight is not None and not in_flight.done():
                def stop_after(_f: object, e: CameraEndpoint = command.endpoint) -> None:
                    onvif.ptz_stop(e)

                in_flight.add_done_callback(stop_after)
            else:
                onvif.ptz_stop(command.endpoint)


def _off_gui_thread(start: Callable[[], concurrent.futures.Future[None]]
                    ) -> concurrent.futures.Future[None]:
    """``start()`` on the UI's executor; the future answers when the camera does."""
    answer: concurrent.futures.Future[None] = concurrent.futures.Future()

    def started(outer: concurrent.futures.Future[concurrent.futures.Future[None]]) -> None:
        if outer.cancelled():
            answer.cancel()
            return
        exc = outer.exception()
        if exc is not None:
            answer.set_exception(exc)
            return
        outer.result().add_done_callback(copy)

    def copy(inner: concurrent.futures.Future[None]) -> None:
        if inner.cancelled():
            answer.cancel()
            return
        exc = inner.exception()
        if exc is not None:
            answer.set_exception(exc)
        else:
            answer.set_result(None)

    background().submit(start).add_done_callback(started)
    return answer
