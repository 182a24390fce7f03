"""Child process of the GPU path's worker test: a GL tile fed by a reader in a worker
process (4:2:0 planes through the shared-memory slot) against the CPU path's picture of
the very same decoded frame. Prints what it measured as JSON.

Usage: python -m tests.support.gl_worker_check  (DISPLAY set, QT_QPA_PLATFORM=xcb)
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

import numpy
from PySide6.QtWidgets import QApplication

from commandroom.config import VideoSettings
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.gl_render_check import cpu_render, gl_render, one_tile_grid, psnr, pump_until
from ui.video.render_path import VideoPath

SIZE = (640, 360)  # the demo's own size: no scaling on either path, the same pixels


def worker_frame(hub: StreamHub) -> tuple[Frame, numpy.ndarray]:
    """A planar frame from the worker's shared slot, and the worker's full-resolution
    BGR of that very frame (swscale, as the CPU path converts)."""
    handle = hub.subscribe(StreamSpec("demo://glworker?w=640&h=360&fps=25"), SIZE)
    handle.set_planes(True)  # what a GL grid's tile says
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        frame = handle.slot.latest()
        if frame is not None and frame.planes is not None and frame.seq > 10:
            found = handle.full_resolution(frame.seq)
            if found is not None and found[1].seq == frame.seq:
                return frame, found[0]
        time.sleep(0.02)
    raise AssertionError("no planar frame from the worker")


def main() -> None:
    QApplication(sys.argv[:1])
    settings = dataclasses.replace(VideoSettings(), reader_processes=1)
    hub = StreamHub(settings)
    try:
        assert hub.worker_pool is not None
        frame, bgr = worker_frame(hub)
        assert frame.planes is not None
        in_shared_memory = isinstance(frame.planes[0].base, numpy.ndarray) and \
            frame.planes[0].base is frame.planes[2].base
        gl_grid = one_tile_grid(VideoPath.GL, SIZE)
        cpu_grid = one_tile_grid(VideoPath.CPU, SIZE)
        pump_until(lambda: gl_grid.gl_surface is not None and gl_grid.gl_surface.isValid(), 5)
        gl_worker, _ = gl_render(gl_grid, frame)
        # The same planes as an in-process reader's frame (compact copies, own memory).
        copies = tuple(numpy.ascontiguousarray(p) for p in frame.planes)
        local = Frame(copies[0], frame.seq + 1, frame.capture_time, frame.source_size,
                      frame.codec, planes=(copies[0], copies[1], copies[2]),
                      colour=frame.colour)
        gl_local, _ = gl_render(gl_grid, local)
        bgra = numpy.dstack([bgr, numpy.full(bgr.shape[:2], 255, numpy.uint8)])
        cpu = cpu_render(cpu_grid, Frame(bgra, frame.seq, frame.capture_time,
                                         frame.source_size, frame.codec))
        result = {
            "strides": [p.strides[0] for p in frame.planes],
            "shared": in_shared_memory, "colour": str(frame.colour),
            "gl_shape": gl_worker.shape[:2], "cpu_shape": cpu.shape[:2],
            "std": float(gl_worker.std()),
            "psnr_vs_cpu": psnr(gl_worker, cpu), "psnr_vs_in_process": psnr(gl_worker, gl_local),
        }
        gl_grid.close()
        cpu_grid.close()
        pump_until(lambda: False, 0.1)
    finally:
        hub.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
