"""WS-Discovery by multicast, in a private network namespace (nothing leaves this sandbox)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_multicast_probe_finds_the_emulator_in_a_private_namespace() -> None:
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is part of every Debian system"
    result = subprocess.run([unshare, "-rn", sys.executable, "-m", "tests.support.multicast_probe"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert [model for model, _address in seen["found"]] == ["MC-CAM-1"]
