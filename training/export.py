"""Export a comparison as a standalone PyTorch script (torch + numpy + scikit-learn only).

The script rebuilds the same data, the same models from the same seeded draws, and trains each
model in a plain sequential loop with ``nn.Sequential``; it is also an independent check of the
batched engine (tests/training/test_export.py runs it and compares the final losses)."""
from __future__ import annotations

import inspect

from activations import get, torch_modules

from . import datasets
from .config import Config

TEMPLATE = '''"""ReLU Lab comparison, exported: {entries} × {seeds} seed(s) on {dataset}.

Run: python this_file.py   (needs torch, numpy, scikit-learn)"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

nan, inf = math.nan, math.inf  # any non-finite number below is written as these names
CONFIG = {config!r}
{custom_classes}

# ---- data: same generation, split and standardisation as ReLU Lab ----------------------------
{toy_source}

def load_data():
{load_data}


# ---- models: weights = N(0, 1) draws seeded by (seed, layer) × the init's std -------------------
ACTIVATIONS = {{
{act_code}
}}
INIT = {inits!r}  # per hidden layer of each entry: He, Xavier or LeCun normal


def std(scheme, fan_in, fan_out):
    return {{"he": math.sqrt(2 / fan_in), "xavier": math.sqrt(2 / (fan_in + fan_out)),
            "lecun": math.sqrt(1 / fan_in)}}[scheme]


def draw(shape, seed, layer):
    return torch.randn(shape, generator=torch.Generator().manual_seed(1_000_003 * seed + layer))


def build(entry, seed, n_features, n_classes):
    c, layers, conv = CONFIG, [], CONFIG["model"] == "conv"
    slugs = entry.split("+") * c["depth"] if "+" not in entry else entry.split("+")
    fan_in, size = (1 if conv else n_features), 8
    for l, slug in enumerate(slugs):
        out = c["width"] * (ACTIVATIONS[slug]["k"] if slug == "maxout" else 1)
        nxt = c["width"] * (2 if slug == "crelu" else 1)
        scheme = INIT[entry][l]
        if conv:
            layer = nn.Conv2d(fan_in, out, 3, padding=1)
            layer.weight.data = draw((out, fan_in, 3, 3), seed, l) * std(scheme, fan_in * 9, out * 9)
        else:
            layer = nn.Linear(fan_in, out)
            layer.weight.data = (draw((fan_in, out), seed, l) * std(scheme, fan_in, out)).T.contiguous()
        nn.init.zeros_(layer.bias)
        layers += [layer, ACTIVATIONS[slug]["make"](out)]
        if conv and l == 1:
            layers.append(nn.MaxPool2d(2))
            size //= 2
        fan_in = nxt
    fan_in = fan_in * size * size if conv else fan_in
    head = nn.Linear(fan_in, n_classes)
    head.weight.data = (draw((fan_in, n_classes), seed, len(slugs)) * std(INIT[entry][-1], fan_in, n_classes)).T.contiguous()
    nn.init.zeros_(head.bias)
    return nn.Sequential(*layers, nn.Flatten(), head)


# ---- training: one model at a time ----------------------------------------------------------
def train(model, x, y, xt, yt, seed):
    c = CONFIG
    torch.manual_seed(seed)  # nn.RReLU draws its training slopes from torch's global generator
    opt = {{"sgd": lambda p: torch.optim.SGD(p, lr=c["lr"]),
           "momentum": lambda p: torch.optim.SGD(p, lr=c["lr"], momentum=c["momentum"]),
           "adam": lambda p: torch.optim.Adam(p, lr=c["lr"])}}[c["optimizer"]](model.parameters())
    n = len(y)
    bs = c["batch_size"] if 0 < c["batch_size"] < n else n
    per_epoch = math.ceil(n / bs)
    order_gen = torch.Generator().manual_seed(c["seed"])
    for epoch in range(c["epochs"]):
        perm = torch.randperm(n, generator=order_gen).to(x.device) if per_epoch > 1 else None
        for b in range(per_epoch):
            xb, yb = (x, y) if perm is None else (x[perm[b * bs:(b + 1) * bs]], y[perm[b * bs:(b + 1) * bs]])
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        test_error = (model(xt).argmax(1) != yt).float().mean().item()
    return loss.item(), test_error


if __name__ == "__main__":
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x, y, xt, yt, n_classes = (t.to(device) if torch.is_tensor(t) else t for t in load_data())
    print("activation,seed,final_train_loss,test_error")
    for entry in CONFIG["activations"]:
        for s in range(CONFIG["seeds"]):
            seed = CONFIG["seed"] + s
            model = build(entry, seed, x.shape[1], n_classes).to(device)
            loss, test_error = train(model, x, y, xt, yt, seed)
            print(f"{{entry}},{{seed}},{{loss:.6f}},{{test_error:.4f}}")
'''


def _act_line(cfg: Config, slug: str) -> str:
    p = cfg.act_params(slug)
    if slug == "prelu":  # one learned slope per unit/channel (or one shared)
        make = f"lambda w: nn.PReLU(w, init={p['a']!r})" if cfg.prelu_per_unit else f"lambda w: nn.PReLU(1, init={p['a']!r})"
    else:
        module = get(slug).to_torch(**p)
        prefix = "" if type(module).__module__ == torch_modules.__name__ else "nn."
        make = f"lambda w: {prefix}{module!r}"
    extra = f', "k": {int(p["k"])}' if slug == "maxout" else ""
    return f'    "{slug}": {{"make": {make}{extra}}},'


# The end of load_data() for a generated or shipped set: split and standardise the points read
# into x, y as training.datasets does.
SPLIT = '''    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.int64)
    order = rng.permutation(len(x))
    n_test = max(1, int(round(c["test_fraction"] * len(x))))
    test, train = order[:n_test], order[n_test:]
    axis = None if c["dataset"] == "digits" else 0  # digits: one scale for every pixel
    big = np.abs(x).max(axis=axis)
    x = x / np.where(big > 0, big, 1.0)  # first to at most 1: values near 1e308 would overflow
    mean, std = x[train].mean(axis=axis), x[train].std(axis=axis)
    x = torch.tensor((x - mean) / np.where(std > 0, std, 1.0), dtype=torch.float32)
    if c["model"] == "conv":
        x = x.reshape(-1, 1, 8, 8)
    y = torch.tensor(y)
    return x[train], y[train], x[test], y[test], int(y.max()) + 1'''


def export_script(cfg: Config, data=None) -> str:
    """The source of a script that reproduces comparison ``cfg``. With ``data`` (a student's
    uploaded set) the points are embedded in the script."""
    cfg.validate(data)
    if cfg.widths is not None or cfg.features or cfg.regularization != "none" or (data is not None and data.regression):
        raise ValueError("the exported script covers the Training lab's comparisons: one width for every layer, the "
                         "data's own inputs, no regularisation, classification")
    slugs = sorted({s for e in cfg.activations for s in cfg.layer_acts(e)})
    classes = [cls for cls in ("CReLU", "Maxout", "Swish", "ScaledELU", "TemperedSoftmax")
               if any(type(get(s).to_torch(**cfg.act_params(s))).__name__ == cls for s in slugs if s != "prelu")]
    custom = "\n\n".join(inspect.getsource(getattr(torch_modules, c)) for c in classes)
    toy_source, load_data = _data_source(cfg, data)
    return TEMPLATE.format(
        entries=", ".join(cfg.activations), seeds=cfg.seeds, dataset="uploaded data" if data is not None else cfg.dataset,
        config=_plain(cfg), custom_classes=("\n\n" + custom + "\n") if custom else "", toy_source=toy_source,
        load_data=load_data, act_code="\n".join(_act_line(cfg, s) for s in slugs), inits=_inits(cfg))


def _data_source(cfg: Config, data) -> tuple[str, str]:
    """(helper functions, body of ``load_data()``). A student's upload (``data``) is embedded as
    the standardised points, already split; a toy set is generated by ``datasets._toy``'s own
    source; a real set is read from scikit-learn."""
    if data is not None:
        rows = lambda t: repr([[round(float(v), 7) for v in r] for r in t.cpu().reshape(len(t), -1)])  # noqa: E731
        return "", (f"    xtr, xte = torch.tensor({rows(data.x_train)}), torch.tensor({rows(data.x_test)})\n"
                    f"    return xtr, torch.tensor({data.y_train.tolist()}), xte, torch.tensor({data.y_test.tolist()}), "
                    f"{data.n_classes}")
    if cfg.dataset in datasets.TOY_2D:
        classes = 2 if cfg.dataset in ("moons", "circles", "xor") else cfg.classes
        read = f'    x, y = _toy(c["dataset"], c["n"], float(c["noise"]), rng, {classes})'
        return inspect.getsource(datasets._toy), _read_and_split(read)
    loader = "load_digits" if cfg.dataset == "digits" else "load_breast_cancer"
    read = f"    from sklearn import datasets as skd\n\n    bunch = skd.{loader}()\n    x, y = bunch.data, bunch.target"
    return "", _read_and_split(read)


def _read_and_split(read: str) -> str:
    return f'    c = CONFIG\n    rng = np.random.default_rng(c["data_seed"])\n{read}\n{SPLIT}'


def _plain(cfg: Config) -> dict:
    keys = ("dataset", "n", "noise", "classes", "data_seed", "test_fraction", "model", "depth", "width",
            "activations", "seeds", "seed", "optimizer", "lr", "momentum", "epochs", "batch_size")
    return {k: getattr(cfg, k) for k in keys}


def _inits(cfg: Config) -> dict:
    return {e: [get(s).init_scheme(cfg.init) for s in cfg.layer_acts(e)] for e in cfg.activations}
