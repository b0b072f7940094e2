"""The training lab's CUDA path, end to end: the same comparison submitted to the worker pool
(``training.runner``) as the page submits it, once on the CPU and once on CUDA.

For each device: the wall time from submit to result (queue, a fresh worker, data, training,
metrics), the device the result says it ran on, and the final training losses; then how far the
two devices' curves differ (same data and initial weights, only the kernels differ).

    python -m bench.bench_device [--epochs 300] [--width 64] [--seeds 5]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from bench.common import machine
from training import runner
from training.config import Config


def run(pool: runner.Pool, cfg: Config) -> tuple[float, object]:
    t = time.perf_counter()
    cost = cfg.validate(None)
    job = pool.submit(runner.compare, cfg, None, estimate=cost.seconds)
    if not job.wait(timeout=600):
        raise SystemExit(f"no result within 600 s ({job.state})")
    if job.state != "done":
        raise SystemExit(f"run ended {job.state}: {job.error}")
    return time.perf_counter() - t, job.latest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    print(machine())
    print(f"torch {torch.__version__}; CUDA: {torch.cuda.is_available()}"
          + (f" ({torch.cuda.get_device_name(0)})" if torch.cuda.is_available() else ""))
    cfg = dict(dataset="moons", n=1000, activations=("relu", "leaky_relu", "elu", "selu", "tanh", "prelu"),
               seeds=args.seeds, depth=3, width=args.width, epochs=args.epochs, optimizer="adam", lr=0.01)
    pool = runner.Pool(workers=1)
    try:
        results = {}
        for device in ("cpu", "cuda") if torch.cuda.is_available() else ("cpu",):
            run(pool, Config(device=device, **dict(cfg, epochs=5)))  # warm-up: the worker's imports, CUDA's start
            wall, r = run(pool, Config(device=device, **cfg))
            results[device] = r
            print(f"{device}: {wall:.2f} s submit → result; result.device = {r.device}; "
                  f"models {r.loss.shape[1]}; final training loss min/median/max "
                  f"{np.min(r.loss[-1]):.4f} / {np.median(r.loss[-1]):.4f} / {np.max(r.loss[-1]):.4f}")
        if len(results) == 2:
            a, b = results["cpu"].loss, results["cuda"].loss
            print(f"CPU vs CUDA: largest relative difference of the logged losses {np.max(np.abs(a - b) / np.abs(a)):.2e} "
                  f"(first point {np.max(np.abs(a[0] - b[0]) / np.abs(a[0])):.2e})")
    finally:
        pool.close()


if __name__ == "__main__":
    main()
