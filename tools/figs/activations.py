"""Figures of the activations page: each function next to its derivative.

Every curve is computed with `nnref.numpy`, the hand-derived twin, so the figures show
exactly what the page's code prints.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnref.numpy import (
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_grad,
)

FUNCTION = {"color": "#364fc7", "lw": 2.0}
DERIVATIVE = {"color": "#e8590c", "lw": 2.0, "linestyle": "--"}


def _axes(fig: Figure, xlim: tuple[float, float], ylim: tuple[float, float]):
    ax = fig.subplots()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axhline(0.0, color="#adb5bd", lw=0.8, zorder=1)
    ax.axvline(0.0, color="#adb5bd", lw=0.8, zorder=1)
    ax.set_xlabel("$x$")
    return ax


def draw_sigmoid(fig: Figure) -> None:
    """σ(x) in (0, 1) and σ'(x), which peaks at 0.25 at x = 0."""
    x = np.linspace(-7.0, 7.0, 561)
    ax = _axes(fig, (-7.0, 7.0), (-0.05, 1.08))
    ax.plot(x, sigmoid(x), label=r"$\sigma(x)$", **FUNCTION)
    ax.plot(x, sigmoid_grad(x), label=r"$\sigma'(x)$", **DERIVATIVE)
    peak = float(sigmoid_grad(0.0))
    ax.plot([0.0], [peak], "o", color=DERIVATIVE["color"], zorder=4)
    ax.annotate(f"{peak:.2f}", (0.0, peak), xytext=(10, 6), textcoords="offset points")
    for level in (0.0, 1.0):
        ax.axhline(level, color="#868e96", lw=0.8, linestyle=":", zorder=1)
    ax.legend(loc="upper left", frameon=False)


def draw_tanh(fig: Figure) -> None:
    """tanh(x) in (−1, 1) and tanh'(x), which peaks at 1 at x = 0."""
    x = np.linspace(-4.0, 4.0, 481)
    ax = _axes(fig, (-4.0, 4.0), (-1.15, 1.15))
    ax.plot(x, tanh(x), label=r"$\tanh(x)$", **FUNCTION)
    ax.plot(x, tanh_grad(x), label=r"$\tanh'(x)$", **DERIVATIVE)
    ax.plot([0.0], [float(tanh_grad(0.0))], "o", color=DERIVATIVE["color"], zorder=4)
    for level in (-1.0, 1.0):
        ax.axhline(level, color="#868e96", lw=0.8, linestyle=":", zorder=1)
    ax.legend(loc="lower right", frameon=False)


def draw_relu(fig: Figure) -> None:
    """max(0, x) and its derivative: 0 for x ≤ 0 (0 at x = 0, as PyTorch), 1 for x > 0."""
    x = np.linspace(-3.0, 3.0, 601)
    ax = _axes(fig, (-3.0, 3.0), (-0.3, 3.1))
    ax.plot(x, relu(x), label=r"$\mathrm{ReLU}(x)$", **FUNCTION)
    # Draw the derivative in two pieces so no vertical line joins 0 and 1 at x = 0.
    left, right = x[x <= 0.0], x[x > 0.0]
    ax.plot(left, relu_grad(left), label=r"$\mathrm{ReLU}'(x)$", **DERIVATIVE)
    ax.plot(right, relu_grad(right), **DERIVATIVE)
    colour = DERIVATIVE["color"]
    ax.plot([0.0], [float(relu_grad(0.0))], "o", color=colour, zorder=4)
    ax.plot([0.0], [1.0], "o", markerfacecolor="white", markeredgecolor=colour, zorder=4)
    ax.legend(loc="upper left", frameon=False)


def draw_softmax(fig: Figure) -> None:
    """Left: softmax of three logits, classes numbered from 0 as the page prints them.

    Right: softmax([z, 0])₀ = σ(z), and its slope = σ'(z).
    """
    bars, curve = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    fig.subplots_adjust(wspace=0.3, bottom=0.16)
    logits = np.array([2.0, 1.0, 0.1])
    probabilities = softmax(logits)
    positions = np.arange(len(logits))
    bars.bar(positions - 0.2, logits, width=0.4, color="#adb5bd", label="$z_i$")
    bars.bar(
        positions + 0.2,
        probabilities,
        width=0.4,
        color=FUNCTION["color"],
        label=r"$\mathrm{softmax}(z)_i$",
    )
    for k, p in enumerate(probabilities):
        bars.annotate(
            f"{p:.2f}",
            (k + 0.2, p),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    bars.set_xticks(positions, [f"$i = {k}$" for k in positions])
    bars.set_ylim(0.0, 2.3)
    bars.legend(loc="upper right", frameon=False, fontsize=9)
    bars.grid(False, axis="x")

    z = np.linspace(-6.0, 6.0, 241)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    first = softmax(pairs)[:, 0]
    slope = softmax_jacobian(pairs)[:, 0, 0]
    every = slice(None, None, 12)
    curve.plot(z, sigmoid(z), label=r"$\sigma(z)$", **FUNCTION)
    curve.plot(
        z[every],
        first[every],
        "o",
        color=FUNCTION["color"],
        markerfacecolor="white",
        label=r"$\mathrm{softmax}([z, 0])_0$",
    )
    curve.plot(z, sigmoid_grad(z), label=r"$\sigma'(z)$", **DERIVATIVE)
    curve.plot(
        z[every],
        slope[every],
        "s",
        color=DERIVATIVE["color"],
        markerfacecolor="white",
        markersize=5,
        label=r"$\partial s_0 / \partial z$",
    )
    curve.axhline(0.0, color="#adb5bd", lw=0.8, zorder=1)
    curve.set_xlim(-6.0, 6.0)
    curve.set_ylim(-0.05, 1.3)
    curve.set_xlabel("$z$")
    curve.legend(loc="upper left", frameon=False, fontsize=9, ncol=2)


draw_softmax.size = (7.6, 3.4)

FIGURES = {
    "sigmoid": draw_sigmoid,
    "tanh": draw_tanh,
    "relu": draw_relu,
    "softmax": draw_softmax,
}
