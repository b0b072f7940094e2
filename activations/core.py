"""The data types behind the registry: a tunable parameter, the property table, a reference
and the activation itself. Pure NumPy; torch is imported only inside `to_torch`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from . import initialisation


@dataclass(frozen=True)
class Param:
    """A tunable parameter: its keyword name, default, slider range and step, a label for the
    widget (may hold LaTeX such as ``α``) and a one-line help text. ``integer`` marks a
    whole-number parameter (Maxout's k), whose slider and link take whole numbers only."""

    name: str
    default: float
    min: float
    max: float
    step: float
    label: str
    help: str = ""
    presets: tuple[tuple[str, float], ...] = ()
    integer: bool = False

    def clip(self, value: float) -> float:
        return float(min(max(value, self.min), self.max))


@dataclass(frozen=True)
class Properties:
    output_range: str
    derivative_range: str
    monotonic: bool | str  # a sentence where yes/no would mislead (softmax)
    smooth: str  # e.g. "C∞ (smooth)", "C⁰: kink at 0"
    zero_centred: str
    dying_risk: str
    saturating: str

    def rows(self) -> list[tuple[str, str]]:
        yes_no = lambda b: b if isinstance(b, str) else "yes" if b else "no"  # noqa: E731
        return [
            ("Output range", self.output_range),
            ("Derivative range", self.derivative_range),
            ("Monotonic", yes_no(self.monotonic)),
            ("Smoothness", self.smooth),
            ("Zero-centred mean", self.zero_centred),
            ("Dying-unit risk", self.dying_risk),
            ("Saturating", self.saturating),
        ]


@dataclass(frozen=True)
class Reference:
    key: str  # "Maas et al., 2013"
    title: str
    venue: str
    url: str = ""

    def markdown(self) -> str:
        title = f"[{self.title}]({self.url})" if self.url else self.title
        return f"{self.key}. {title}. *{self.venue}*."


Array = np.ndarray
Curve = Callable[..., dict]


@dataclass(frozen=True)
class Activation:
    """One activation function, everything the app knows about it.

    ``forward(x, **params)`` and ``derivative(x, **params)`` take and return NumPy arrays and use
    closed-form formulas. Where the function has a kink, the derivative there is the value
    PyTorch's autograd returns (documented per activation in ``kink``). Vector-valued
    activations (``shape != "elementwise"``) document their input and output shapes in
    ``shape`` and return Jacobian blocks from ``derivative``. ``init`` is the weight
    initialisation the activation is usually paired with (``initialisation.usual`` by default).
    """

    slug: str
    name: str
    latex: str
    summary: str
    _forward: Callable[..., Array]
    _derivative: Callable[..., Array]
    _torch: Callable[..., object]
    params: tuple[Param, ...] = ()
    properties: Properties | None = None
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    kink: str = "none: smooth everywhere"
    shape: str = "elementwise"
    notes: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # keywords for the NumPy functions only, e.g. RReLU's training, rng
    torch_options: tuple[str, ...] = ()  # keywords for to_torch only, e.g. PReLU's num_parameters
    _curves: Curve | None = field(default=None, repr=False)
    init: str = ""  # "" → initialisation.usual(slug)

    def __post_init__(self):
        if not self.init:
            object.__setattr__(self, "init", initialisation.usual(self.slug))
        if self.init not in initialisation.SCHEMES:
            raise ValueError(f"{self.slug}: unknown initialisation {self.init!r}")

    def init_scheme(self, choice: str = initialisation.USUAL) -> str:
        """The scheme a network with this activation gets for ``choice`` (one of
        ``initialisation.CHOICES``): its usual one, or the one chosen for all."""
        if choice == initialisation.USUAL:
            return self.init
        if choice not in initialisation.SCHEMES:
            raise ValueError(f"unknown initialisation {choice!r}; choose from {', '.join(initialisation.CHOICES)}")
        return choice

    # -- parameters -------------------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}")

    def resolve(self, params: Mapping[str, object]) -> dict[str, object]:
        """Defaults overlaid with ``params`` (numbers) and ``options`` passed as given; unknown
        names raise ``TypeError``."""
        unknown = set(params) - {p.name for p in self.params} - set(self.options)
        if unknown:
            raise TypeError(f"{self.name} has no parameter(s) {sorted(unknown)}")
        numbers = {k: float(v) for k, v in params.items() if k not in self.options}
        return {**self.defaults, **params, **numbers}

    # -- maths -------------------------------------------------------------------------------
    def forward(self, x, **params) -> Array:
        return self._forward(np.asarray(x, dtype=float), **self.resolve(params))

    def derivative(self, x, **params) -> Array:
        return self._derivative(np.asarray(x, dtype=float), **self.resolve(params))

    def curves(self, x, **params) -> dict[str, tuple[Array, Array]]:
        """1-D views for plotting: ``{label: (f(x), f'(x))}``. One curve for an elementwise
        activation; a documented slice for the vector-valued ones."""
        x = np.asarray(x, dtype=float)
        if self._curves is not None:
            return self._curves(x, **self.resolve(params))
        return {self.name: (self.forward(x, **params), self.derivative(x, **params))}

    def to_torch(self, **params):
        """The equivalent ``torch.nn.Module`` (torch's own module where one exists).
        ``torch_options`` (such as PReLU's ``num_parameters``) go to the module as given."""
        extra = {k: params.pop(k) for k in self.torch_options if k in params}
        numbers = {k: v for k, v in self.resolve(params).items() if k not in self.options}
        return self._torch(**numbers, **extra)

    @property
    def elementwise(self) -> bool:
        return self.shape == "elementwise"
