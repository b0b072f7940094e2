"""The teacher's gallery: every page at 1024 × 768 in presenter mode (the first screen, what a
projector shows before anyone scrolls), saved as PNG in docs/screenshots/ and listed in
docs/screenshots.md.

Run from the repository root: ``python -m bench.screenshots`` (a real server, headless Chromium).
Each PNG is reduced to a 256-colour palette, which keeps it well under 200 KB."""
from __future__ import annotations

import io
import sys

from PIL import Image

from bench.common import READY, ROOT, chromium, server

OUT = ROOT / "docs" / "screenshots"
#: (file name, path and query, what the picture shows)
SHOTS = [
    ("home", "", "Start here"),
    ("course", "course?lesson=dying-relu", "Course: a lesson's first step"),
    ("course-quiz", "course?lesson=dying-relu&step=3", "Course: a quiz"),
    ("gallery", "gallery?act=leaky_relu", "Activation gallery: Leaky ReLU and its derivative"),
    ("gallery-compare", "gallery?view=Compare&cmp=tanh,sigmoid,elu", "Activation gallery: ReLU, tanh, sigmoid and ELU compared"),
    ("gallery-scrub", "gallery?act=elu&view=Scrub", "Activation gallery: scrubbing ELU's α"),
    ("dead-neurons", "dead_neurons", "Dead neurons: the chain rule"),
    ("vanishing-gradients", "vanishing_gradients", "Vanishing gradients"),
    ("output-activations", "output_activations", "Output activations"),
    ("mixture-density", "mixture_density", "Mixture density networks"),
    ("maxout-crelu", "maxout_crelu", "Maxout and CReLU"),
    ("training-lab", "training_lab", "Training lab"),
    ("playground", "playground", "Training lab: step by step"),
    ("references", "references", "References"),
]


def settle(page) -> None:
    """Drawn: the page's title (a fresh session reads "not running" before its first run), the
    script finished, every chart drawn."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=180_000)
    page.wait_for_selector(READY, timeout=180_000)
    page.wait_for_function("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".every(el => el._fullLayout && el.data)", timeout=180_000)
    page.wait_for_timeout(800)
    page.wait_for_selector(READY, timeout=180_000)


def small_png(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    shots = [s for s in SHOTS if not names or s[0] in names]
    with chromium() as browser, server() as url:
        for name, path, _ in shots:
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            sep = "&" if "?" in path else "?"
            page.goto(f"{url}/{path}{sep}present=1")
            settle(page)
            data = small_png(page.screenshot())
            (OUT / f"{name}.png").write_bytes(data)
            print(f"{name}.png {len(data) / 1024:.0f} KB")
            page.close()
    lines = ["# A teacher's gallery: every page on a projector", "",
             "Each page at 1024 × 768 in presenter mode (`present=1` in the link), the first screen as the "
             "class sees it. Made by `python -m bench.screenshots`.", ""]
    for name, path, caption in SHOTS:
        lines += [f"## {caption}", "", f"Link: `/{path}{'&' if '?' in path else '?'}present=1`", "",
                  f"![{caption}](screenshots/{name}.png)", ""]
    (ROOT / "docs" / "screenshots.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
