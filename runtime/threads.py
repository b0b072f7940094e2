"""The web process's own torch work runs on one thread.

A few pages compute with torch inside the web process: the dead-neuron lesson's retraining and
the vanishing-gradient probes (behind ``runtime.slow_slider``) and the step-by-step lab. Their
matrices are tiny (a few hundred rows), so splitting each operation across threads buys nothing
and costs a synchronisation per operation; on a busy two-core machine a deep-network probe took
2 s with two threads against 140 ms with one. Training runs are not here: they train in
``training.runner``'s worker processes, which set their own count.

Torch's count is process-wide, but with OpenMP each thread adopts it at its first parallel
operation and keeps it, so it is set again in the thread that computes (a cheap call), not only
once at start-up."""
from __future__ import annotations

from typing import Callable


def one_torch_thread() -> None:
    """Torch on one thread, in the calling thread and in every thread that starts torch work later."""
    import torch

    torch.set_num_threads(1)


class on_one_torch_thread:  # noqa: N801  (used as a decorator: a function's name)
    """``fn``, computing with torch on one thread in whichever thread calls it. An object, not a
    closure, so that it pickles (by ``fn``'s name) for ``runtime.memo``'s low-priority process."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        one_torch_thread()
        return self.fn(*args, **kwargs)
