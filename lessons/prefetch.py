"""A memo that can also compute values ahead of time, on one background thread.

The sliders that recompute (the learning rate that retrains two networks, the depth that probes
five deep ones) take longer than a round trip allows. People move a slider one step at a time,
so while they look at one value the next ones are computed: the next step is then a memo hit.
A value asked for before its background job has started is computed at once by the caller; one
whose job is running is waited for, never computed twice."""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor


class Memo:
    def __init__(self, fn, max_entries: int = 64):
        self._fn, self._max = fn, max_entries
        self._values: OrderedDict[tuple, Future] = OrderedDict()
        self._jobs: dict[tuple, Future] = {}  # background jobs, by key
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lessons-prefetch")

    def __call__(self, *key):
        with self._lock:
            job = self._jobs.pop(key, None)
            if job is not None and job.cancel():  # queued, not started: compute it here instead
                self._values.pop(key, None)
            value = self._values.get(key)
            mine = value is None
            if mine:
                value = self._values[key] = Future()
            self._values.move_to_end(key)
            self._trim()
        if mine:
            self._compute(key, value)
        return value.result()

    def ready(self, *key) -> bool:
        value = self._values.get(key)
        return value is not None and value.done()

    def ahead(self, *keys: tuple) -> None:
        """Compute ``keys`` in the background, in order, after dropping earlier requests that
        have not started yet (the slider has moved on)."""
        with self._lock:
            for key, job in list(self._jobs.items()):
                if job.cancel():
                    self._values.pop(key, None)
                if job.done():  # finished or cancelled
                    del self._jobs[key]
            for key in keys:
                if key not in self._values:
                    value = self._values[key] = Future()
                    self._jobs[key] = self._pool.submit(self._compute, key, value)
            self._trim()

    def _compute(self, key: tuple, value: Future) -> None:
        try:
            value.set_result(self._fn(*key))
        except BaseException as e:  # the caller sees it; the next call tries again
            with self._lock:
                if self._values.get(key) is value:
                    del self._values[key]
            value.set_exception(e)

    def _trim(self) -> None:
        while len(self._values) > self._max:
            self._values.popitem(last=False)
