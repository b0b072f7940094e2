"""What every piece of background work in the server shares: when nobody watches it any more, and
how it ends when the server exits.

Background work is of two kinds: training runs in ``training.runner``'s worker processes (the
lab's comparisons, the lessons' live runs) and slider values computed ahead on
``runtime.memo``'s threads. (One exception until the step-by-step lab moves into the browser: its
training thread, ``training.lockstep``.)

- Idle: a page that shows a run polls it (``runtime.live.watch``) and each poll touches it; a run
  not touched for ``IDLE_TIMEOUT`` seconds whose session has gone is stopped. The timeout is a few
  of the slowest polls (``runtime.live.QUEUED_POLL``), so a page that still polls is never taken
  for gone. Memo work has no watcher: a value is computed or dropped, never left running idle.
- Exit: one hook, registered here, runs each ``on_exit`` closer once, in the order registered:
  the memo's warm process is killed and its threads drop their queues and wait for what they are
  running here (``runtime.memo``), the pool stops every run and ends its workers
  (``training.runner``). It runs before ``multiprocessing``'s own exit handler, which is
  registered earlier (on import, below) and so runs later."""
from __future__ import annotations

import atexit
import logging
import multiprocessing.util  # noqa: F401  its exit handler (it ends the workers) must run after ours
from typing import Callable

IDLE_TIMEOUT = 10.0  # seconds without a poll after which work whose session has gone is stopped

_closers: list[Callable[[], None]] = []


def on_exit(close: Callable[[], None]) -> Callable[[], None]:
    """Call ``close`` once when the server exits (see the module's docstring); returns it, so it
    can decorate."""
    if close not in _closers:
        _closers.append(close)
    return close


@atexit.register
def _exit() -> None:
    """The server's one exit hook."""
    for close in _closers:
        try:
            close()
        except Exception:  # the others still close
            logging.getLogger("relu_lab").exception("closing %s at exit failed", getattr(close, "__name__", close))
