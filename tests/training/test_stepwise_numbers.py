"""The browser's numbers equal the library's: runtime/stepwise/engine.js, run in headless Chromium,
against the registry (activations/) and against training/engine.py's torch Trainer in float64.

One browser page loads engine.js on its own and answers every question in a few large calls.

Tolerances. Activations: |js − registry| ≤ 1e-13 · max(1, |registry|). Both sides compute in float64
with elementary functions (exp, expm1, log1p, tanh, erf) that are accurate to about one unit in
the last place (2.2e-16 relative) but not identical between V8, glibc, NumPy and SciPy; a formula
chains at most a handful of them, with condition numbers of at most a few tens on this grid, so
agreement is a few hundred ulps at worst; 1e-13 allows that and nothing more (a wrong constant or
branch is off by 1e-4 or more). One epoch: every parameter within 1e-9 (the issue's bound) of
torch's after a whole epoch of batches, the optimiser's state carried through them."""
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from activations import REGISTRY
from training import stack
from training.config import OPTIMIZERS
from training.engine import Trainer
from training.stepwise import ACTIVATIONS, setup
from training.stepwise_setup import NOISE_SALT, Mulberry32, describe, load_data

ENGINE = (Path(__file__).resolve().parents[2] / "runtime" / "stepwise" / "engine.js").read_text()
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def js(browser):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.add_script_tag(content=ENGINE + "\nwindow.E = StepwiseEngine;")
    yield page
    ctx.close()


def grid() -> np.ndarray:
    """Dense over [−12, 12] (every kink of the family at −3, 0, 6 and 20/β on it), plus far tails."""
    x = np.linspace(-12, 12, 9601)
    return np.concatenate([x, [-700.0, -60.0, -30.0, 30.0, 60.0, 700.0, -0.0, 1e-300, -1e-300]])


def settings(slug: str) -> list[dict]:
    """The defaults (what the page trains with) and each parameter at the ends and middle of its range."""
    a = REGISTRY[slug]
    out = [dict(a.defaults)]
    for p in a.params:
        for v in (p.min, (p.min + p.max) / 2, p.max):
            if slug == "rrelu" and not (v if p.name == "lower" else a.defaults["lower"]) <= \
                    (v if p.name == "upper" else a.defaults["upper"]):
                continue
            out.append({**a.defaults, p.name: v})
    return out


def test_every_activation_and_derivative_equals_the_registry(js):
    x = grid()
    cases = [(s, p) for s in ACTIVATIONS if s != "softmax" for p in settings(s)]
    got = js.evaluate("""([cases, x]) => cases.map(([slug, p]) => {
        const a = E.activation(slug, p); return [x.map(a.f), x.map(a.d)]; })""", [cases, x.tolist()])
    assert len(got) == len(cases) > 2 * len(ACTIVATIONS)
    for (slug, p), (f, d) in zip(cases, got):
        a = REGISTRY[slug]
        for name, mine, ref in (("f", f, a.forward(x, **p)), ("f′", d, a.derivative(x, **p))):
            mine = np.array(mine, dtype=float)
            err = np.abs(mine - ref) / np.maximum(1, np.abs(ref))
            assert err.max() <= 1e-13, (slug, p, name, x[err.argmax()], mine[err.argmax()], ref[err.argmax()])


def test_softmax_over_a_layer_equals_the_registry(js):
    rng = np.random.default_rng(0)
    z = rng.normal(scale=5, size=(400, 6))
    v = rng.normal(size=(400, 6))
    for T in (0.1, 1.0, 5.0):
        p_ref = REGISTRY["softmax"].forward(z, temperature=T)
        jvp_ref = np.einsum("rij,ri->rj", REGISTRY["softmax"].derivative(z, temperature=T), v)
        p = js.evaluate("([z, T]) => Array.from(E.softmaxRows(Float64Array.from(z), 400, 6, T, new Float64Array(2400)))",
                        [z.ravel().tolist(), T])
        assert np.abs(np.array(p).reshape(400, 6) - p_ref).max() <= 1e-15
        # the backward pass the engine uses: dz_j = p_j (v_j − Σ v_i p_i) / T, the Jacobianᵀ times v
        jvp = p_ref * (v - (v * p_ref).sum(1, keepdims=True)) / T
        assert np.abs(jvp - jvp_ref).max() <= 1e-13


def test_the_generator_and_the_batch_order_are_the_same_on_both_sides(js):
    for seed in (0, 1, 123_456, 999_999, (7 ^ NOISE_SALT)):
        py = Mulberry32(seed)
        words = [py.next32() for _ in range(50)]
        perm = Mulberry32(seed).permutation(500)
        got = js.evaluate("""(seed) => { const g = E.mulberry32(seed); const w = []; for (let i = 0; i < 50; i++) w.push(g());
            return [w, Array.from(E.permutation(E.mulberry32(seed), 500))]; }""", seed)
        assert got == [words, perm]
    assert sorted(perm) == list(range(500))


def torch_epoch(cfg, t: Trainer) -> None:
    """One epoch in torch as the engine trains it, batches in the shared generator's order, and
    RReLU's training slopes from the shared noise stream (row-major, layer by layer)."""
    data = t.data
    n = len(data.y_train)
    bs = min(cfg.batch_size, n)
    perm = torch.tensor(Mulberry32(cfg.seed).permutation(n)) if math.ceil(n / bs) > 1 else None
    for b in range(math.ceil(n / bs)):
        idx = perm[b * bs:(b + 1) * bs] if perm is not None else torch.arange(n)
        t.backward(data.x_train[idx], data.y_train[idx])
        t.update()


@pytest.fixture
def shared_noise(monkeypatch):
    """RReLU's training slopes from ``Mulberry32(seed ^ NOISE_SALT)``, as engine.js draws them."""
    streams = {}
    plain = stack._Act.__call__

    def call(self, h, training, gen):
        if self.slug != "rrelu" or not training:
            return plain(self, h, training, gen)
        noise = streams["rrelu"]
        lo, up = self.p["lower"], self.p["upper"]
        a = torch.tensor([lo + (up - lo) * noise.uniform() for _ in range(h.numel())], dtype=h.dtype).view_as(h)
        return torch.where(h > 0, h, a * h)

    monkeypatch.setattr(stack._Act, "__call__", call)
    return streams


CASES = [("circles", 2, opt, reg) for opt in OPTIMIZERS for reg in ("none", "l1", "l2")] + \
        [("spiral", 3, "adam", "l2"), ("blobs", 5, "momentum", "l1"), ("plane", 2, "sgd", "l2"), ("gauss", 2, "adam", "l1")]


@pytest.mark.parametrize("dataset, classes, optimizer, reg", CASES)
def test_one_epoch_equals_torch_in_float64(js, shared_noise, dataset, classes, optimizer, reg):
    """Every activation the lab offers, side by side in one lockstep run (beyond the page's cap of
    six), one epoch from the same weights, batches and noise: every parameter within 1e-9."""
    cfg = setup(dataset=dataset, n=120, noise=0.2, data_seed=3, test_fraction=0.5, widths=(3, 2),
                features=("x1", "x2", "x1sq", "x1x2", "sin_x2"), activations=ACTIVATIONS, seed=11,
                optimizer=optimizer, lr=0.1 if optimizer != "adam" else 0.01, batch_size=7,
                regularization=reg, reg_rate=0.03, classes=classes)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        t = Trainer(cfg, load_data(cfg))
        handed = describe(cfg, t)
        shared_noise["rrelu"] = Mulberry32(cfg.seed ^ NOISE_SALT)
        torch_epoch(cfg, t)
    finally:
        torch.set_default_dtype(previous)
    got = js.evaluate("""(s) => { const lab = new E.Lockstep(s); lab.epochOnce();
        return lab.nets.map((n) => ({ W: n.W.map((a) => Array.from(a)), b: n.b.map((a) => Array.from(a)),
                                      slope: n.slope.map((a) => (a ? Array.from(a) : null)) })); }""",
                      {**handed, "lr": cfg.lr, "reg": reg, "reg_rate": cfg.reg_rate})
    g = t.groups[0]
    worst = 0.0
    for k, slug in enumerate(cfg.activations):
        for l in range(len(g.weights)):
            for mine, ref in ((got[k]["W"][l], g.weights[l][k]), (got[k]["b"][l], g.biases[l][k])):
                worst = max(worst, np.abs(np.array(mine) - ref.detach().numpy().ravel()).max())
        for l, layer in enumerate(g.acts):
            slope = layer[k][1].slope
            if slope is not None:
                worst = max(worst, np.abs(np.array(got[k]["slope"][l]) - slope.detach().numpy()[0]).max())
        assert worst <= 1e-9, (slug, worst)
    assert worst > 0 or reg == "l1"  # something was compared (L1 may zero weights on both sides)
    moved = [np.abs(np.array(got[k]["W"][0]) - np.array(handed["weights"][k][0]["w"])).max() for k in range(len(got))]
    assert min(moved) > 1e-6  # and every network trained
