"""A memo that can also compute values ahead of time, in the background.

The sliders that recompute (the learning rate that retrains two networks, the depth that probes
five deep ones) take longer than a round trip allows. People move a slider one step at a time,
so while they look at one value the next ones are computed: the next step is then a memo hit.
A value asked for before its background job has started is computed at once by the caller; one
whose job is running is waited for, never computed twice.

Two queues, one worker thread each: ``ahead`` (the values next to the current one, in the
direction the slider moves), computed in this process, and ``warm`` (the rest of the slider's
range, nearest first), computed in one separate process at the lowest scheduling priority
(SCHED_IDLE), so it only uses CPU that requests and other sessions leave idle. (It used to be a
nice-19 thread of the web process: it held the interpreter's lock at that priority, and every
session's reruns waited behind it, 3–7× slower; docs/benchmarks.md, "Classroom load: a mixed
class".) So ``fn`` must pickle: a module-level function, or ``runtime.threads.on_one_torch_thread``
of one; a value whose warm job fails is computed by whoever asks for it. A new request to a queue
drops what that queue had not started yet.

The workers are daemon threads, so a stopping server does not wait for queued work. But a
daemon thread still inside torch when Python finalises is torn down by a forced unwind that
C++ does not allow: the process aborts ("terminate called without an active exception", exit
status 134). So at exit (the server's one exit hook, ``training.background``) every memo drops its
queues and waits for the jobs already running, and the warm process is shut down."""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from training.background import on_exit


class Memo:
    def __init__(self, fn, max_entries: int = 64):
        self._fn, self._max = fn, max_entries
        self._values: OrderedDict[tuple, Future] = OrderedDict()
        self._lock = threading.Condition()
        self._pending: dict[str, list[tuple]] = {"ahead": [], "warm": []}  # queued keys, not started
        self._running, self._closed = 0, False
        _memos.append(self)
        # Daemon threads: a server that is told to stop does not wait for queued work.
        for queue in self._pending:
            threading.Thread(target=self._work, args=(queue,), daemon=True, name=f"lessons-{queue}").start()

    def __call__(self, *key):
        with self._lock:
            for pending in self._pending.values():
                if key in pending:  # queued, not started: compute it here instead
                    pending.remove(key)
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
        self._submit("ahead", keys)

    def warm(self, *keys: tuple) -> None:
        """Like ``ahead``, in the low-priority process: for the rest of a slider's range."""
        self._submit("warm", keys)

    def _submit(self, queue: str, keys) -> None:
        with self._lock:
            if self._closed:
                return
            for key in self._pending[queue]:  # dropped before they started
                self._values.pop(key, None)
            self._pending[queue] = [key for key in dict.fromkeys(keys) if key not in self._values]
            for key in self._pending[queue]:
                self._values[key] = Future()
            self._trim()
            self._lock.notify_all()

    def _work(self, queue: str) -> None:
        while True:
            with self._lock:
                while not self._pending[queue] and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                key = self._pending[queue].pop(0)
                value = self._values.get(key)
                self._running += 1
            try:
                if value is not None and not value.done():  # not dropped from the memo meanwhile
                    self._compute(key, value, elsewhere=queue == "warm")
            finally:
                with self._lock:
                    self._running -= 1
                    self._lock.notify_all()

    def close(self, timeout: float = 10.0) -> None:
        """Drop the queued work, stop the workers and wait (at most ``timeout`` s) for the jobs
        they are running."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._closed = True
            for pending in self._pending.values():
                for key in pending:  # never started: a later call computes it itself
                    self._values.pop(key, None)
                pending.clear()
            self._lock.notify_all()
            while self._running and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())

    def _compute(self, key: tuple, value: Future, elsewhere: bool = False) -> None:
        """Compute ``key`` here, or (``elsewhere``) in the warm process, this thread only waiting,
        without the interpreter's lock. A failure (e.g. the process died, or ``fn`` does not
        pickle) reaches the caller and is not kept: the next call computes it again."""
        try:
            value.set_result(_warm_process().submit(self._fn, *key).result() if elsewhere else self._fn(*key))
        except BaseException as e:
            with self._lock:
                if self._values.get(key) is value:
                    del self._values[key]
            value.set_exception(e)
            if isinstance(e, BrokenProcessPool):
                _reset_warm_process()

    def _trim(self) -> None:
        while len(self._values) > self._max:
            self._values.popitem(last=False)


def _lowest_priority() -> None:
    """The warm process at the lowest priority Linux has: SCHED_IDLE (it runs only when no other
    task wants the CPU) and nice 19 (what is left where SCHED_IDLE is refused). Elsewhere it keeps
    the normal priority."""
    if sys.platform == "linux":
        try:
            os.setpriority(os.PRIO_PROCESS, 0, 19)
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except OSError:
            pass


_memos: list[Memo] = []  # kept alive by their worker threads anyway
_warm: ProcessPoolExecutor | None = None
_warm_lock = threading.Lock()


def _warm_process() -> ProcessPoolExecutor:
    """The one process every memo's warm queue computes in, started on first use. Forkserver, as
    the training workers (``training.runner``): a fork of the threaded web process is unsafe."""
    global _warm
    with _warm_lock:
        if _warm is None:
            _warm = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"),
                                        initializer=_lowest_priority)
        return _warm


def _reset_warm_process() -> None:
    global _warm
    with _warm_lock:
        broken, _warm = _warm, None
    if broken is not None:
        broken.shutdown(wait=False, cancel_futures=True)


@on_exit
def _close_all() -> None:
    for memo in _memos:
        memo.close()
    _reset_warm_process()
