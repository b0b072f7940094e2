"""A background run in a page: one way to poll it (``watch``), and the lessons' Train and Stop
(``live_run``).

``watch`` draws a run in a fragment that polls it: every ``QUEUED_POLL`` seconds while it waits in
the queue (a line: its place in line), every ``RUNNING_POLL`` seconds while it trains (the newest
snapshot); each poll tells the server the page still wants the run (``Job.touch``, see
``training.background``), and when the run starts or ends one rerun of the page changes the
polling or draws the result. The training lab and the lessons both use it.

``live_run`` draws the run that ``runtime.jobs`` keeps for a lesson's settings; it trains in one of
the server's worker processes. Settings whose run has finished show their result at once, in every
session: the run is shared and memoised by its settings."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from training.runner import Job

from .jobs import jobs_for
from .runs import place, session_alive

#: Seconds between polls of a run waiting in the queue (its place changes slowly) and of one training
#: (a new snapshot comes about twice as often).
QUEUED_POLL, RUNNING_POLL = 2.0, 1.0


def watch(current: Callable[[], Job | None], draw: Callable[[Job], None]) -> None:
    """Draw the run ``current()`` returns with ``draw(job)`` in a fragment that polls it while it is
    queued or training (see the module's docstring); a finished run is drawn once, not polled."""
    job = current()
    if job is None:
        return
    job.touch()
    state = job.state

    @st.fragment(run_every=None if job.finished else QUEUED_POLL if state == "queued" else RUNNING_POLL)
    def poll():
        job = current()
        if job is None or job.state != state:
            st.rerun()  # once: the page polls at the new state's rate, or draws the result
        job.touch()
        draw(job)

    poll()


def live_run(fn: Callable, key: tuple, draw: Callable[[object, bool], None], name: str,
             about: str = "") -> Job | None:
    """Train/Stop for the run ``fn(*key)`` (a lesson's training function, ``lessons.runs``);
    ``draw(result, final)`` draws a snapshot (``final`` False) or the finished run. ``name``
    prefixes the widgets' keys. ``about`` says what Train does before there is a run. Returns the
    run, if there is one."""
    jobs = jobs_for(fn)
    job = jobs.get(*key)
    left, right = st.columns([1, 5], vertical_alignment="center")
    busy = job is not None and not job.finished
    if left.button("Train", key=f"{name}.train", type="primary", width="stretch",
                   disabled=busy or (job is not None and job.state == "done")):
        job = jobs.start(*key, alive=session_alive())
    if job is None:
        right.caption(about)
        return None
    if not job.finished:
        job.watch(session_alive())  # this session watches the shared run too
        _watch(fn, key, draw, name)
        return job
    r = job.latest
    if job.state == "error":
        right.caption("")
        st.error(f"Training failed: {job.error}. Change a setting or press Train to try again.")
    elif job.state == "stopped":
        right.caption(f"Stopped at step {r.step:,} of {r.steps:,}" if r is not None else "Stopped before it began.")
    else:
        right.caption(f"Trained {r.steps:,} steps in {r.elapsed:.1f} s on the server. The result is kept for "
                      "everybody who opens these settings.")
    if r is not None and getattr(r, "diverged", False):
        st.warning("Training diverged: a loss stopped being a finite number, so the curves below end in gaps. "
                   "Try fewer hidden units, fewer steps or another activation.")
    if r is not None and r.step:
        draw(r, True)
    return job


def _watch(fn: Callable, key: tuple, draw: Callable[[object, bool], None], name: str) -> None:
    def progress(job: Job) -> None:
        if job.finished:  # it ended since live_run looked: the page draws the result
            st.rerun()
        left, right = st.columns([1, 5], vertical_alignment="center")
        left.button("Stop", key=f"{name}.stop", on_click=jobs_for(fn).stop, args=key,
                    kwargs={"alive": session_alive()}, width="stretch")
        r = job.latest
        if job.state == "queued" or r is None:
            right.progress(0.0, text=f"Queued: {place(job)}. Other runs are training on this server; this one "
                           "starts when one ends." if job.state == "queued" else "Starting…")
            return
        right.progress(job.progress, text=f"Training: step {r.step:,} of {r.steps:,} · {r.elapsed:.1f} s")
        draw(r, False)

    watch(lambda: jobs_for(fn).get(*key), progress)
