"""The web process's torch work runs on one thread, in whichever thread computes it.

With OpenMP each thread adopts torch's count at its first parallel operation and keeps it, so a
memo's worker thread that first computed with two threads would go on with two if the count were
only set once at start-up. Each case runs in a fresh interpreter (the count is process-wide) and
reads OpenMP's own per-thread figure."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import ctypes, threading, torch
    from runtime.threads import on_one_torch_thread
    gomp = [p for p in open("/proc/self/maps").read().split() if "libgomp" in p]
    omp = ctypes.CDLL(gomp[0]).omp_get_max_threads
    torch.set_num_threads(2)
    seen = {}
    def work(label):
        seen[label] = omp()
    def thread():
        torch.ones(300, 300) @ torch.ones(300, 300)  # this thread's first parallel work: two threads
        work("before")
        WRAP(work)("after")
    t = threading.Thread(target=thread); t.start(); t.join()
    print(seen["before"], seen["after"])
""")


def threads_seen(wrap: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", PROBE.replace("WRAP", wrap)], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def test_a_wrapped_computation_runs_on_one_thread_in_a_thread_that_used_two():
    assert threads_seen("on_one_torch_thread") == (2, 1)


def test_without_the_wrapper_that_thread_keeps_two():
    """The control: what the wrapper changes (a thread keeps the count it started with)."""
    assert threads_seen("(lambda f: f)") == (2, 2)


@pytest.mark.slow
def test_the_lesson_pages_memos_compute_on_one_thread_and_can_warm_in_another_process():
    """The memos the two slow-slider pages build (found through the memo registry) wrap their
    computations so, and the wrapped function pickles: the memo's warm work is sent to another
    process (runtime.memo), which a function of a page's own script could not be."""
    import pickle

    import streamlit as st

    from conftest import open_page
    from runtime import memo
    from runtime.threads import on_one_torch_thread

    st.cache_resource.clear()  # the memos are server-wide resources: have the pages build theirs anew
    for page in ("pages/dead_neurons.py", "pages/vanishing_gradients.py"):
        before = len(memo._memos)
        at = open_page(page, timeout=120)
        assert not at.exception
        built = memo._memos[before:]
        assert built and all(isinstance(m._fn, on_one_torch_thread) for m in built), page
        for m in built:
            assert pickle.loads(pickle.dumps(m._fn)).fn is m._fn.fn, page
