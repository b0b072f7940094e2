"""The stacked models: K activations × S seeds as one batched computation.

Models whose parameters have the same shapes (every elementwise activation, and per-layer mixes
of them) are stacked along a leading model axis and run with batched matrix products
(``torch.baddbmm``) or grouped convolutions, so one Python step trains all of them; only the
activation itself is applied slice by slice. CReLU (doubles the width) and Maxout (K pieces)
change the shapes, so their models form groups of their own (``Group``); the trainer loops over
the groups. Models are independent: the loss summed over models has, for each model, its own
loss's gradient, and SGD, momentum and Adam are elementwise, so the batched run equals sequential
runs (tested).

Per seed every activation starts from the same standard-normal draws, scaled by the std of the
chosen initialisation (``activations.initialisation``: each activation's usual scheme, or one for
all, in which case the initial weights are identical).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from activations import get, initialisation

from .config import Config
from .datasets import Dataset


# ------------------------------------------------------------------------------------------
# Activations on a stack of models: the tensor is (models, N, features, ...); features at dim 2
# ------------------------------------------------------------------------------------------
class _Act:
    """One activation for a contiguous slice of a group's models at one layer. Torch's own
    module where there is one; PReLU (a learned slope per model and unit/channel) and RReLU
    (noise drawn from the run's own generator, so runs are reproducible even when two sessions
    train at once; torch's F.rrelu only uses the global generator) are written here."""

    def __init__(self, slug: str, params: dict, n_models: int, width: int, per_unit: bool, device):
        self.slug, self.p, self.slope = slug, params, None
        if slug == "prelu":
            self.slope = torch.full((n_models, width if per_unit else 1), float(params["a"]), device=device,
                                    requires_grad=True)
        elif slug != "rrelu":
            self.module = get(slug).to_torch(**params)
            if hasattr(self.module, "dim"):  # CReLU, Maxout, Softmax: act on the feature axis
                self.module.dim = 2

    def __call__(self, h: torch.Tensor, training: bool, gen: torch.Generator) -> torch.Tensor:
        if self.slope is not None:
            a = self.slope.view(self.slope.shape[0], 1, self.slope.shape[1], *[1] * (h.dim() - 3))
        elif self.slug == "rrelu":  # Xu et al. (2015): slope ~ U(lower, upper) in training, the mean in evaluation
            lo, up = self.p["lower"], self.p["upper"]
            a = torch.empty_like(h).uniform_(lo, up, generator=gen) if training else (lo + up) / 2
        else:
            return self.module(h)
        return torch.where(h >= 0, h, a * h)


def width_after(slug: str, params: dict, width: int) -> tuple[int, int]:
    """(outputs of the linear/conv layer, features after the activation)."""
    if slug == "maxout":
        return width * int(params["k"]), width
    return width, 2 * width if slug == "crelu" else width


class Group:
    """Models with the same parameter shapes, stacked along dim 0: ``members`` is a list of
    (entry index, per-layer slugs); each member contributes ``seeds`` consecutive models."""

    def __init__(self, cfg: Config, members: list, data: Dataset, device):
        self.cfg, self.members, S = cfg, members, cfg.seeds
        self.G = len(members) * S
        self.conv = cfg.model == "conv"
        slugs0 = members[0][1]
        fan_in = 1 if self.conv else data.n_features
        self.weights, self.biases, self.acts = [], [], []
        size = 8  # digits' side
        for l, width in enumerate(cfg.layer_widths()):
            p0 = cfg.act_params(slugs0[l])
            out, nxt = width_after(slugs0[l], p0, width)
            shape = (out, fan_in, 3, 3) if self.conv else (fan_in, out)
            fans = (fan_in * 9, out * 9) if self.conv else (fan_in, out)
            self._add_layer(shape, fans, [s[l] for _, s in members])
            self.acts.append([(slice(i * S, (i + 1) * S), _Act(s[l], cfg.act_params(s[l]), S, out,
                                                                       cfg.prelu_per_unit, device)) for i, (_, s) in enumerate(members)])
            fan_in = nxt
            if self.conv and self._pool_after(l):
                size //= 2
        fan_in = fan_in * size * size if self.conv else fan_in
        # The output layer is scaled as its input's activation asks; with no hidden layer (a linear
        # model, every activation alike) as the softmax it feeds (Xavier, or the one chosen for all).
        self._add_layer((fan_in, data.n_classes), (fan_in, data.n_classes),
                        [s[-1] if s else "softmax" for _, s in members])
        self.weights = [w.to(device).requires_grad_() for w in self.weights]
        self.biases = [b.to(device).requires_grad_() for b in self.biases]

    def _pool_after(self, l: int) -> bool:
        return self.conv and l == 1  # 8×8 → 4×4 after the second conv layer

    def _add_layer(self, shape, fans, slugs_per_member):
        """Weights (G, *shape): for model (member i, seed s), N(0, 1) draws that depend only on
        the seed and the layer, times the member's init std."""
        cfg, S, l = self.cfg, self.cfg.seeds, len(self.weights)
        z = torch.stack([torch.randn(shape, generator=torch.Generator().manual_seed(1_000_003 * (cfg.seed + s) + l))
                         for s in range(S)])
        stds = [initialisation.std(get(slug).init_scheme(cfg.init), *fans) for slug in slugs_per_member]
        self.weights.append(torch.cat([z * std for std in stds]))
        self.biases.append(torch.zeros(self.G, shape[0] if self.conv and len(shape) == 4 else shape[-1]))

    def prelu_slopes(self) -> torch.Tensor:
        """Mean learned PReLU slope per model and layer, (G, layers); NaN where a layer has none."""
        out = torch.full((self.G, len(self.acts)), float("nan"), device=self.weights[0].device)
        for l, layer in enumerate(self.acts):
            for sl, a in layer:
                if a.slope is not None:
                    out[sl, l] = a.slope.detach().mean(1)
        return out

    def parameters(self) -> list[torch.Tensor]:
        slopes = [a.slope for layer in self.acts for _, a in layer if a.slope is not None]
        return self.weights + self.biases + slopes

    def forward(self, x: torch.Tensor, training: bool, gen) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits (G, N, classes) and each hidden layer's output (G, N, features, ...)."""
        h, hidden = x.expand(self.G, *x.shape), []
        for l, (w, b) in enumerate(zip(self.weights[:-1], self.biases[:-1])):
            z = self._conv(h, w, b) if self.conv else torch.baddbmm(b.unsqueeze(1), h, w)
            acts = self.acts[l]
            h = acts[0][1](z, training, gen) if len(acts) == 1 else torch.cat([a(z[sl], training, gen) for sl, a in acts])
            if self._pool_after(l):
                h = F.max_pool2d(h.flatten(0, 1), 2).unflatten(0, h.shape[:2])
            hidden.append(h)
        return torch.baddbmm(self.biases[-1].unsqueeze(1), h.flatten(2), self.weights[-1]), hidden

    def _conv(self, h, w, b):
        """Grouped convolution: model g's channels only see model g's weights."""
        G, N, C, H, W = h.shape
        z = F.conv2d(h.transpose(0, 1).reshape(N, G * C, H, W), w.flatten(0, 1), b.flatten(), padding=1, groups=G)
        return z.view(N, G, -1, H, W).transpose(0, 1)

