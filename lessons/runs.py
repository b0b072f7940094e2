"""What the lessons' live training runs share: a small MLP built from the registry's torch
modules with seeded weights, and a loop that reports progress and honours a stop flag.

A run is a pure function of its settings (the same settings give the same numbers), takes a
``progress`` callback (given a snapshot of the run a few times a second) and a ``stop`` flag
(anything with ``is_set()``, such as a ``threading.Event``), and returns its result: so a server
can memoise runs by their settings and run them wherever it likes."""
from __future__ import annotations

import time
from typing import Callable

import torch
from torch import nn

from activations import REGISTRY, initialisation

SNAPSHOT_EVERY = 0.2  # seconds between progress snapshots


def mlp(act: str, sizes: list[int], seed: int = 0, params: dict | None = None,
        act_module: Callable[[int], nn.Module] | None = None) -> nn.Sequential:
    """Linear layers of ``sizes`` (input, hidden…, output) with the activation ``act`` after every
    hidden layer and a linear output. Weights are drawn from N(0, std²) with the activation's usual
    initialisation (He, Xavier/Glorot or LeCun normal; ``activations.initialisation``), the output
    layer's with Xavier/Glorot, from a generator seeded with ``seed``; biases start at 0.
    ``act_module(width)`` replaces the registry's module (PReLU's slopes)."""
    g = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = nn.Linear(n_in, n_out)
        scheme = REGISTRY[act].init if i < len(sizes) - 2 else "xavier"
        with torch.no_grad():
            linear.weight.normal_(0.0, initialisation.std(scheme, n_in, n_out), generator=g)
            linear.bias.zero_()
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(act_module(n_out) if act_module else REGISTRY[act].to_torch(**(params or {})))
    return nn.Sequential(*layers)


def loop(steps: int, step: Callable[[int], None], snapshot: Callable[[int, float], object],
         progress: Callable[[object], None] | None = None, stop=None) -> tuple[int, bool, float]:
    """Call ``step(i)`` for i = 0 … steps − 1; at most every ``SNAPSHOT_EVERY`` seconds hand
    ``progress`` the ``snapshot(steps done, seconds)``. Returns (steps done, stopped, seconds)."""
    t0 = last = time.perf_counter()
    done = 0
    for i in range(steps):
        if stop is not None and stop.is_set():
            return done, True, time.perf_counter() - t0
        step(i)
        done = i + 1
        now = time.perf_counter()
        if progress is not None and now - last >= SNAPSHOT_EVERY and done < steps:
            progress(snapshot(done, now - t0))
            last = time.perf_counter()
    return done, False, time.perf_counter() - t0
