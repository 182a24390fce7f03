"""Installing the project prints no warning, and the wheel holds the app and nothing else.

A newcomer runs scripts/install.sh; a block of setuptools "BuildBackendWarning ... Please be
careful" in its output reads like a failed install. This runs the same pip step on a copy
of the project, into a throw-away virtualenv (pip builds in isolation, so it needs the
package index that the install itself uses).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("pyproject.toml", "README.md", "commandroom", "ui", "resources")


def _copy_project(dest: Path) -> Path:
    dest.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, dest / name)
    # What sits beside the packages in a checkout: it must not end up in the wheel.
    (dest / "tests").mkdir()
    (dest / "tests" / "__init__.py").write_text("")
    return dest


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                           *args], capture_output=True, text=True, timeout=240)


def test_editable_install_prints_no_warning_and_wheel_has_only_the_app(
        tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)  # pip runs from here with --python
    target = env_dir / "bin" / "python"

    done = _pip("--python", str(target), "install", "-q", "--no-deps", "-e", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    output = "\n".join(line for line in (done.stdout + done.stderr).splitlines()
                       # pip's own note about an index folder of this machine, not ours
                       if not line.startswith("WARNING: Location"))
    assert "Warning" not in output and "WARNING" not in output, output
    imported = subprocess.run(
        [str(target), "-c", "import commandroom, ui; print(commandroom.__file__)"],
        capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert Path(imported.strip()).is_relative_to(project)

    built = _pip("wheel", "-q", "--no-deps", str(project), "-w", str(tmp_path / "wheel"))
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "wheel").glob("commandroom-*.whl")
    top = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert top == {"commandroom", "ui", "resources", "commandroom-0.1.0.dist-info"}
