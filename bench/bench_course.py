"""How fast the Output activations, Mixture density networks and Maxout and CReLU pages, and the
saturation section of Vanishing gradients, answer a slider, against a bare one-slider Streamlit +
Plotly page measured in the same run.

1. Server side: median time of one slider change as an AppTest rerun of the whole page.
2. Browser: key press → redrawn chart in headless Chromium (median of ``--presses``), the bare
   page measured before and after the course pages.

The MDN's input slider slices a finished run: the benchmark trains the page's default settings
once first (the run is kept server-wide, as for a class), then presses keys. Maxout's K has only
seven values: its presses go right from K = 2, then left from K = 8.

    python -m bench.bench_course [--presses 15] [--write-docs]
"""
from __future__ import annotations

import argparse
import sys
import time

from bench.bench_gallery import apptest_rerun
from bench.bench_lessons import bare_apptest, bare_keypress, keypress, open_app, ratio_table
from bench.common import READY, ROOT, bare_page_server, chromium, machine, server, write_section

# (name, [(path and query, key)], slider label, AppTest page, AppTest query, AppTest values)
CASES = [
    ("Output activations: softmax temperature", [("output_activations", "ArrowRight")], "Temperature T",
     "pages/output_activations.py", {}, [round(1.1 + 0.1 * i, 1) for i in range(15)]),
    ("Output activations: output score z", [("output_activations", "ArrowRight")], "Output score z",
     "pages/output_activations.py", {}, [round(1.1 + 0.1 * i, 1) for i in range(15)]),
    ("Output activations: why the log, score", [("output_activations", "ArrowRight")],
     "Score z of the correct class (the other three: 0)", "pages/output_activations.py", {},
     [-3.5 + 0.5 * i for i in range(15)]),
    ("Mixture density: input x (trained run)", [("mixture_density", "ArrowRight")], "Input x",
     "pages/mixture_density.py", {}, [round(0.51 + 0.01 * i, 2) for i in range(15)]),
    ("Maxout: K", [("maxout_crelu", "ArrowRight"), ("maxout_crelu?k=8", "ArrowLeft")],
     "K, the number of affine pieces", "pages/maxout_crelu.py", {}, [3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2]),
    ("Vanishing: saturation weight scale", [("vanishing_gradients", "ArrowRight")], "Weight scale s = ‖w‖",
     "pages/vanishing_gradients.py", {}, [round(1.1 + 0.1 * i, 1) for i in range(15)]),
]
MDN_DEFAULT = (3, 24, 1000, "tanh", "exp")


def train_mdn_here() -> None:
    """The MDN's default run in this process, for the AppTest reruns."""
    from lessons import mdn
    from runtime.jobs import jobs_for

    jobs_for(mdn.train).start(*MDN_DEFAULT).wait()


def train_mdn_on(browser, url: str) -> None:
    """Press Train on the server's MDN page and wait for the result."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Trained 1,000 steps").wait_for(timeout=300_000)
    page.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--presses", type=int, default=15)
    ap.add_argument("--settle", type=float, default=2, help="seconds each page is left open before the first press")
    ap.add_argument("--write-docs", action="store_true", help="update the Course pages section of docs/benchmarks.md")
    args = ap.parse_args()
    n = min(args.presses, 15)

    train_mdn_here()
    server_side = {name: apptest_rerun(str(ROOT / "app.py"), page, query, label, values[:n])
                   for name, _, label, page, query, values in CASES}
    server_bare = bare_apptest(n)

    browser_times, bare_times = {}, []
    with server() as app_url, bare_page_server() as bare_url, chromium() as browser:
        open_app(browser, app_url)
        train_mdn_on(browser, f"{app_url}/mixture_density")
        bare_times += bare_keypress(browser, bare_url, n)
        for name, runs, label, *_ in CASES:
            per_run = n if len(runs) == 1 else 6  # K: six steps each way
            browser_times[name] = [t for path, key in runs
                                   for t in keypress(browser, f"{app_url}/{path}", label, per_run, key, args.settle)]
        bare_times += bare_keypress(browser, bare_url, n)

    table = ratio_table([c[0] for c in CASES], server_side, browser_times, server_bare, bare_times)
    print(table)
    for name in browser_times:
        ts = browser_times[name]
        print(f"{name}: {len(ts)} presses, min {1000 * min(ts):.0f} ms, max {1000 * max(ts):.0f} ms")
    if args.write_docs:
        write_section("Course pages", f"""
`python -m bench.bench_course --write-docs`, measured {time.strftime('%Y-%m-%d')} on {machine()},
headless Chromium, {n} key presses per slider (maxout's K: 6 each way; medians); the bare page is
measured before and after the course pages in the same run, each page left open {args.settle:g} s first.

{table}

Server times are AppTest reruns of the whole page; in the browser each slider reruns only its own
`st.fragment`. None of these sliders trains: the softmax, likelihood and why-the-log sections compute
with NumPy in well under a millisecond, maxout's fits for every K are computed once per target
(`st.cache_data`) and the slider picks one, the saturation section scales one cached set of
pre-activations, and the MDN's input slider slices a finished run. The live runs themselves (regression,
MDN, PReLU) are started by a button, shared by every session with the same settings (`runtime.jobs`), and
redrawn a few times a second while they train.
""")


if __name__ == "__main__":
    main()
    sys.exit(0)
