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

Nobody waits for the warm process: on a busy machine a SCHED_IDLE process gets almost no CPU (a
CI run on two busy cores starved it for minutes), so a value asked for while its warm job runs is
computed by the caller too, and whichever finishes first is kept.

The workers are daemon threads, so a stopping server does not wait for queued work. But a
daemon thread still inside torch when Python finalises is torn down by a forced unwind that
C++ does not allow: the process aborts ("terminate called without an active exception", exit
status 134). So at exit (the server's one exit hook, ``training.background``) every memo drops its
queues and waits for the ``ahead`` jobs already running, and the warm process is killed (its
thread here only waits on a pipe, outside torch)."""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, InvalidStateError
from multiprocessing.reduction import ForkingPickler

from training.background import on_exit


class Memo:
    def __init__(self, fn, max_entries: int = 64):
        self._fn, self._max = fn, max_entries
        self._values: OrderedDict[tuple, Future] = OrderedDict()
        self._lock = threading.Condition()
        self._pending: dict[str, list[tuple]] = {"ahead": [], "warm": []}  # queued keys, not started
        self._elsewhere: set[tuple] = set()  # keys whose warm job is running: nobody waits for them
        self._running, self._closed = 0, False  # running: ahead jobs, computing in this process
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
            mine = value is None or (key in self._elsewhere and not value.done())
            if value is None:
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
        elsewhere = queue == "warm"
        while True:
            with self._lock:
                while not self._pending[queue] and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                key = self._pending[queue].pop(0)
                value = self._values.get(key)
                if elsewhere:
                    self._elsewhere.add(key)
                else:
                    self._running += 1
            try:
                if value is not None and not value.done():  # not dropped from the memo meanwhile
                    self._compute(key, value, elsewhere)
            finally:
                with self._lock:
                    if elsewhere:
                        self._elsewhere.discard(key)
                    else:
                        self._running -= 1
                    self._lock.notify_all()

    def close(self, timeout: float = 10.0) -> None:
        """Drop the queued work, stop the workers and wait (at most ``timeout`` s) for the
        ``ahead`` jobs they are running (a warm job runs elsewhere: its thread only waits)."""
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
        """Compute ``key`` here, or (``elsewhere``) in the warm process, this thread only waiting
        on a pipe, without the interpreter's lock. The first result is kept. A failure (e.g. the
        process died, or ``fn`` does not pickle) reaches whoever waits and is not kept: the next
        call computes it again."""
        try:
            result = _warm.compute(self._fn, key) if elsewhere else self._fn(*key)
        except BaseException as e:
            with self._lock:
                if value.done():  # the caller computed it meanwhile
                    return
                if self._values.get(key) is value:
                    del self._values[key]
                value.set_exception(e)
            return
        try:
            value.set_result(result)
        except InvalidStateError:  # the other one finished first
            pass

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


def _serve(jobs) -> None:
    """The warm process: ``(fn, key)`` in, ``(True, fn(*key))`` or ``(False, error)`` out."""
    _lowest_priority()
    while True:
        try:
            fn, key = jobs.recv()
        except (EOFError, OSError):  # the web process has gone
            return
        try:
            jobs.send((True, fn(*key)))
        except Exception as e:
            jobs.send((False, RuntimeError(f"{type(e).__name__}: {e}")))  # e itself may not pickle


class _WarmProcess:
    """The one process every memo's warm queue computes in, one job at a time, started on first
    use. Forkserver, as the training workers (``training.runner``): a fork of the threaded web
    process is unsafe. A daemon: ``multiprocessing`` ends it at exit, if ``kill`` has not."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process = self._pipe = None

    def compute(self, fn, key: tuple):
        job = ForkingPickler.dumps((fn, key))  # first: a function that does not pickle starts nothing
        with self._lock:
            if self._process is None or not self._process.is_alive():
                context = multiprocessing.get_context("forkserver")
                self._pipe, theirs = context.Pipe()
                self._process = context.Process(target=_serve, args=(theirs,), daemon=True, name="memo-warm")
                self._process.start()
                theirs.close()
            try:
                self._pipe.send_bytes(job)
                ok, result = self._pipe.recv()
            except (EOFError, OSError) as e:  # killed, or died
                self._process = None
                raise RuntimeError("the warm process ended") from e
        if not ok:
            raise result
        return result

    def kill(self) -> None:
        process = self._process
        if process is not None and process.is_alive():
            process.kill()  # its job's result is not needed: whoever asks computes it


_memos: list[Memo] = []  # kept alive by their worker threads anyway
_warm = _WarmProcess()


@on_exit
def _close_all() -> None:
    _warm.kill()
    for memo in _memos:
        memo.close()
