"""Training runs for a shared server, outside the web server's process.

A ``Pool`` holds ``RELU_LAB_MAX_RUNS`` worker processes (the standard library's
``multiprocessing.Pool`` on a ``forkserver`` context: each worker is forked from a clean server
process that has imported torch but started no threads, so torch is safe, and a new worker takes
tens of milliseconds). Each worker trains one run at a time on ``THREADS`` torch threads, at a lower
scheduling priority than the web process, and is replaced after each run (``maxtasksperchild=1``),
so a large run's memory goes back to the system. Runs wait in the pool's queue in the order they
were submitted; ``Pool.place`` says how many are ahead and about how long until a run starts.

The web process sends a training function and its plain arguments (a ``Config``, a student's
parsed upload) and receives messages on one queue: "running", each progress snapshot, then the
result or the error. A reader thread files them into the run's ``Job``; a page polls ``latest``.

A run ends when:
- it finishes, fails, or is stopped: ``Job.stop`` sets the run's flag in shared memory, which the
  training loop reads before every step (and a queued run never starts);
- its client has gone: the page calls ``Job.touch`` on every poll, and a run not touched for
  ``training.background.IDLE_TIMEOUT`` seconds whose session is no longer alive (``alive``, where
  the server knows) is stopped the same way, queued or running;
- it reaches the hard caps of ``training.config`` (CPU time, memory), which the worker enforces
  whatever the estimate said;
- the server exits: every run is stopped and the workers end (``close``, by the server's one exit
  hook, ``training.background``).

Nothing here knows about Streamlit."""
from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import pickle
import queue
import resource
import signal
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from multiprocessing.sharedctypes import RawArray
from typing import Callable

from .background import IDLE_TIMEOUT, on_exit
from .config import HARD_MEMORY, HARD_SECONDS, Config, Cost
from .datasets import Dataset

MAX_CONCURRENT = int(os.environ.get("RELU_LAB_MAX_RUNS", "2"))  # worker processes: runs training at once
THREADS = int(os.environ.get("RELU_LAB_TORCH_THREADS", "1"))  # torch threads per worker
WORKER_NICE = 10  # workers yield the CPU to the web process, which answers the pages
MAX_QUEUE = 500  # runs waiting at most; beyond that Train is refused for a while
_RING = 4096  # cancel flags, by job id modulo _RING (more than MAX_QUEUE + workers)
FINISHED = ("done", "stopped", "error")
WHY = {"stop": "Stop was pressed", "idle": "its client has gone", "time": "it reached the hard cap of CPU time",
       "exit": "the server is shutting down"}
#: Imported once by the fork server, so that each worker starts with them: the engine, the toy data
#: sets' scikit-learn, and torch's compiler, which the optimisers import on first use (4 s here).
PRELOAD = ["training.engine", "training.runner", "sklearn.datasets", "torch._dynamo"]


def threads() -> int:
    """Torch's intra-op thread count in each worker."""
    return THREADS


def _logger() -> logging.Logger:
    """The server's log of runs: how long each waited and trained, and why one did not end
    normally (a line on standard error each)."""
    log = logging.getLogger("relu_lab.runs")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


# -- Starting workers ---------------------------------------------------------------------------
# A new process of a spawn or forkserver context first re-imports the parent's main script as
# __mp_main__. In a Streamlit server that is the app script (Streamlit installs each script it runs
# as __main__), so app.py keeps everything under ``if __name__ == "__main__":`` (Python's "safe
# importing of the main module"): a worker imports nothing of the app and starts at once. Any other
# script that trains through this pool (a test's AppTest script) guards its body the same way: a
# worker that cannot re-import the main script dies before its first run.


# -- In the worker process ----------------------------------------------------------------------
_outbox = None  # the queue to the web process
_cancel = None  # shared int64[_RING]: _cancel[id % _RING] == id means "stop job id"


def _init_worker(outbox, cancel, n_threads: int, memory: int) -> None:
    global _outbox, _cancel
    _outbox, _cancel = outbox, cancel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server: the web process ends the runs
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass
    if memory:  # a hard cap on what one run can allocate, above what the worker holds already
        used = _data_bytes()
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = used + memory
        if hard == resource.RLIM_INFINITY or cap < hard:
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    import torch

    torch.set_num_threads(n_threads)


def _data_bytes() -> int:
    """The process's data segment (VmData), what RLIMIT_DATA limits."""
    try:
        with open(f"/proc/{os.getpid()}/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmData:"))
    except (OSError, StopIteration):
        return 0


class _Flag:
    """A job's stop flag as the training loop sees it (``is_set()``): set by the web process, or
    when the run has used the hard cap of CPU time."""

    def __init__(self, jid: int, cpu_limit: float):
        self.jid, self.deadline, self.timed_out = jid, time.process_time() + cpu_limit, False

    def is_set(self) -> bool:
        if _cancel[self.jid % _RING] == self.jid:
            return True
        if time.process_time() > self.deadline:
            self.timed_out = True
            return True
        return False


def _work(jid: int, task: bytes, cpu_limit: float) -> None:
    """Run one job. ``task`` is the pickled (function, arguments): unpickled here, so that a
    function this process cannot import fails the job with its message instead of the worker."""
    flag = _Flag(jid, cpu_limit)
    if flag.is_set():  # stopped while it waited: never starts
        _outbox.put((jid, "skipped", None))
        return
    _outbox.put((jid, "running", os.getpid()))
    try:
        fn, args = pickle.loads(task)
        result = fn(*args, progress=lambda snapshot: _outbox.put((jid, "snapshot", snapshot)), stop=flag)
        _outbox.put((jid, "done", (result, flag.timed_out)))
    except MemoryError:
        _outbox.put((jid, "error", f"the run needed more memory than the server allows one run "
                                   f"({HARD_MEMORY / 1e9:.1f} GB)"))
    except Exception as e:  # reported to the run's session; the server and other runs go on
        message = f"{type(e).__name__}: {e}"
        if "can't allocate memory" in message or "DefaultCPUAllocator" in message:
            message = f"the run needed more memory than the server allows one run ({HARD_MEMORY / 1e9:.1f} GB)"
        _outbox.put((jid, "error", message))


def compare(cfg: Config, data: Dataset | None = None, cost: Cost | None = None, progress=None, stop=None):
    """The training lab's comparison (``Trainer``), as a worker runs it: ``data`` is the student's
    parsed upload, if any; ``cost``, ``cfg.validate(data)``'s value where the caller validated it (else
    the trainer validates). The result leaves the worker without the models."""
    from .engine import Trainer

    sent = [None]

    def send(r):
        """Snapshots without the models; the decision boundary only when it is new (the page keeps
        the last one); the final result goes back as the return value."""
        if r.done:
            return
        fresh, sent[0] = r.grid_probs is not sent[0], r.grid_probs
        progress(r.portable() if fresh else replace(r, trainer=None, grid_probs=None))

    return Trainer(cfg, data, cost).run(callback=None if progress is None else send, stop=stop).portable()


# -- In the web process -------------------------------------------------------------------------
class Job:
    """One run as the web process sees it. ``state``: queued → running → done / stopped / error
    (``error`` holds the message). ``latest`` is the newest snapshot, then the result;
    ``version`` counts them, so a page redraws only when it has changed."""

    def __init__(self, pool: "Pool", jid: int, estimate: float, alive: Callable[[], bool] | None):
        self.pool, self.id, self.estimate = pool, jid, estimate
        self.watchers: list[Callable[[], bool]] = []  # each watching session's "still connected?"
        self.watch(alive)
        self.state, self.error, self.latest, self.version = "queued", None, None, 0
        self.why_stopped = ""  # "", "stop", "idle" (its client left), "time" (the hard cap), "exit"
        self.submitted = self.last_seen = time.monotonic()
        self.started = self.ended = None
        self.pid = None
        self._worker_gone = False  # its worker process was seen dead once

    def touch(self) -> None:
        """The client is still there (a page polled)."""
        self.last_seen = time.monotonic()

    def watch(self, alive: Callable[[], bool] | None) -> None:
        """One more session watches this run (a shared lesson run): it goes on while any of them
        is connected."""
        if alive is not None and alive not in self.watchers:
            self.watchers.append(alive)

    def wait(self, timeout: float | None = None, touch: bool = True) -> bool:
        """Block until the run has ended (or ``timeout`` s), as its client (``touch``) or not;
        whether it has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.finished:
            if deadline is not None and time.monotonic() > deadline:
                return False
            if touch:
                self.touch()
            time.sleep(0.02)
        return True

    def stop(self, why: str = "stop") -> None:
        self.pool._stop(self, why)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def progress(self) -> float:
        r = self.latest
        return 0.0 if r is None else r.step / max(1, r.steps)

    @property
    def elapsed(self) -> float:
        """Seconds since the run started (0 while queued)."""
        if self.started is None:
            return 0.0
        return (self.ended or time.monotonic()) - self.started

    def place(self) -> tuple[int, float]:
        """(runs ahead of this one in the queue, seconds until it starts, estimated)."""
        return self.pool.place(self)


class QueueFull(RuntimeError):
    pass


class Pool:
    """A bounded pool of worker processes fed by one queue (see the module's docstring)."""

    def __init__(self, workers: int = MAX_CONCURRENT, idle_timeout: float = IDLE_TIMEOUT,
                 n_threads: int = THREADS, cpu_limit: float = HARD_SECONDS, memory: int = HARD_MEMORY,
                 ):
        self.workers, self.idle_timeout, self.cpu_limit = workers, idle_timeout, cpu_limit
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        self._cancel = RawArray("q", _RING)
        for i in range(_RING):
            self._cancel[i] = -1
        self._inbox = mp.get_context("forkserver").Queue()
        self._pool = ctx.Pool(workers, initializer=_init_worker, maxtasksperchild=1,
                              initargs=(self._inbox, self._cancel, n_threads, memory))
        self._jobs: OrderedDict[int, Job] = OrderedDict()  # not yet finished, in submission order
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._closed = False
        self.speed = 1.0  # measured: a run's wall time ÷ its estimate on this server (a running mean)
        self._measured = 0  # runs it has seen
        self._reader = threading.Thread(target=self._read, daemon=True, name="relu-lab-runs")
        self._reader.start()

    def submit(self, fn: Callable, *args, estimate: float = 10.0, alive: Callable[[], bool] | None = None) -> Job:
        """Queue ``fn(*args, progress=…, stop=…)`` (a module-level function, plain arguments:
        anything else fails here, when pickled). ``estimate``: its seconds on one core, for the
        queue's waiting times."""
        task = pickle.dumps((fn, args))
        with self._lock:
            if self._closed:
                raise RuntimeError("the server is shutting down")
            if sum(j.state == "queued" for j in self._jobs.values()) >= MAX_QUEUE:
                raise QueueFull(f"{MAX_QUEUE} runs are waiting on this server; try again in a minute")
            job = Job(self, next(self._ids), estimate, alive)
            self._jobs[job.id] = job
        self._pool.apply_async(_work, (job.id, task, self.cpu_limit),
                               error_callback=lambda e, job=job: self._file(job.id, "error", f"{type(e).__name__}: {e}"))
        return job

    def place(self, job: Job) -> tuple[int, float]:
        """How many runs are ahead of ``job`` in the queue and about how many seconds until a
        worker takes it: each worker's running run ends at its estimate (at least a second from
        now), then the runs ahead go, in order, to the worker free first."""
        now = time.monotonic()
        with self._lock:
            jobs = list(self._jobs.values())
        if job.state != "queued":
            return 0, 0.0
        free = sorted(max(1.0, j.estimate * self.speed - (now - j.started)) for j in jobs if j.state == "running")
        free = (free + [0.0] * self.workers)[: self.workers]
        ahead = 0
        for j in jobs:
            if j is job:
                break
            if j.state == "queued":
                ahead += 1
                free.sort()
                free[0] += j.estimate * self.speed
        return ahead, min(free)

    def running(self) -> int:
        with self._lock:
            return sum(j.state == "running" for j in self._jobs.values())

    def queued(self) -> int:
        with self._lock:
            return sum(j.state == "queued" for j in self._jobs.values())

    def _stop(self, job: Job, why: str) -> None:
        with self._lock:
            if job.finished:
                return
            self._cancel[job.id % _RING] = job.id
            job.why_stopped = job.why_stopped or why
            if why != "stop":
                _logger().info("run %d stopped %s: %s", job.id, "while it trained" if job.state == "running"
                               else "before it started", WHY[why])
            if job.state == "queued":  # it never starts: its worker skips it
                self._end(job, "stopped")

    def _end(self, job: Job, state: str) -> None:
        """Under the lock."""
        job.state, job.ended = state, time.monotonic()
        self._jobs.pop(job.id, None)

    def _file(self, jid: int, kind: str, payload) -> None:
        """A worker's message into its job."""
        with self._lock:
            job = self._jobs.get(jid)
            if job is None:  # finished already (stopped while queued), or skipped
                return
            if kind == "running":
                job.state, job.pid, job.started = "running", payload, time.monotonic()
            elif kind == "snapshot":
                job.latest, job.version = payload, job.version + 1
            elif kind == "done":
                result, timed_out = payload
                job.latest, job.version = result, job.version + 1
                if timed_out:
                    job.why_stopped = "time"
                    _logger().info("run %d stopped while it trained: %s", job.id, WHY["time"])
                if job.started is not None and job.estimate > 0 and not result.stopped:
                    ratio = min(max((time.monotonic() - job.started) / job.estimate, 0.1), 100.0)
                    self.speed = ratio if self._measured == 0 else 0.5 * self.speed + 0.5 * ratio
                    self._measured += 1
                self._end(job, "stopped" if result.stopped else "done")
                if job.started is not None:
                    _logger().info("run %d %s: %.1f s in the queue, %.1f s training", job.id, job.state,
                                   job.started - job.submitted, job.ended - job.started)
            elif kind == "error":
                job.error = payload
                _logger().info("run %d failed: %s", job.id, payload)
                self._end(job, "error")
            elif kind == "skipped":
                self._end(job, "stopped")

    def _read(self) -> None:
        """Files the workers' messages; once a second, stops the runs whose clients have gone
        and fails those whose worker died."""
        last_check = time.monotonic()
        while True:
            try:
                message = self._inbox.get(timeout=1.0)
            except queue.Empty:
                message = None
            except (EOFError, OSError):
                return
            if message is not None:
                if message[0] is None:  # close()
                    return
                self._file(*message)
            if time.monotonic() - last_check >= 1.0:
                last_check = time.monotonic()
                self._check()

    def _check(self) -> None:
        now = time.monotonic()
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if now - job.last_seen > self.idle_timeout and not _alive(job):
                job.stop("idle")
            elif job.state == "running" and job.pid is not None and not _pid_alive(job.pid):
                # its worker died (killed for memory, or crashed); a message sent just before may
                # still be on its way, so decide on the next check
                if job._worker_gone:
                    with self._lock:
                        if not job.finished:
                            job.error = "the worker training this run ended unexpectedly (out of memory?)"
                            _logger().info("run %d failed: %s", job.id, job.error)
                            self._end(job, "error")
                job._worker_gone = True

    def close(self, timeout: float = 5.0) -> None:
        """Stop every run, give the workers ``timeout`` seconds to finish their step, then end them."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            jobs = list(self._jobs.values())
        for job in jobs:
            job.stop("exit")
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        self._pool.terminate()
        self._pool.join()
        try:
            self._inbox.put((None, "close", None))
        except (OSError, ValueError):
            pass
        self._reader.join(2.0)


def _alive(job: Job) -> bool:
    """Whether any session watching the run is still connected."""
    for alive in list(job.watchers):
        try:
            if alive():
                return True
        except Exception:
            pass
    return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """The server's one pool, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
        return _pool


def start() -> None:
    """Start the pool in the background if it is not running (a page that may train calls this
    when it loads, so the first Train does not wait for the workers to start)."""
    if _pool is None:
        threading.Thread(target=pool, daemon=True, name="relu-lab-pool-start").start()


def train_in_background(cfg: Config, cost: Cost, data: Dataset | None = None,
                        alive: Callable[[], bool] | None = None) -> Job:
    """Queue the comparison ``cfg``, validated by the caller where the request came in (``cost`` is
    ``cfg.validate(data)``'s value: a bad request fails with a clear message before it queues, and is
    not validated again). ``data``: the student's upload, parsed once by the caller."""
    return pool().submit(compare, cfg, data, cost, estimate=cost.seconds, alive=alive)


@on_exit
def _close_pool() -> None:
    if _pool is not None:
        _pool.close()

