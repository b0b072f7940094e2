"""How fast the step-by-step lab trains and draws, in one headless Chromium on this machine.

The issue's measure: 6 activations (ReLU, Leaky ReLU, ELU, SELU, tanh, sigmoid) side by side on
TensorFlow Playground's default network (two hidden layers of 4 and 2 units, X₁ and X₂, the
circles, half of the points for training, batches of 10, SGD at 0.03), 500 points (250 train: 25
batches an epoch), opened by its link at 1280 × 720. The networks train in the page
(``runtime/stepwise``); the benchmark reports, over ``--windows`` windows of ``--seconds`` while
playing:

(a) epochs a second and (b) redraws a second of the board, as the page plays them (one epoch and
    one redraw per animation frame, so the screen's refresh rate is the ceiling);
(c) what the browser could do without that ceiling: the milliseconds of one epoch (all six
    networks) and of one redraw, timed in the page, and the rates they allow;
(d) the web server's CPU time over the windows: what one playing student costs the server.

The machine is shared: the load average before and after is printed and recorded with the figures.

    python -m bench.bench_stepwise [--windows 3] [--seconds 10] [--write-docs]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bench.common import READY, chromium, machine, server, write_section

SIX = ("relu", "leaky_relu", "elu", "selu", "tanh", "sigmoid")
QUERY = f"activations={','.join(SIX)}&layers=4,2&n=500"
GOALS = {"epochs": 30.0, "redraws": 20.0}  # a second, with six activations (issue 23)
VIEWPORT = {"width": 1280, "height": 720}
COUNTERS = "() => [window.__stepwise.lab.epoch, window.__stepwise.frames]"
TIMINGS = """(n) => { const b = window.__stepwise; let t = performance.now();
  for (let i = 0; i < n; i++) b.lab.epochOnce();
  const epoch = (performance.now() - t) / n; t = performance.now();
  for (let i = 0; i < n; i++) b.draw();
  return [epoch, (performance.now() - t) / n]; }"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its threads (/proc/pid/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(url: str) -> int:
    """The web server serving ``url``: the process whose command line names its port."""
    port = url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
                return int(entry.name)
    raise RuntimeError(f"no server process for {url}")


def measure(windows: int, seconds: float) -> dict:
    with server() as url, chromium() as browser:
        pid = server_pid(url)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{url}/playground?{QUERY}")
        page.wait_for_selector(READY, timeout=120_000)
        page.wait_for_function("() => window.__stepwise && window.__stepwise.lab", timeout=60_000)
        page.evaluate(TIMINGS, 20)  # warm-up: the JIT compiles the engine
        epoch_ms, draw_ms = page.evaluate(TIMINGS, 50)
        page.get_by_role("button", name="Reset").click()
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(2000)
        rows = []
        for _ in range(windows):
            (e0, f0), c0, t0 = page.evaluate(COUNTERS), cpu_seconds(pid), time.monotonic()
            page.wait_for_timeout(seconds * 1000)
            (e1, f1), c1, t1 = page.evaluate(COUNTERS), cpu_seconds(pid), time.monotonic()
            rows.append({"epochs": (e1 - e0) / (t1 - t0), "redraws": (f1 - f0) / (t1 - t0),
                         "server_cpu": (c1 - c0) / (t1 - t0)})
        page.get_by_role("button", name="Pause").click()
    return {"rows": rows, "epoch_ms": epoch_ms, "draw_ms": draw_ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    load0 = os.getloadavg()
    m = measure(args.windows, args.seconds)
    load1 = os.getloadavg()
    med = {k: statistics.median(r[k] for r in m["rows"]) for k in ("epochs", "redraws", "server_cpu")}
    lo = {k: min(r[k] for r in m["rows"]) for k in med}
    print(f"load average {load0[0]:.1f} → {load1[0]:.1f}")
    for r in m["rows"]:
        print(f"  {r['epochs']:5.1f} epochs/s  {r['redraws']:5.1f} redraws/s  server CPU {100 * r['server_cpu']:.1f} %")
    print(f"one epoch (6 networks) {m['epoch_ms']:.2f} ms, one redraw {m['draw_ms']:.2f} ms")
    if not args.write_docs:
        return
    cores = os.cpu_count() or 1
    shared = ("the machine's cores were shared with other jobs: the figures are a loaded machine's"
              if max(load0[0], load1[0]) > cores / 2 else "nothing else ran on the machine")
    body = f"""`python -m bench.bench_stepwise --write-docs`, measured {time.strftime('%Y-%m-%d')} on {machine()};
headless Chromium at 1280 × 720, the page opened by its link (`/playground?{QUERY}`: 6 activations
on TensorFlow Playground's default network, hidden layers 4 and 2, 250 training points in batches
of 10, 25 steps an epoch). The networks train in the page; {args.windows} windows of
{args.seconds:.0f} s while playing. Load average {load0[0]:.1f} before, {load1[0]:.1f} after
({shared}).

| | median (lowest) | goal |
|---|---|---|
| epochs a second, playing | {med['epochs']:.1f} ({lo['epochs']:.1f}) | ≥ {GOALS['epochs']:.0f} |
| board redraws a second, playing | {med['redraws']:.1f} ({lo['redraws']:.1f}) | ≥ {GOALS['redraws']:.0f} |
| one epoch of all six networks, timed in the page | {m['epoch_ms']:.2f} ms (at most {1000 / m['epoch_ms']:.0f} epochs/s) | |
| one redraw of the board, timed in the page | {m['draw_ms']:.2f} ms (at most {1000 / m['draw_ms']:.0f} redraws/s) | |
| the web server's CPU while the page plays | {100 * med['server_cpu']:.1f} % of a core | |

While playing, the board redraws once per animation frame and trains the epochs that keep it at
60 epochs a second (`SPEED` in `runtime/stepwise/board.js`): one a frame on a 60 Hz screen, more
where frames come slower, as long as a frame keeps time to draw. So a loaded machine trades
redraws for epochs; the in-page timings say what one browser can do at most. The server does
nothing while a page plays: it hears from the page only when the run pauses (the 0.4 % is the
server process over those windows, with no message from the page). Before this design (training in a thread of the web process, measured
2026-11-25 at layers 8, 8 on this machine at load average 6–8): 20.4 epochs/s, 5.2–5.7 redraws/s,
37 % of a server core per playing student, and the one Python interpreter shared by every
student (issue 23's table: eight students together trained no faster than one alone)."""
    write_section("Step-by-step lab", body)


if __name__ == "__main__":
    main()
