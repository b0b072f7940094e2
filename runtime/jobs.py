"""Live training runs shared by every session: one background run per settings, memoised.

A lesson's run is a pure function of its settings, ``fn(*key, progress=…, stop=…)`` (see
``lessons.runs``). ``Jobs.start(*key)`` returns the run for those settings: the one already
finished or still training (so a class pressing Train with the same settings costs one run), or
a new one in a background thread (``training.runner.Background``, which shares the training
lab's server-wide limit on runs training at once; later ones wait, state "queued"). A run that
was stopped or failed is not kept: pressing Train again starts it afresh. Finished runs are kept
for the ``max_entries`` most recent settings.

Nothing here knows about Streamlit (``runtime.live`` draws a run); the function and its
arguments are plain, so the runs can move to a pool of worker processes later.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from training.runner import SLOTS, Background


class Jobs:
    """The runs of one lesson function, by settings."""

    def __init__(self, fn: Callable, max_entries: int = 16, slots: threading.Semaphore = SLOTS):
        self._fn, self._max, self._slots = fn, max_entries, slots
        self._jobs: OrderedDict[tuple, Background] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, *key) -> Background | None:
        """The run for these settings, if one is kept (finished, training or queued)."""
        with self._lock:
            return self._jobs.get(key)

    def start(self, *key) -> Background:
        """The kept run for these settings unless it was stopped or failed; else a new one."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.state in ("stopped", "error"):
                fn = self._fn
                job = self._jobs[key] = Background(lambda progress, stop: fn(*key, progress=progress, stop=stop),
                                                   self._slots, name="relu-lab-lesson-run")
            self._jobs.move_to_end(key)
            finished = [k for k, j in self._jobs.items() if j.finished]
            for k in finished[: max(0, len(self._jobs) - self._max)]:  # the oldest finished ones go
                del self._jobs[k]
            return job


_all: dict[Callable, Jobs] = {}
_all_lock = threading.Lock()


def jobs_for(fn: Callable) -> Jobs:
    """The one ``Jobs`` of ``fn`` in this server process, shared by every session."""
    with _all_lock:
        return _all.setdefault(fn, Jobs(fn))
