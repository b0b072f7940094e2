"""Lesson runs shared by settings: one run per settings, Stop, a queue, errors kept in the run."""
import threading
import time
from dataclasses import dataclass

from runtime.jobs import Jobs, jobs_for


@dataclass
class Out:
    key: tuple
    step: int
    steps: int
    stopped: bool = False


def make(calls):
    def fn(a, b, progress=None, stop=None):
        calls.append((a, b))
        if a == "boom":
            raise ValueError("no such thing")
        for step in range(1, b + 1):
            if stop.is_set():
                return Out((a, b), step - 1, b, stopped=True)
            time.sleep(0.01)
            progress(Out((a, b), step, b))
        return Out((a, b), b, b)
    return fn


def wait(job, timeout=30):
    job.thread.join(timeout)
    assert job.finished, job.state


def test_the_same_settings_cost_one_run():
    calls = []
    jobs = Jobs(make(calls), slots=threading.BoundedSemaphore(2))
    first = jobs.start("x", 5)
    assert jobs.start("x", 5) is first and jobs.get("x", 5) is first  # a second press while it trains
    wait(first)
    assert jobs.start("x", 5) is first and calls == [("x", 5)]  # and after it finished
    assert first.state == "done" and first.latest.key == ("x", 5) and first.progress == 1.0
    assert jobs.get("x", 6) is None


def test_a_stopped_run_is_not_kept():
    calls = []
    jobs = Jobs(make(calls), slots=threading.BoundedSemaphore(2))
    job = jobs.start("x", 500)
    while job.latest is None:
        time.sleep(0.005)
    job.stop()
    wait(job)
    assert job.state == "stopped" and job.latest.stopped and job.latest.step < 500
    again = jobs.start("x", 500)
    assert again is not job and len(calls) == 2
    again.stop()
    wait(again)


def test_runs_queue_for_a_slot_and_errors_stay_in_the_run():
    slots = threading.BoundedSemaphore(1)
    slots.acquire()  # the server is busy
    jobs = Jobs(make([]), slots=slots)
    queued = jobs.start("y", 3)
    time.sleep(0.3)
    assert queued.state == "queued" and queued.latest is None
    slots.release()
    wait(queued)
    assert queued.state == "done"
    bad = jobs.start("boom", 1)
    wait(bad)
    assert bad.state == "error" and "no such thing" in bad.error
    assert jobs.start("boom", 1) is not bad  # an error is retried on the next press


def test_only_the_oldest_finished_runs_are_dropped():
    jobs = Jobs(make([]), max_entries=2, slots=threading.BoundedSemaphore(4))
    for b in (1, 2, 3):
        wait(jobs.start("z", b))
    assert jobs.get("z", 1) is None and jobs.get("z", 2) is not None and jobs.get("z", 3) is not None
    training = jobs.start("z", 300)
    wait(jobs.start("z", 4))
    assert jobs.get("z", 300) is training  # a run that is training is never dropped
    training.stop()
    wait(training)


def test_one_jobs_per_function():
    fn = make([])
    assert jobs_for(fn) is jobs_for(fn) and jobs_for(fn) is not jobs_for(make([]))
