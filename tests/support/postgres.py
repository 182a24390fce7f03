"""A throw-away PostgreSQL cluster on 127.0.0.1 for the portability tests.

Debian's ``postgresql`` package provides the server binaries; the cluster lives in a
temporary folder and listens on a free port of 127.0.0.1 only (and a socket in that
folder). PostgreSQL refuses to run as root: when the tests run as root (CI), the cluster
runs as Debian's ``postgres`` user instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.receivers import LOOPBACK, free_port

DATABASE = "commandroom"


def server_bin() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a SQLAlchemy URL (psycopg 3) for an empty database, then removes it all."""
    bin_dir = server_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (scripts/install.sh --test installs it)")
    root = Path(tempfile.mkdtemp(prefix="cr-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(_as_server_user([
            str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale"]), **run)
        subprocess.run(_as_server_user([
            str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(root / "log"),
            "-o", f"-h {LOOPBACK} -p {port} -k {root} -F", "start"]), **run)
        try:
            subprocess.run(_as_server_user([
                str(bin_dir / "createdb"), "-h", LOOPBACK, "-p", str(port), "-U", "postgres",
                DATABASE]), **run)
            yield f"postgresql+psycopg://postgres@{LOOPBACK}:{port}/{DATABASE}"
        finally:
            subprocess.run(_as_server_user([
                str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-m", "fast", "stop"]),
                check=False, capture_output=True, timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
