"""Sequentially consistent loads and stores of 8-byte words in shared memory.

The shared frame slot (``shm_slot``) synchronises two processes through four words: the
latest frame, the reader's pin mask, and each buffer's begin and end seq. Its protocol
(Dekker: each side stores its word, then loads the other's) needs the store and the load
not to be reordered, and the data written before a commit to be seen by whoever sees the
commit. Python has neither atomics nor memory barriers, so:

* Where libatomic is present (GCC's runtime; Debian ``libatomic1``), every access to those
  words is a call to its ``__atomic_load_8`` / ``__atomic_store_8`` with
  ``__ATOMIC_SEQ_CST``: one total order over all of them, each store a release and each
  load an acquire. That is the C11 guarantee, so the protocol holds on any CPU (ARMv8:
  ``stlr`` / ``ldar``, which are never reordered with each other).
* Without it, on x86 only: plain aligned 8-byte loads and stores (single ``mov``s, atomic
  on x86-64) and, after each store, a full barrier taken from an uncontended mutex (its
  lock-prefixed exchange). x86 (TSO) reorders nothing but a store with a later load, and
  that barrier forbids exactly that; stores stay in order (release for free) and loads too
  (acquire for free). On ARM or POWER this is NOT enough: a mutex's acquire and release
  do not make a full barrier there (a plain store may sink past the acquire, a plain load
  rise above the release, and then the two pass each other), and plain stores of the
  pixels may become visible after the commit word. Hence ``PORTABLE``: readers in worker
  processes are only used where it is True (``worker_pool.reader_processes``).

A call through ctypes costs about a microsecond; a frame takes a handful of them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import threading
from collections.abc import Callable

_SEQ_CST = 5  # __ATOMIC_SEQ_CST
_X86 = platform.machine().lower() in {"x86_64", "amd64", "i386", "i686"}


def _libatomic() -> tuple[Callable[[int], int], Callable[[int, int], None]] | None:
    name = ctypes.util.find_library("atomic") or "libatomic.so.1"
    try:
        # PyDLL, not CDLL: a call keeps the GIL. CDLL would release and retake it on
        # every word, and the GUI thread could then wait a switch interval (5 ms) for it.
        lib = ctypes.PyDLL(name)
        load_8 = lib.__atomic_load_8
        store_8 = lib.__atomic_store_8
    except (OSError, AttributeError):
        return None
    load_8.argtypes = (ctypes.c_void_p, ctypes.c_int)
    load_8.restype = ctypes.c_int64
    store_8.argtypes = (ctypes.c_void_p, ctypes.c_int64, ctypes.c_int)
    store_8.restype = None

    def load(address: int) -> int:
        return int(load_8(address, _SEQ_CST))

    def store(address: int, value: int) -> None:
        store_8(address, value, _SEQ_CST)

    return load, store


_fence_lock = threading.Lock()


def _x86_load(address: int) -> int:
    return ctypes.c_int64.from_address(address).value


def _x86_store(address: int, value: int) -> None:
    ctypes.c_int64.from_address(address).value = value
    _fence_lock.acquire()  # a lock-prefixed exchange: a full barrier on x86
    _fence_lock.release()


_found = _libatomic()
USES_LIBATOMIC = _found is not None
# True when the shared slot's protocol is sound on this machine.
PORTABLE = USES_LIBATOMIC or _X86
load: Callable[[int], int] = _found[0] if _found is not None else _x86_load
store: Callable[[int, int], None] = _found[1] if _found is not None else _x86_store
