"""Run the lessons' small torch computations on one thread.

Their matrices are tiny (a few hundred rows), so splitting each operation across threads buys
nothing and costs a synchronisation per operation; on a busy two-core machine a deep-network
probe took 2 s with two threads against 140 ms with one. The setting is process-wide in torch,
so it is set for the duration of one computation and restored afterwards."""
from __future__ import annotations

import contextlib

import torch


@contextlib.contextmanager
def single_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
