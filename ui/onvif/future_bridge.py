"""Hands ``concurrent.futures.Future`` results to the GUI thread (never a wait on it).

The ONVIF core answers with Futures completed on its own loop thread. The done-callback
only emits a signal; the bridge lives in the GUI thread, so Qt queues the call there.
A bridge that has been shut (its widget closed) drops late answers instead of touching
dead widgets.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import PermissionDenied
from commandroom.onvif import OnvifError
from ui import bridge
from ui.common import notices

log = logging.getLogger(__name__)
T = TypeVar("T")


def error_text(exc: BaseException) -> str:
    """The sentence the officer sees, translated from the core's notice; anything else is
    not shown raw (it might be a traceback-ish repr), it is logged."""
    if isinstance(exc, OnvifError | PermissionDenied):
        return notices.error_text(exc)
    log.warning("unexpected failure behind an ONVIF future: %s", type(exc).__name__)
    return QCoreApplication.translate(
        "FutureBridge", "The request failed unexpectedly (%1).").replace(
            "%1", type(exc).__name__)


class FutureBridge(bridge.FutureBridge):
    """The shared bridge, with failures turned into the sentence the officer sees."""

    def call(self, future: concurrent.futures.Future[T],  # type: ignore[override]
             on_ok: Callable[[T], Any] | None = None,
             on_error: Callable[[str], Any] | None = None) -> concurrent.futures.Future[T]:
        def failed(exc: BaseException) -> None:
            if on_error is not None:
                on_error(error_text(exc))

        return super().call(future, on_ok, failed)
