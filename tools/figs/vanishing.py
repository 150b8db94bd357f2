"""Figure of the vanishing-gradients page: |δ| per layer under two initialisations.

The network, the batch and the seeds are those of the page (six `Linear(64, 64)` layers,
each followed by the activation, half squared error on a seeded batch of 32), and the
gradients come from `nnref.numpy`'s hand-written backward passes, so the bars show the
numbers that the page prints.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import nnref.numpy as nn_np

WIDTH, DEPTH, BATCH = 64, 6, 32
#: Default range: white bars hatched in vermillion; scaled: solid blue (Okabe–Ito colours).
#: Position, fill and hatching tell them apart in greyscale as well as in colour.
DEFAULT = {"facecolor": "white", "edgecolor": "#D55E00", "hatch": "////", "linewidth": 1.2}
SCALED = {"facecolor": "#0072B2", "edgecolor": "#00456b", "linewidth": 1.2}
#: The words of the figure, one dict per language (terms as in docs/glossary.zh.md); the
#: panel titles and the names Xavier and He are the same in both. No mathtext in them: it
#: would replace each Chinese character by a dummy glyph.
LABELS = {
    "en": {"default": "default range", "x": "layer"},
    "zh": {"default": "默认范围", "x": "层"},
}


def _xavier(weight: nn_np.Parameter, seed: int) -> None:
    nn_np.xavier_uniform_(weight, seed=seed)


def _xavier_tanh(weight: nn_np.Parameter, seed: int) -> None:
    nn_np.xavier_uniform_(weight, nn_np.calculate_gain("tanh"), seed=seed)


def _he(weight: nn_np.Parameter, seed: int) -> None:
    nn_np.kaiming_uniform_(weight, nonlinearity="relu", seed=seed)


#: (panel title, activation layer, initialisation that replaces the default, its name)
CASES = (
    ("sigmoid", nn_np.Sigmoid, _xavier, "Xavier"),
    ("tanh", nn_np.Tanh, _xavier_tanh, "Xavier"),
    ("ReLU", nn_np.ReLU, _he, "He"),
)


def delta_norms(activation, init=None) -> np.ndarray:
    """|δ| of each Linear layer, the first layer first, as `gradient_norms` on the page."""
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(BATCH, WIDTH))
    targets = rng.uniform(size=(BATCH, WIDTH))
    layers = []
    for k in range(DEPTH):
        linear = nn_np.Linear(WIDTH, WIDTH, seed=k)
        if init is not None:
            init(linear.weight, seed=k)
        layers += [linear, activation()]
    net = nn_np.Sequential(*layers)
    grad = nn_np.half_squared_error_grad(net(inputs), targets)
    norms = []
    for layer in reversed(net.layers):
        if isinstance(layer, nn_np.Linear):
            norms.append(np.linalg.norm(grad))
        grad = layer.backward(grad)
    return np.array(norms[::-1])


def draw_norms(fig: Figure, lang: str = "en") -> None:
    """One panel per activation: bars of |δ| for layers 1 to 6, default range and scaled."""
    labels = LABELS[lang]
    fig.set_layout_engine("constrained")
    axes = fig.subplots(1, len(CASES), sharey=True)
    layers = np.arange(1, DEPTH + 1)
    for ax, (title, activation, init, name) in zip(axes, CASES, strict=True):
        ax.bar(
            layers - 0.2,
            delta_norms(activation),
            width=0.4,
            label=labels["default"],
            **DEFAULT,
        )
        ax.bar(layers + 0.2, delta_norms(activation, init), width=0.4, label=name, **SCALED)
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xticks(layers)
        ax.set_xlabel(labels["x"])
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", frameon=False, fontsize=9)
    axes[0].set_ylabel(r"$\|\delta^{l}\|$")
    axes[0].set_ylim(1e-4, 1e3)


draw_norms.size = (8.0, 3.2)

FIGURES = {"vanishing-gradients": draw_norms}
