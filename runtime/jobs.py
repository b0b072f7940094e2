"""Live training runs shared by every session: one run per settings, memoised.

A lesson's run is a pure function of its settings, ``fn(*key, progress=…, stop=…)`` (see
``lessons.runs``): a module-level function with plain arguments, so it runs in one of the
server's worker processes (``training.runner.pool``, the same bounded pool and queue as the
training lab's comparisons). ``Jobs.start(*key)`` returns the run for those settings: the one
already finished or still training (so a class pressing Train with the same settings costs one
run), or a new one. A run that was stopped or failed is not kept: pressing Train again starts it
afresh. Finished runs are kept for the ``max_entries`` most recent settings.

A shared run belongs to every session that watches it: each one's poll keeps it alive
(``Job.touch``), and it is stopped only when none is left (``training.runner``). Stop likewise:
``Jobs.stop`` ends the run only when no other connected session watches it; otherwise the
session that pressed Stop stops watching and the run goes on for the others.

Nothing here knows about Streamlit (``runtime.live`` draws a run).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from training.runner import Job, Pool, pool

ESTIMATE = 10.0  # seconds a lesson run takes, for the queue's waiting times (they take 2 to 15 s)


class Jobs:
    """The runs of one lesson function, by settings."""

    def __init__(self, fn: Callable, max_entries: int = 16, workers: Pool | None = None, estimate: float = ESTIMATE):
        self._fn, self._max, self._pool, self._estimate = fn, max_entries, workers, estimate
        self._jobs: OrderedDict[tuple, Job] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, *key) -> Job | None:
        """The run for these settings, if one is kept (finished, training or queued)."""
        with self._lock:
            return self._jobs.get(key)

    def start(self, *key, alive: Callable[[], bool] | None = None) -> Job:
        """The kept run for these settings unless it was stopped or failed; else a new one.
        ``alive``: the calling session's check that it is still connected (it watches the run)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.state in ("stopped", "error"):
                job = self._jobs[key] = (self._pool or pool()).submit(self._fn, *key, estimate=self._estimate)
            job.watch(alive)
            job.touch()
            self._jobs.move_to_end(key)
            finished = [k for k, j in self._jobs.items() if j.finished]
            for k in finished[: max(0, len(self._jobs) - self._max)]:  # the oldest finished ones go
                del self._jobs[k]
            return job


    def stop(self, *key, alive: Callable[[], bool] | None = None) -> bool:
        """Stop pressed in the session ``alive`` (None: no server session, as in AppTest): the run
        for these settings ends unless another connected session watches it, in which case this
        session only stops watching. Whether the run was stopped."""
        job = self.get(*key)
        if job is None or job.finished:
            return False
        if alive is not None and alive in job.watchers:
            job.watchers.remove(alive)
        if any(_connected(other) for other in list(job.watchers)):
            return False
        job.stop()
        return True


def _connected(alive: Callable[[], bool]) -> bool:
    try:
        return bool(alive())
    except Exception:  # a session the server no longer knows
        return False


_all: dict[Callable, Jobs] = {}
_all_lock = threading.Lock()


def jobs_for(fn: Callable) -> Jobs:
    """The one ``Jobs`` of ``fn`` in this server process, shared by every session."""
    with _all_lock:
        return _all.setdefault(fn, Jobs(fn))
