"""The ``commandroom`` command's entry point stays light: reader worker processes import
the starting process's main module at every (re)start (multiprocessing forkserver).

Before, the command ran ``ui.app:main``: each worker imported PySide6 and the whole app
(4.6 s measured under load; a killed worker's tiles came back after 4–7 s instead of
≤ 3 s) and onvif-zeep's ``logging.basicConfig`` made every worker print its log lines a
second time, unredacted, on stderr."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def entry_point() -> tuple[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = project["project"]["gui-scripts"]["commandroom"].split(":")
    return module, function


def test_importing_the_commands_main_module_loads_neither_qt_nor_logging_handlers(
        tmp_path: Path) -> None:
    module, function = entry_point()
    # What pip writes for the entry point, imported as a worker imports it.
    script = tmp_path / "commandroom"
    script.write_text(f"import sys\nfrom {module} import {function}\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n", encoding="utf-8")
    probe = (
        "import logging, runpy, sys\n"
        f"runpy.run_path({str(script)!r}, run_name='__mp_main__')\n"
        "heavy = sorted(m for m in ('PySide6', 'onvif', 'ui.app') if m in sys.modules)\n"
        "print(heavy, len(logging.getLogger().handlers))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.split() == ["[]", "0"], done.stdout


def test_the_light_entry_point_still_runs_the_app() -> None:
    module, function = entry_point()
    done = subprocess.run([sys.executable, "-c",
                           f"import sys; from {module} import {function}; "
                           "sys.argv = ['commandroom', '--help']; sys.exit(main())"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "usage: commandroom" in done.stdout, done.stderr
