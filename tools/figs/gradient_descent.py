"""Figures of the gradient-descent page: learning rates on a parabola, the paths of two learning
rates through a valley that curves more steeply across than along, and batch sizes."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnref.numpy import SGD, Linear, Parameter, mse_loss

#: Colour-blind-safe colours (Okabe & Ito) dark enough for lines on white.
BLUE, VERMILION, GREEN, PURPLE, BLACK = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"

RATES = (0.01, 0.4, 1.1)


def _parabola(w: np.ndarray) -> np.ndarray:
    return (w - 3.0) ** 2


def _descend(lr: float, steps: int, start: float = 0.0) -> np.ndarray:
    """The iterates of gradient descent on (w - 3)², as on the page."""
    w = Parameter([start])
    opt = SGD([w], lr=lr)
    path = [start]
    for _ in range(steps):
        w.grad = 2.0 * (w.data - 3.0)
        opt.step()
        path.append(float(w.data[0]))
    return np.array(path)


def learning_rates(fig: Figure) -> None:
    """One panel per learning rate: the curve, the iterates, and the jumps between them."""
    fig.set_layout_engine("constrained")
    axes = fig.subplots(1, 3)
    colours = (BLUE, GREEN, VERMILION)
    for ax, lr, colour in zip(axes, RATES, colours, strict=True):
        path = _descend(lr, steps=10 if lr < 1.0 else 7)
        low, high = min(path.min(), 0.0) - 1.0, max(path.max(), 6.0) + 1.0
        grid = np.linspace(low, high, 400)
        ax.plot(grid, _parabola(grid), color="0.55", linewidth=1.5)
        ax.plot(path, _parabola(path), "-o", color=colour, markersize=4, linewidth=1.0)
        ax.plot(path[:1], _parabola(path[:1]), "s", color="black", markersize=5)
        ax.set_title(f"η = {lr}")
        ax.set_xlabel("w")
        ax.set_xlim(low, high)
        ax.set_ylim(-0.05 * _parabola(np.array(high)), 1.05 * _parabola(np.array(high)))
    axes[0].set_ylabel("(w − 3)²")


learning_rates.size = (9.0, 3.2)


# --- a valley: E(w) = ½(w₁² + 10 w₂²) ------------------------------------------------------

#: The second derivatives of the page's E(w) = ½(1·w₁² + 10·w₂²) along w₁ and w₂.
CURVATURE = np.array([1.0, 10.0])
VALLEY_START = (-9.0, 1.0)
#: A small rate, and one just above 2 / 10, the limit that the steep direction w₂ sets.
VALLEY_RATES = (0.05, 0.21)
VALLEY_STEPS = 30
VALLEY_BOX = ((-10.0, 2.0), (-3.6, 3.6))

VALLEY_LABELS = {
    "en": {
        0.05: "η = 0.05: smooth, but slow along w₁",
        0.21: "η = 0.21: jumps back and forth in w₂ and diverges",
        "start": "start",
        "minimum": "minimum",
    },
    "zh": {
        0.05: "η = 0.05：平稳，但沿 w₁ 走得很慢",
        0.21: "η = 0.21：在 w₂ 方向上来回跳，越跳越远",
        "start": "起点",
        "minimum": "最小值",
    },
}


def valley_loss(w: np.ndarray) -> np.ndarray:
    """E(w) = ½(w₁² + 10 w₂²) of one point, or of each point along the last axis."""
    return 0.5 * np.sum(CURVATURE * np.asarray(w) ** 2, axis=-1)


def descend_valley(lr: float, steps: int = VALLEY_STEPS) -> np.ndarray:
    """The iterates of the package's SGD on the valley, from the page's start, as rows."""
    w = Parameter(VALLEY_START)
    opt = SGD([w], lr=lr)
    path = [w.data.copy()]
    for _ in range(steps):
        w.grad = CURVATURE * w.data  # the gradient (w₁, 10 w₂)
        opt.step()
        path.append(w.data.copy())
    return np.array(path)


def valley(fig: Figure, lang: str = "en") -> None:
    """Contours of the valley with the iterates of a small and a too-large learning rate."""
    words = VALLEY_LABELS[lang]
    fig.set_layout_engine("constrained")
    ax = fig.subplots()
    (x_low, x_high), (y_low, y_high) = VALLEY_BOX
    w1, w2 = np.meshgrid(np.linspace(x_low, x_high, 300), np.linspace(y_low, y_high, 200))
    grid = np.stack([w1, w2], axis=-1)
    levels = valley_loss(np.array(VALLEY_START)) * np.array([1 / 64, 1 / 16, 1 / 4, 1.0])
    ax.contour(w1, w2, valley_loss(grid), levels=levels, colors="0.6", linewidths=0.8)
    styles = {0.05: (BLUE, "-", "o"), 0.21: (VERMILION, "--", "s")}
    for lr in VALLEY_RATES:
        path = descend_valley(lr)
        inside = np.all((path >= [x_low, y_low]) & (path <= [x_high, y_high]), axis=1)
        shown = path[: np.argmin(inside) if not inside.all() else len(path)]
        colour, line, marker = styles[lr]
        ax.plot(
            shown[:, 0],
            shown[:, 1],
            linestyle=line,
            marker=marker,
            color=colour,
            markersize=3.5,
            linewidth=1.2,
            label=words[lr],
        )
    ax.plot(*VALLEY_START, "o", color=BLACK, markersize=6, zorder=3)
    ax.annotate(
        words["start"], VALLEY_START, xytext=(-4, 7), textcoords="offset points", ha="right"
    )
    ax.plot(0.0, 0.0, "P", color=BLACK, markersize=7, zorder=3)
    ax.annotate(
        words["minimum"],
        (0.0, 0.0),
        xytext=(6, -12),
        textcoords="offset points",
        # a white backdrop, so that the innermost contour does not run through the word
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
    )
    ax.set_aspect("equal")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.set_title("E(w) = ½(w₁² + 10 w₂²)")
    ax.grid(False)
    ax.legend(loc="lower left", fontsize=8.5, framealpha=0.95)


valley.size = (6.4, 4.0)


# --- batch sizes ---------------------------------------------------------------------------


def _regression_data() -> tuple[np.ndarray, np.ndarray]:
    data_rng = np.random.default_rng(0)
    X = data_rng.normal(size=(256, 3))
    y = X @ np.array([[2.0], [-1.0], [0.5]]) + 0.3 + 0.1 * data_rng.normal(size=(256, 1))
    return X, y


def _loss_after_each_update(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int = 5,
    lr: float = 0.05,
    tau: float | None = None,
) -> np.ndarray:
    """The page's training run, recording the loss on all samples after every update."""
    model = Linear(3, 1, seed=1)
    opt = SGD(model.parameters(), lr=lr)
    order_rng = np.random.default_rng(2)
    losses = [mse_loss(model(X), y)]
    updates = 0
    for _ in range(epochs):
        order = order_rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            if tau is not None:
                opt.lr = lr * (1 / (1 + updates / tau))
            r = model(X[idx]) - y[idx]  # the page's explicit gradient of the batch's MSE
            model.weight.grad = 2 * r.T @ X[idx] / len(idx)
            model.bias.grad = 2 * r.sum(axis=0) / len(idx)
            opt.step()
            updates += 1
            losses.append(mse_loss(model(X), y))
    return np.array(losses)


#: (batch size, learning rate, tau of the decay, colour, line style, marker)
RUNS = (
    (256, 0.05, None, BLUE, "-", "o"),
    (256, 0.5, None, PURPLE, "--", "s"),
    (32, 0.05, None, GREEN, "-", "^"),
    (1, 0.05, None, VERMILION, "-", None),
    (1, 0.05, 256, BLACK, "-", "D"),
)

BATCH_LABELS = {
    "en": {
        "title": "batch size B, learning rate η",
        "run": "B = {B}, η = {lr}",
        "decay": "B = {B}, η decaying: {lr} / (1 + t / {tau})",
        "least squares": "least-squares fit",
        "x": "epoch",
        "y": "loss on the training set (MSE)",
    },
    "zh": {
        "title": "批量大小 B，学习率 η",
        "run": "B = {B}，η = {lr}",
        "decay": "B = {B}，η 逐渐衰减：{lr} / (1 + t / {tau})",
        "least squares": "最小二乘拟合",
        "x": "轮次",
        "y": "训练集上的损失（均方误差）",
    },
}


def batch_sizes(fig: Figure, lang: str = "en") -> None:
    """Whole-data loss against epochs for full-batch, mini-batch and stochastic descent."""
    words = BATCH_LABELS[lang]
    fig.set_layout_engine("constrained")
    X, y = _regression_data()
    design = np.hstack([X, np.ones((len(X), 1))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    ax = fig.subplots()
    for batch_size, lr, tau, colour, style, marker in RUNS:
        losses = _loss_after_each_update(X, y, batch_size, lr=lr, tau=tau)
        per_epoch = -(-len(X) // batch_size)
        epochs = np.arange(len(losses)) / per_epoch
        label = words["run" if tau is None else "decay"].format(B=batch_size, lr=lr, tau=tau)
        ax.plot(
            epochs,
            losses,
            linestyle=style,
            marker=marker,
            # a marker every half epoch (every step for B = 256): the lines are told apart
            # without their colours too
            markevery=max(1, per_epoch // 2),
            color=colour,
            markersize=4,
            linewidth=1.3 if batch_size == 256 else 1.0,
            label=label,
        )
    ax.axhline(
        mse_loss(design @ coef, y),
        color="0.35",
        linestyle=":",
        linewidth=1.2,
        label=words["least squares"],
    )
    ax.set_yscale("log")
    ax.set_xlabel(words["x"])
    ax.set_ylabel(words["y"])
    ax.set_xlim(0.0, 5.0)
    ax.set_ylim(bottom=5e-3)
    ax.legend(
        title=words["title"],
        fontsize=8,
        title_fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
    )


batch_sizes.size = (8.0, 3.8)

FIGURES = {
    "gradient-descent-lr": learning_rates,
    "gradient-descent-valley": valley,
    "gradient-descent-batches": batch_sizes,
}
