"""Lesson runs shared by settings, in the server's worker processes: one run per settings, Stop,
a queue, errors kept in the run, a run shared by sessions ends only when all have gone."""
import os
import time
from dataclasses import dataclass

import pytest

from runtime.jobs import Jobs, jobs_for
from training.runner import Pool


@dataclass
class Out:
    key: tuple
    step: int
    steps: int
    pid: int
    stopped: bool = False


def fn(log: str, a: str, b: int, progress=None, stop=None):
    """A lesson run's shape: settings in, snapshots out, stops when asked. Each call adds a line
    to the file ``log`` (the worker is another process: this is how a test counts runs)."""
    with open(log, "a") as f:
        f.write(f"{a},{b}\n")
    if a == "boom":
        raise ValueError("no such thing")
    for step in range(1, b + 1):
        if stop.is_set():
            return Out((a, b), step - 1, b, os.getpid(), stopped=True)
        time.sleep(0.01)
        progress(Out((a, b), step, b, os.getpid()))
    return Out((a, b), b, b, os.getpid())


def calls(log) -> list[str]:
    return log.read_text().split() if log.exists() else []


@pytest.fixture
def workers():
    pool = Pool(workers=2)
    yield pool
    pool.close()


def wait(job, timeout=60):
    assert job.wait(timeout), job.state


def test_the_same_settings_cost_one_run_in_a_worker(workers, tmp_path):
    log = str(tmp_path / "calls")
    jobs = Jobs(fn, workers=workers)
    first = jobs.start(log, "x", 5)
    assert jobs.start(log, "x", 5) is first and jobs.get(log, "x", 5) is first  # a second press while it trains
    wait(first)
    assert jobs.start(log, "x", 5) is first and calls(tmp_path / "calls") == ["x,5"]  # and after it finished
    assert first.state == "done" and first.latest.key == ("x", 5) and first.progress == 1.0
    assert first.latest.pid != os.getpid()  # trained in a worker process
    assert jobs.get(log, "x", 6) is None


def test_a_stopped_run_is_not_kept(workers, tmp_path):
    log = str(tmp_path / "calls")
    jobs = Jobs(fn, workers=workers)
    job = jobs.start(log, "x", 3000)
    while job.latest is None:
        job.touch()
        time.sleep(0.005)
    job.stop()
    wait(job)
    assert job.state == "stopped" and job.latest.stopped and job.latest.step < 3000
    again = jobs.start(log, "x", 3000)
    assert again is not job
    again.stop()
    wait(again)


def test_stop_in_one_session_never_ends_a_run_another_session_watches(workers, tmp_path):
    """Issue 23: two students open the same settings; one presses Stop. The run goes on for the
    other; it ends on Stop only once no other connected session watches it."""
    log = str(tmp_path / "calls")
    jobs = Jobs(fn, workers=workers)
    connected = {"a": True, "b": True}
    a, b = (lambda: connected["a"]), (lambda: connected["b"])
    job = jobs.start(log, "x", 3000, alive=a)
    assert jobs.start(log, "x", 3000, alive=b) is job  # the second student shares it
    assert not jobs.stop(log, "x", 3000, alive=b)  # b stops watching; a still watches
    time.sleep(0.3)
    assert not job.finished and job.watchers == [a]
    assert not jobs.stop(log, "x", 3000, alive=b)  # pressing again changes nothing
    connected["a"] = False  # a closed the tab
    assert jobs.stop(log, "x", 3000, alive=b)  # no one else watches: Stop stops it
    wait(job)
    assert job.state == "stopped" and job.why_stopped == "stop"
    alone = jobs.start(log, "y", 3000, alive=a)
    assert jobs.stop(log, "y", 3000, alive=a)  # the only watcher's Stop ends the run
    wait(alone)
    assert alone.state == "stopped" and not jobs.stop(log, "y", 3000, alive=a)


def test_runs_queue_for_a_worker_and_errors_stay_in_the_run(tmp_path):
    log = str(tmp_path / "calls")
    pool = Pool(workers=1)
    try:
        jobs = Jobs(fn, workers=pool)
        busy = jobs.start(log, "busy", 3000)
        while busy.state != "running":
            busy.touch()
            time.sleep(0.01)
        queued = jobs.start(log, "y", 3)
        assert queued.state == "queued" and queued.latest is None and queued.place()[0] == 0
        busy.stop()
        wait(queued)
        assert queued.state == "done"
        bad = jobs.start(log, "boom", 1)
        wait(bad)
        assert bad.state == "error" and "no such thing" in bad.error
        assert jobs.start(log, "boom", 1) is not bad  # an error is retried on the next press
    finally:
        pool.close()


def test_only_the_oldest_finished_runs_are_dropped(workers, tmp_path):
    log = str(tmp_path / "calls")
    jobs = Jobs(fn, max_entries=2, workers=workers)
    for b in (1, 2, 3):
        wait(jobs.start(log, "z", b))
    assert jobs.get(log, "z", 1) is None and jobs.get(log, "z", 2) is not None and jobs.get(log, "z", 3) is not None
    training = jobs.start(log, "z", 3000)
    wait(jobs.start(log, "z", 4))
    assert jobs.get(log, "z", 3000) is training  # a run that is training is never dropped
    training.stop()
    wait(training)


@pytest.mark.slow
def test_a_shared_run_goes_on_while_one_of_its_sessions_is_connected(tmp_path):
    log = str(tmp_path / "calls")
    pool = Pool(workers=1, idle_timeout=0.5)
    try:
        jobs = Jobs(fn, workers=pool)
        connected = {"a": False, "b": True}
        job = jobs.start(log, "s", 300, alive=lambda: connected["a"])
        assert jobs.start(log, "s", 300, alive=lambda: connected["b"]) is job  # a second session watches it
        assert job.wait(60, touch=False) and job.state == "done"  # nobody polls it, but b is still connected
        connected["b"] = False
        gone = jobs.start(log, "s", 3000, alive=lambda: connected["b"])
        assert gone.wait(30, touch=False) and gone.state == "stopped" and gone.why_stopped == "idle"
    finally:
        pool.close()


def test_one_jobs_per_function():
    assert jobs_for(fn) is jobs_for(fn) and jobs_for(fn) is not jobs_for(calls)
