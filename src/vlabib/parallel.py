"""Two pieces of pure work on two cores: one here, one in a forked child whose result comes
back through an anonymous file in memory. Only for large work (a fork costs milliseconds),
only on Linux (where fork is sound in a process without threads), and never at the cost of
an answer: if the child fails in any way, its work is done again here, so its error is
raised as it would have been.

>>> both(lambda: 1, lambda: 2)
(1, 2)
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

#: Papers from which a survey's work goes on two cores; below, a fork costs more than it saves.
LARGE = 2000

A = TypeVar("A")
B = TypeVar("B")


def both(here: Callable[[], A], there: Callable[[], B], *, fork: bool = True) -> tuple[A, B]:
    """``(here(), there())``, the two computed at once when *fork* and the platform allow.

    *there* must not print, and what it changes in memory is lost with the child (files it
    writes, a cache entry say, stay).
    """
    if not (fork and _can_fork()):
        return here(), there()
    # The child's answer goes to an anonymous file in memory, not a pipe: it is written
    # whole while this process still works, rather than a pipe's 64 KiB at a time after.
    answer = os.fdopen(os.memfd_create("vlabib-both"), "w+b")
    gc.freeze()  # while both work, the collector here leaves the shared objects alone
    pid = os.fork()
    if pid == 0:  # the child: compute, write, and leave without running any exit handler
        code = 1
        try:
            pickle.dump(there(), answer, protocol=pickle.HIGHEST_PROTOCOL)
            answer.flush()
            code = 0
        finally:
            os._exit(code)
    with answer:
        try:
            first = here()
        except BaseException:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        finally:
            gc.unfreeze()
        _, status = os.waitpid(pid, 0)
        if status == 0:
            answer.seek(0)
            return first, pickle.load(answer)  # our own child's bytes, never outside data
    return first, there()


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "memfd_create") and threading.active_count() == 1
