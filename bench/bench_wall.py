"""Issue 18's painted targets, on the app's own grids and pump (bench/painted_wall.py).

Prints figures and a verdict line, asserts nothing. Run from the repo root, under X for
the real thing (offscreen works for a quick look, without GL):

    xvfb-run -a -s "-screen 0 3840x1080x24" .venv/bin/python -m bench.bench_wall \\
        --platform xcb --mode console-wall --runs 5 --seconds 300

Modes (each one command; --path gl and --processes N apply to all):
  grid25        25 tiles (5x5 on 1920x1080): every tile's PAINTED fps and the GUI lag p99,
                per run, then "every tile >= 24 fps and lag p99 <= 30 ms in K runs in a row"
  console-wall  a console of 9 (3x3) and a wall of 16 (4x4), two 1920x1080 windows side by
                side (a 3840x1080 screen), 25 different cameras, one pump: the same figures
  grid64        64 tiles (8x8): the app's lowest painted fps against the lowest fps of 64
                `ffmpeg -f null` decoders run right after in the same run (target >= 0.9x)
  open          16 tiles opened at once: time until every tile has PAINTED its first frame
                (and until every slot had one), target <= 2 s
  g2g           glass-to-glass from the painted frame on a 640x360 console tile reading the
                /barcode mount while the wall paints 16 live tiles beside it (<= 60 ms median)
  memory        16 painted tiles for --minutes: memory of the app's process tree (PSS sum,
                so shared-memory slots count once) per stream and its growth in MB/min

This module is the command's entry and imports nothing heavy on purpose (as ui/launch.py
does for the app): multiprocessing's forkserver imports the main module of the process
that starts the reader workers into every worker. With the whole benchmark here (PySide6,
the test server, the benches it borrows from), each worker carried 1,098 modules instead
of the app's 365, and the memory mode measured the benchmark, not the app.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from bench.wall_targets import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
