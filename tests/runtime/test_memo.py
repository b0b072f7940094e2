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


def test_warm_fills_the_range_on_a_lowest_priority_thread():
    niceness = []

    def value(x):
        niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return x * 10

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # 19 already where the suite runs at nice 19
    memo = Memo(value)
    memo.warm((1,), (2,), (3,))
    deadline = time.monotonic() + 5
    while not memo.ready(3):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert [memo(k) for k in (1, 2, 3)] == [10, 20, 30] and len(niceness) == 3  # hits, nothing computed twice
    if sys.platform == "linux":
        assert niceness == [19, 19, 19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # only the worker was niced


EXIT_WHILE_WARMING = """
import time
import torch
from runtime.memo import Memo

def work(k):
    x = torch.randn(64, 64)
    for _ in range(2000):
        x = torch.tanh(x @ x.T / 64)
    return float(x.sum())

memo = Memo(work)
memo.warm(*[(i,) for i in range(100)])
memo.ahead(*[(i,) for i in range(100, 200)])
time.sleep(0.3)
"""


def test_a_process_exits_cleanly_while_workers_run_torch():
    """A daemon worker torn down inside torch at exit aborts the process (status 134); the memo
    waits at exit for the jobs it is running."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", EXIT_WHILE_WARMING], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_closed_memo_computes_on_demand_and_queues_nothing():
    memo = Memo(lambda x: x + 1)
    memo.warm(*[(i,) for i in range(50)])
    memo.close()
    memo.ahead((100,))
    assert not memo.ready(100)
    assert memo(7) == 8 and memo(100) == 101
