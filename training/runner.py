"""Background runs for a shared server: one thread per run, at most ``MAX_CONCURRENT`` training
at once server-wide (later ones wait, state "queued"), each with its own stop flag: the training
lab's comparisons (``Run``) and the lessons' live runs (``Background``, through
``runtime.jobs``). Pages poll ``latest``; nothing here knows about Streamlit."""
from __future__ import annotations

import os
import threading
from typing import Callable

import torch

from .config import Config
from .datasets import Dataset
from .engine import Trainer

MAX_CONCURRENT = int(os.environ.get("RELU_LAB_MAX_RUNS", "2"))
SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT)


def configure_threads(n: int | None = None) -> None:
    """Small intra-op thread count for a server whose cores are shared by concurrent runs."""
    torch.set_num_threads(n or int(os.environ.get("RELU_LAB_TORCH_THREADS", "1")))


def threads() -> int:
    """Torch's intra-op thread count in this process."""
    return torch.get_num_threads()


class Background:
    """A training function run in a background thread once one of ``slots`` is free.

    ``fn(progress, stop)`` trains, hands snapshots to ``progress`` and ends cleanly when ``stop``
    (a ``threading.Event``) is set; its result has ``stopped``, and snapshots have ``step`` and
    ``steps``. ``state``: queued → running → done / stopped / error (``error`` holds the message).
    ``latest`` is the newest snapshot, then the result."""

    def __init__(self, fn: Callable, slots: threading.Semaphore = SLOTS, name: str = "relu-lab-training"):
        self._fn, self.slots = fn, slots
        self.state, self.error, self.latest = "queued", None, None
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._work, daemon=True, name=name)
        self.thread.start()

    def _work(self) -> None:
        while not self.slots.acquire(timeout=0.1):
            if self.stop_flag.is_set():
                self.state = "stopped"
                return
        try:
            self.state = "running"
            result = self._fn(self._progress, self.stop_flag)
            self.latest, self.state = result, "stopped" if result.stopped else "done"
        except Exception as e:  # reported to the sessions watching this run; the server and other runs go on
            self.error, self.state = f"{type(e).__name__}: {e}", "error"
        finally:
            self.slots.release()

    def _progress(self, snapshot) -> None:
        self.latest = snapshot

    def stop(self) -> None:
        self.stop_flag.set()

    @property
    def finished(self) -> bool:
        return self.state in ("done", "stopped", "error")

    @property
    def progress(self) -> float:
        r = self.latest
        return 0.0 if r is None else r.step / max(1, r.steps)


class Run(Background):
    """One comparison of the training lab (``Trainer``) in the background; ``latest`` is the newest
    ``Result`` snapshot."""

    def __init__(self, cfg: Config, data: Dataset | None = None, slots: threading.Semaphore = SLOTS):
        cfg.validate(data)  # bad requests fail here, in the caller, with a clear message
        self.cfg, self.data = cfg, data
        super().__init__(lambda progress, stop: Trainer(cfg, data).run(callback=progress, stop=stop), slots)
