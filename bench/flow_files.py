"""How many of our files one flow runs through: a figure for the architecture (issue 14).

    .venv/bin/python bench/flow_files.py

Runs a test that walks a flow with a profiler on every thread and lists the project
files (``commandroom/``, ``ui/``; not ``__init__.py``) whose functions were called.
Cross-cutting files (audit, auth guard, events, database, redaction, config) are counted
apart, so the figure reads as "files a maintainer follows", next to "files that ran".

- one sighting → team → ack: tests/ui/test_alerts_ui.py, from the T key (``start_tag``):
  tag on a live tile, preview, send to both teams' webhooks, delivered, phone
  acknowledgement shown in the panel; not counted: the video threads and the paint path;
- one frame camera → tile: a test that starts the app with demo cameras and waits for
  painted frames: the files of ``commandroom/video`` that ran on a video thread, and the
  GUI's paint path (pump, grid, tile, footer).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOW = "tests/ui/test_alerts_ui.py::test_tag_then_alert_both_teams_panel_and_wall"
BASELINE = "tests/ui/test_console.py::test_demo_console_shows_four_moving_tiles"
CROSS_CUTTING = ("commandroom/audit/", "commandroom/auth/", "commandroom/db/",
                 "commandroom/events.py", "commandroom/redact.py", "commandroom/config.py",
                 "commandroom/logging_setup.py", "commandroom/secrets/", "ui/i18n.py",
                 "ui/theme.py")
PAINT_PATH = ("ui/video/pump.py", "ui/video/grid.py", "ui/video/tile.py", "ui/video/footer.py")

PLUGIN = '''
import json, os, sys, threading
import pytest

ROOT = os.environ["FLOW_ROOT"]
TRIGGER = os.environ.get("FLOW_TRIGGER", "")
BACKGROUND = ("video-", "replay", "recorder", "recording-", "export")
seen = {}
armed = [not TRIGGER]

def _profile(frame, event, arg):
    if event != "call":
        return
    code = frame.f_code
    path = code.co_filename
    if not path.startswith(ROOT) or "/tests/" in path or "/.venv/" in path:
        return
    if not armed[0]:
        if code.co_name == TRIGGER:
            armed[0] = True
        else:
            return
    name = threading.current_thread().name
    kind = "reader" if name.startswith(BACKGROUND) else "other"
    seen.setdefault(path[len(ROOT) + 1:], set()).add(kind)

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    threading.setprofile(_profile)
    sys.setprofile(_profile)
    try:
        yield
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
        with open(os.environ["FLOW_OUT"], "w") as out:
            json.dump({k: sorted(v) for k, v in seen.items()}, out)
'''


def traced(test: str, trigger: str = "") -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        plugin = Path(tmp) / "flow_trace_plugin.py"
        plugin.write_text(PLUGIN)
        out = Path(tmp) / "seen.json"
        env = dict(os.environ, FLOW_ROOT=str(ROOT), FLOW_OUT=str(out), FLOW_TRIGGER=trigger,
                   PYTHONPATH=f"{tmp}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
                   QT_QPA_PLATFORM="offscreen")
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "-p", "flow_trace_plugin", test], cwd=ROOT, env=env, check=True)
        seen: dict[str, list[str]] = json.loads(out.read_text())
        return seen


def project(path: str) -> bool:
    return path.startswith(("commandroom/", "ui/")) and not path.endswith("__init__.py")


def main() -> None:
    base = {p: k for p, k in traced(BASELINE).items() if project(p)}
    frame = sorted(p for p, kinds in base.items()
                   if ("reader" in kinds and p.startswith("commandroom/video/"))
                   or p in PAINT_PATH)
    # From the T key on: every file whose code ran, except on the video threads (the
    # frame path, counted above) and in the paint path of the GUI thread.
    flow = {p: k for p, k in traced(FLOW, trigger="start_tag").items() if project(p)}
    ran = sorted(p for p, kinds in flow.items() if kinds != ["reader"]
                 and not p.startswith("ui/video/"))
    core = [p for p in ran if not p.startswith(CROSS_CUTTING)]
    print(f"one frame camera -> tile: {len(frame)} files "
          "(video-thread files of commandroom/video, and the GUI's paint path)")
    for path in frame:
        print(f"    {path}")
    print(f"one sighting -> team -> ack: {len(ran)} files ran from the T key to the "
          f"acknowledgement shown; {len(core)} without cross-cutting ones (audit, auth, db, "
          "events, config, secrets, redaction, logging)")
    for path in ran:
        print(f"    {path}{'' if path in core else '   (cross-cutting)'}")


if __name__ == "__main__":
    main()
