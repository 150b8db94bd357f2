"""Figures of the activations page: each function next to its derivative, and XOR fitted
with and without a non-linearity.

Every curve is computed with `nnref.numpy`, the hand-derived twin, so the figures show
exactly what the page's code prints. The XOR figure fits the page's two 2-4-1 networks to
the page's noisy XOR cloud, with the same seeds, steps and step size as its code.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nnref.numpy import (
    SGD,
    Linear,
    Sequential,
    Tanh,
    mse_loss_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_grad,
)

#: Derivatives are written with the Unicode prime ′ (U+2032): mathtext sets an ASCII ' as a
#: "0" in the font cmsy10, which a browser without that font shows as σ⁰(x).
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
    ax.plot(x, sigmoid_grad(x), label=r"$\sigma′(x)$", **DERIVATIVE)
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
    ax.plot(x, tanh_grad(x), label=r"$\tanh′(x)$", **DERIVATIVE)
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
    ax.plot(left, relu_grad(left), label=r"$\mathrm{ReLU}′(x)$", **DERIVATIVE)
    ax.plot(right, relu_grad(right), **DERIVATIVE)
    colour = DERIVATIVE["color"]
    ax.plot([0.0], [float(relu_grad(0.0))], "o", color=colour, zorder=4)
    ax.plot([0.0], [1.0], "o", markerfacecolor="white", markeredgecolor=colour, zorder=4)
    ax.legend(loc="upper left", frameon=False)


#: Words of the softmax figure. Mathtext cannot set Chinese, so no Chinese string holds $…$.
SOFTMAX_LABELS = {
    "en": {
        "logit": "logit $z_i$",
        "probability": r"probability $\mathrm{softmax}(z)_i$",
        "class": "class {k}",
    },
    "zh": {
        "logit": "logit $z_i$",
        "probability": "softmax 给出的概率",
        "class": "类别 {k}",
    },
}


def draw_softmax(fig: Figure, lang: str = "en") -> None:
    """Left: softmax of three logits, classes numbered from 0 as the page prints them.

    Right: softmax([z, 0])₀ = σ(z), and its slope = σ'(z).
    """
    words = SOFTMAX_LABELS[lang]
    bars, curve = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    fig.subplots_adjust(wspace=0.3, bottom=0.16)
    logits = np.array([2.0, 1.0, 0.1])
    probabilities = softmax(logits)
    positions = np.arange(len(logits))
    bars.bar(positions - 0.2, logits, width=0.4, color="#adb5bd", label=words["logit"])
    bars.bar(
        positions + 0.2,
        probabilities,
        width=0.4,
        color=FUNCTION["color"],
        label=words["probability"],
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
    bars.set_xticks(positions, [words["class"].format(k=k) for k in positions])
    bars.set_ylim(0.0, 2.9)
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
    curve.plot(z, sigmoid_grad(z), label=r"$\sigma′(z)$", **DERIVATIVE)
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

# --- XOR: why a non-linearity is needed --------------------------------------------------

#: The page's XOR task: 25 points scattered (standard deviation 0.15) around each corner of
#: the unit square, wanted output 1 where exactly one coordinate is 1. The page's code uses
#: the same numbers, seeds, steps and step size.
XOR_CORNERS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_VALUES = (0.0, 1.0, 1.0, 0.0)
XOR_PER_CORNER = 25
XOR_SPREAD = 0.15
XOR_STEPS = 500
XOR_LR = 0.2

CLASS_0 = {"marker": "o", "color": "#364fc7", "markeredgecolor": "white", "markersize": 6}
CLASS_1 = {"marker": "^", "color": "#d9480f", "markeredgecolor": "#212529", "markersize": 6.5}
BOUNDARY = {"colors": "#212529", "linewidths": 2.0}
#: Pale ends, so the points stand out: blue where the output is 0, orange where it is 1.
OUTPUT_MAP = LinearSegmentedColormap.from_list("xor", ["#91a7ff", "#ffffff", "#ffa94d"])

XOR_LABELS = {
    "en": {
        "titles": ("Linear, Linear: no non-linearity", "Linear, Tanh, Linear"),
        "right": "{right} of {n} points on the side of their class",
        "class_0": "class 0 (XOR = 0)",
        "class_1": "class 1 (XOR = 1)",
        "boundary": "output = 0.5",
        "output": "output of the fitted network",
    },
    "zh": {
        "titles": ("Linear、Linear：没有非线性", "Linear、Tanh、Linear"),
        "right": "{n} 个点中有 {right} 个落在所属类别的一侧",
        "class_0": "类别 0（XOR = 0）",
        "class_1": "类别 1（XOR = 1）",
        "boundary": "输出 = 0.5",
        "output": "拟合后网络的输出",
    },
}


def xor_cloud() -> tuple[np.ndarray, np.ndarray]:
    """The noisy XOR cloud, 100 points of shape (100, 2), and their wanted outputs (100, 1)."""
    corners = np.array(XOR_CORNERS)
    rng = np.random.default_rng(0)
    cloud = np.repeat(corners, XOR_PER_CORNER, axis=0)
    cloud = cloud + rng.normal(scale=XOR_SPREAD, size=cloud.shape)
    wanted = np.repeat(np.array(XOR_VALUES)[:, None], XOR_PER_CORNER, axis=0)
    return cloud, wanted


def xor_networks() -> tuple[Sequential, Sequential]:
    """The page's two 2-4-1 networks, fitted to the cloud: without and with a tanh."""
    cloud, wanted = xor_cloud()
    linear = Sequential(Linear(2, 4, seed=1), Linear(4, 1, seed=2))
    bent = Sequential(Linear(2, 4, seed=1), Tanh(), Linear(4, 1, seed=2))
    for net in (linear, bent):
        opt = SGD(net.parameters(), lr=XOR_LR)
        for _ in range(XOR_STEPS):
            opt.zero_grad()
            net.backward(mse_loss_grad(net(cloud), wanted))
            opt.step()
    return linear, bent


def draw_xor(fig: Figure, lang: str = "en") -> None:
    """The network's output (colour) and its 0.5 line over the cloud, for both networks."""
    words = XOR_LABELS[lang]
    cloud, wanted = xor_cloud()
    grid = np.linspace(-0.6, 1.6, 111)
    gx, gy = np.meshgrid(grid, grid)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    levels = np.linspace(0.0, 1.0, 11)
    fig.subplots_adjust(left=0.07, right=0.86, bottom=0.22, top=0.86, wspace=0.12)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, net, title in zip(axes, xor_networks(), words["titles"], strict=True):
        surface = net(points).reshape(gx.shape)
        filled = ax.contourf(gx, gy, surface, levels=levels, cmap=OUTPUT_MAP, extend="both")
        ax.contour(gx, gy, surface, levels=[0.5], **BOUNDARY)
        right = int(np.sum((net(cloud) > 0.5) == (wanted > 0.5)))
        ax.set_title(f"{title}\n{words['right'].format(right=right, n=len(cloud))}", fontsize=10)
        ones = wanted[:, 0] > 0.5
        ax.plot(*cloud[~ones].T, linestyle="none", **CLASS_0)
        ax.plot(*cloud[ones].T, linestyle="none", **CLASS_1)
        ax.set_xlim(grid[0], grid[-1])
        ax.set_ylim(grid[0], grid[-1])
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xticks([0.0, 1.0])
        ax.set_yticks([0.0, 1.0])
        ax.set_xlabel("$x_1$")
    axes[0].set_ylabel("$x_2$")
    bar = fig.colorbar(filled, cax=fig.add_axes((0.885, 0.22, 0.018, 0.64)))
    bar.set_ticks([0.0, 0.5, 1.0])
    bar.set_label(words["output"])
    handles = [
        Line2D([], [], linestyle="none", label=words["class_0"], **CLASS_0),
        Line2D([], [], linestyle="none", label=words["class_1"], **CLASS_1),
        Line2D(
            [], [], color=BOUNDARY["colors"], lw=BOUNDARY["linewidths"], label=words["boundary"]
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)


draw_xor.size = (7.6, 4.2)


FIGURES = {
    "sigmoid": draw_sigmoid,
    "tanh": draw_tanh,
    "relu": draw_relu,
    "softmax": draw_softmax,
    "xor": draw_xor,
}
