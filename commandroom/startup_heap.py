"""Keep the objects a process made while starting out of the garbage collector's full passes.

CPython's cyclic collector stops every thread of the process while it walks the objects
of the generation it collects; a full (generation 2) pass walks all of them. Most of
them are made while the process starts (modules, classes, functions, the console's
widgets and models) and live until it ends, so walking them again finds nothing.

Measured on this 2-core machine (issue 18): the console after login tracks ~262,000
objects and a full pass took 193-205 ms on the GUI thread, five frame intervals in
which no tile paints. A reader worker in the console + wall benchmark took 144-186 ms
per full pass with all its streams stopped; the frames they then decoded in a burst
replaced each other in the latest-frame-wins slots before the GUI could paint them.
After ``gc.freeze()`` the worker's full passes took 18-22 ms.

``gc.freeze`` (Python 3.7+) moves every tracked object to a permanent generation that
no pass walks; objects made later are collected as before. What was already garbage
is collected first, so freezing keeps nothing alive that was not. The price: a frozen
object that later becomes garbage only through a reference cycle stays; reference
counting still frees the rest. Call it where what exists will live as long as the
process (its modules, the console), not before short-lived work.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect what startup left over, then freeze the rest; the number now frozen.

    Call it once a process has built what it keeps for its whole life, before its
    steady work starts (the GUI's event loop, a worker's first stream)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
