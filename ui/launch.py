"""The ``commandroom`` command's entry point, kept light on purpose.

Reader worker processes (commandroom/video/worker_pool.py, multiprocessing's forkserver)
import the main module of the process that started them, at every start and restart.
The console script generated from this entry imports only this module, so a worker
starts in a fraction of a second without PySide6 and without the libraries that
configure logging on import (onvif-zeep calls ``logging.basicConfig``: a worker would
print its lines a second time, unredacted, on stderr). ``ui.app`` is imported when the
command runs.
"""

from __future__ import annotations


def main() -> int:
    from ui.app import main as run_app

    return run_app()
