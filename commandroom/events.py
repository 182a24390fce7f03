"""Domain events: services publish what happened; the UI, the wall and (later) an MQTT
bridge for other workstations subscribe. Callbacks run on the publishing thread;
the UI re-posts them to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[type[Any], list[Callable[[Any], None]]] = {}

    def subscribe(self, event_type: type[E], callback: Callable[[E], None]) -> Callable[[], None]:
        """Register ``callback``; returns a function that unsubscribes it."""
        with self._lock:
            self._subscribers.setdefault(event_type, []).append(callback)

        def unsubscribe() -> None:
            with self._lock:
                callbacks = self._subscribers.get(event_type, [])
                if callback in callbacks:
                    callbacks.remove(callback)

        return unsubscribe

    def publish(self, event: object) -> None:
        with self._lock:
            callbacks = [
                cb
                for event_type, cbs in self._subscribers.items()
                if isinstance(event, event_type)
                for cb in cbs
            ]
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # one bad subscriber must not stop the others
                log.exception("event subscriber failed for %s", type(event).__name__)
