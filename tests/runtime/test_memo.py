"""The prefetching memo: values computed once, ahead of time or on demand, never twice."""
import os
import subprocess
import sys
import threading
import time

import pytest

from runtime.memo import Memo

#: Niceness, and a process that must exit while its threads compute: not beside a build or a class load.
pytestmark = pytest.mark.xdist_group("serial")


def test_computes_once_and_ahead():
    calls = []

    def square(x):
        calls.append(x)
        time.sleep(0.05)
        return x * x

    memo = Memo(square)
    assert memo(3) == 9 and memo(3) == 9 and calls == [3]
    memo.ahead((4,), (5,))
    assert memo(4) == 16  # running or queued: waited for or taken over, not computed twice
    assert memo(5) == 25
    time.sleep(0.1)
    assert sorted(calls) == [3, 4, 5]
    assert memo.ready(5) and not memo.ready(6)


def test_newer_requests_replace_queued_ones():
    started = threading.Event()
    release = threading.Event()
    calls = []

    def slow(x):
        calls.append(x)
        if x == 0:
            started.set()
            release.wait(5)
        return x

    memo = Memo(slow)
    memo.ahead((0,), (1,))  # 0 runs and blocks, 1 waits in the queue
    started.wait(5)
    memo.ahead((2,))  # the slider moved on: 1 is dropped
    release.set()
    assert memo(2) == 2
    time.sleep(0.05)
    assert 1 not in calls and not memo.ready(1)


def test_errors_reach_the_caller_and_are_not_kept():
    memo = Memo(lambda x: 1 / x)
    with pytest.raises(ZeroDivisionError):
        memo(0)
    with pytest.raises(ZeroDivisionError):
        memo(0)
    assert memo(2) == 0.5


def test_oldest_entries_are_dropped():
    memo = Memo(lambda x: x, max_entries=2)
    for x in range(4):
        memo(x)
    assert not memo.ready(0) and memo.ready(3)


def where_and_how_nice(x):
    """A value with the process that computed it and that thread's niceness (module-level: it pickles)."""
    return x * 10, os.getpid(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), os.sched_getscheduler(0)


def test_warm_fills_the_range_in_an_idle_priority_process():
    """Outside this process, so the warm work never holds this interpreter's lock."""
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # 19 already where the suite runs at nice 19
    memo = Memo(where_and_how_nice)
    memo.warm((1,), (2,), (3,))
    deadline = time.monotonic() + 300  # SCHED_IDLE: on cores kept busy (a CI run at -n 4) it waited over 60 s
    while not memo.ready(3):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    values = [memo(k) for k in (1, 2, 3)]
    assert [v[0] for v in values] == [10, 20, 30]
    assert {v[1] for v in values} != {os.getpid()} and len({v[1] for v in values}) == 1  # one other process
    if sys.platform == "linux":
        assert [v[2:] for v in values] == [(19, os.SCHED_IDLE)] * 3
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # this process was not niced


def test_a_warm_value_that_cannot_be_computed_elsewhere_is_computed_by_the_caller():
    """A function that does not pickle (a closure): its warm jobs fail, and asking computes it here."""
    memo = Memo(lambda x: (x, os.getpid()))
    memo.warm((1,))
    deadline = time.monotonic() + 60
    while (1,) in memo._values and time.monotonic() < deadline:  # the failed job leaves the memo
        time.sleep(0.01)
    assert memo(1) == (1, os.getpid())


def held_where_warm(x, caller, started, release):
    """Elsewhere than in ``caller`` (the warm process), it starts and then waits for ``release``."""
    if os.getpid() != caller:
        open(started, "w").close()
        deadline = time.monotonic() + 60
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.01)
    return x, os.getpid()


def test_nobody_waits_for_the_warm_process(tmp_path):
    """A SCHED_IDLE process gets next to no CPU on busy cores: a value asked for while its warm job
    runs is computed by the caller, and the warm job's later result does not replace it."""
    started, release = str(tmp_path / "started"), str(tmp_path / "release")
    key = (1, os.getpid(), started, release)
    memo = Memo(held_where_warm)
    memo.warm(key)
    deadline = time.monotonic() + 300  # SCHED_IDLE on busy cores (see above)
    while not os.path.exists(started):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    try:
        assert memo(*key) == (1, os.getpid())  # computed here: waiting would have got the warm pid
    finally:
        open(release, "w").close()
    time.sleep(0.5)
    assert memo(*key) == (1, os.getpid())


EXIT_WHILE_WARMING = """
import time
import torch
from runtime.memo import Memo

def work(k):
    x = torch.randn(64, 64)
    for _ in range(2000):
        x = torch.tanh(x @ x.T / 64)
    return float(x.sum())

if __name__ == "__main__":  # the warm process imports this script again (as __mp_main__)
    memo = Memo(work)
    memo.warm(*[(i,) for i in range(100)])
    memo.ahead(*[(i,) for i in range(100, 200)])
    time.sleep(3)  # the warm process has started and computes
"""


def test_a_process_exits_cleanly_while_workers_run_torch(tmp_path):
    """A daemon worker torn down inside torch at exit aborts the process (status 134); the memo
    waits at exit for the ahead jobs it is running, and kills the warm process."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = tmp_path / "warming.py"
    script.write_text(EXIT_WHILE_WARMING)
    done = subprocess.run([sys.executable, str(script)], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": root})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]


def plus_one(x):
    return x + 1


def test_closed_memo_computes_on_demand_and_queues_nothing():
    memo = Memo(plus_one)
    memo.warm(*[(i,) for i in range(50)])
    memo.close()
    memo.ahead((100,))
    assert not memo.ready(100)
    assert memo(7) == 8 and memo(100) == 101
