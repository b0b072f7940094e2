"""The caps' cost model against real runs: CPU time and peak memory of training runs, each in a
fresh process on one torch thread (as a worker trains), next to ``Config.cost``'s estimate; and
the largest runs the caps allow.

    python -m bench.bench_caps [--write-docs] [--quick]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, machine, write_section

ALL = ("relu", "leaky_relu", "rrelu", "prelu", "elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish",
       "softplus", "relu6", "hardswish", "sigmoid", "tanh")

#: (what it stands for, Config overrides). The first ones calibrate the model; the last are the
#: runs at the caps.
CASES = [
    ("preset: ReLU family on spirals", dict(dataset="spiral", n=1000, noise=0.3, classes=3, depth=3, width=32,
                                            activations=("relu", "leaky_relu", "prelu", "rrelu", "elu", "gelu"),
                                            seeds=3, optimizer="adam", lr=0.01, epochs=400)),
    ("preset: Krizhevsky (conv net)", dict(dataset="digits", model="conv", depth=3, width=8,
                                           activations=("relu", "tanh"), seeds=3, optimizer="momentum", lr=0.01,
                                           epochs=10, batch_size=128)),
    ("tiny nets, many steps (48 models)", dict(dataset="moons", n=5000, depth=8, width=2, activations=ALL, seeds=3,
                                               epochs=3, batch_size=32)),
    ("wide and deep, full batch", dict(dataset="moons", n=2000, depth=6, width=256, activations=("relu",), seeds=1,
                                       epochs=4)),
    ("groups of their own (CReLU, Maxout)", dict(dataset="moons", n=2000, depth=3, width=32,
                                                 activations=("relu", "crelu", "maxout", "relu+crelu+maxout"),
                                                 seeds=3, epochs=100)),
    ("conv net, wide", dict(dataset="digits", model="conv", depth=4, width=16, activations=("relu", "elu"), seeds=2,
                            epochs=1, batch_size=256)),
    ("memory: wide batch of models", dict(dataset="moons", n=5000, depth=4, width=128, activations=("relu", "crelu"),
                                          seeds=4, epochs=1)),
    ("at the time cap: 48 tiny nets, 15,400 steps", dict(dataset="moons", n=5000, depth=8, width=2, activations=ALL,
                                                         seeds=3, epochs=140, batch_size=32)),
    ("at the memory cap: 12 wide deep nets", dict(dataset="moons", n=5000, depth=8, width=128,
                                                  activations=("relu", "crelu"), seeds=6, epochs=1, batch_size=250)),
]

#: Old caps' largest runs (before the time and memory caps), for the record: the issue measured ~90 s and ~2.5 GB.
OLD_LARGEST = [
    ("old caps: 48 tiny nets, 20,000 steps", dict(dataset="moons", n=5000, depth=8, width=2, activations=ALL, seeds=3,
                                                 epochs=181, batch_size=32)),
    ("old caps: 10 wide CReLU nets, one full batch", dict(dataset="moons", n=5000, depth=8, width=256,
                                                          activations=("crelu",), seeds=10, epochs=1)),
]


def probe(kw: dict) -> dict:
    """Train ``Config(**kw)`` here (call in a fresh process): CPU seconds, steps, peak memory."""
    import resource

    import torch

    torch.set_num_threads(1)
    from training.config import Config
    from training.engine import Trainer

    Config.validate = lambda self, data=None: self.cost(data)  # measure runs beyond the caps too
    cfg = Config(**kw)
    trainer = Trainer(cfg)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    c0 = time.process_time()
    r = trainer.run(callback=lambda _: None)
    return dict(cpu=time.process_time() - c0, steps=r.step,
                peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base)


def measure(kw: dict) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_caps", "--probe", json.dumps(kw)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def estimate(kw: dict):
    from training.config import Config

    return Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}).cost()


#: The longest step the caps allow (estimated 0.49 s, the cap 0.5 s), for the Stop latency.
LONGEST_STEP = dict(dataset="moons", n=5000, depth=4, width=64, activations=("relu", "crelu"), seeds=10, epochs=60)


def stop_latency(tries: int = 5) -> list[float]:
    """Seconds from ``Job.stop`` to the run's end as the web process sees it, for runs of the
    longest step the caps allow, each stopped at a random moment after it has started training."""
    import random

    from training.config import Config
    from training.runner import Pool, compare

    cfg = Config(**LONGEST_STEP)
    cfg.validate()
    pool, times = Pool(workers=1), []
    try:
        for _ in range(tries):
            job = pool.submit(compare, cfg, estimate=cfg.cost().seconds)
            while job.latest is None:
                job.touch()
                time.sleep(0.01)
            time.sleep(random.uniform(0, 0.5))
            t0 = time.perf_counter()
            job.stop()
            job.wait(60)
            times.append(time.perf_counter() - t0)
    finally:
        pool.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--old", action="store_true", help="also train the old caps' largest runs (minutes)")
    args = ap.parse_args()
    if args.probe:
        kw = json.loads(args.probe)
        kw["activations"] = tuple(kw["activations"])
        print(json.dumps(probe(kw)))
        return
    from training.config import (
        ACTIVATION_COPIES,
        MACS_PER_SECOND,
        MAX_MEMORY,
        MAX_SECONDS,
        MAX_STEP_SECONDS,
        OP_SECONDS,
        STEP_SECONDS,
        Config,
    )

    rows = []
    for name, kw in CASES + (OLD_LARGEST if args.old else []):
        est, got = estimate(kw), measure(kw)
        allowed = est.seconds <= MAX_SECONDS and est.memory <= MAX_MEMORY and est.step_seconds <= MAX_STEP_SECONDS
        rows.append((name, est, got, allowed))
        print(f"{name}: {got['cpu']:.1f} s CPU (estimate {est.seconds:.1f}), {got['peak'] / 1e6:.0f} MB "
              f"(estimate {est.memory / 1e6:.0f}), {got['steps']} steps, allowed now: {allowed}", flush=True)
    stops = stop_latency()
    print("stop latency:", [round(t, 3) for t in stops], flush=True)
    table = ["| Run | Steps | CPU (one core) | Estimate | Peak memory | Estimate | Allowed now |",
             "|---|---|---|---|---|---|---|"]
    for name, est, got, allowed in rows:
        table.append(f"| {name} | {got['steps']:,} | {got['cpu']:.1f} s | {est.seconds:.1f} s "
                     f"({est.seconds / got['cpu']:.1f}×) | {got['peak'] / 1e6:,.0f} MB | {est.memory / 1e6:,.0f} MB "
                     f"({est.memory / max(got['peak'], 1):.1f}×) | {'yes' if allowed else 'no'} |")
    body = f"""`python -m bench.bench_caps --write-docs{' --old' if args.old else ''}`, measured {time.strftime('%Y-%m-%d')} on {machine()};
each run in a fresh process on one torch thread, as a worker trains it. CPU is the process's CPU time for the
run; peak memory is the growth of the process's peak resident memory during the run (beyond the ~0.2 GB
that torch and the data take before it).

{chr(10).join(table)}

The caps (`training/config.py`): at most {MAX_SECONDS:.0f} s of estimated CPU a run, {MAX_STEP_SECONDS:g} s a step
(Stop acts between steps) and {MAX_MEMORY / 1e9:g} GB; the model's constants: {STEP_SECONDS * 1e6:.0f} µs a step,
{OP_SECONDS * 1e6:.0f} µs per batched operation, {MACS_PER_SECOND / 1e9:g}·10⁹ multiply-adds a second,
{ACTIVATION_COPIES:g} float32 words kept per activation value. An estimate at 1.0× or more is on the safe side.

**Stop**: a run of the longest step the caps allow ({LONGEST_STEP['width']} units × {LONGEST_STEP['depth']} layers,
ReLU and CReLU × {LONGEST_STEP['seeds']} seeds, full batch of 3,500 points: {Config(**LONGEST_STEP).cost().step_seconds:.2f} s a
step estimated), stopped {len(stops)} times at a random moment while it trained: the run had ended, as the web process
sees it, {min(stops):.2f}–{max(stops):.2f} s after `Job.stop` (median {statistics.median(stops):.2f} s). The worker reads
the flag before every step (every mini-batch), so Stop waits for at most the step under way.
"""
    print(body)
    if args.write_docs:
        write_section("Caps", body)


if __name__ == "__main__":
    main()
