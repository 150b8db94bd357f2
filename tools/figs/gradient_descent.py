"""Figures of the gradient-descent page: learning rates on a parabola, and batch sizes."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnref.numpy import SGD, Linear, Parameter, mse_loss

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
    colours = ("tab:blue", "tab:green", "tab:red")
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


#: (batch size, learning rate, tau of the decay, colour, line style, label)
RUNS = (
    (256, 0.05, None, "tab:blue", "-o", "B = 256, η = 0.05"),
    (256, 0.5, None, "tab:purple", "--o", "B = 256, η = 0.5"),
    (32, 0.05, None, "tab:green", "-", "B = 32, η = 0.05"),
    (1, 0.05, None, "tab:orange", "-", "B = 1, η = 0.05"),
    (1, 0.05, 256, "tab:red", "-", "B = 1, η = 0.05 / (1 + t / 256)"),
)


def batch_sizes(fig: Figure) -> None:
    """Whole-data loss against epochs for full-batch, mini-batch and stochastic descent."""
    fig.set_layout_engine("constrained")
    X, y = _regression_data()
    design = np.hstack([X, np.ones((len(X), 1))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    ax = fig.subplots()
    for batch_size, lr, tau, colour, style, label in RUNS:
        losses = _loss_after_each_update(X, y, batch_size, lr=lr, tau=tau)
        per_epoch = -(-len(X) // batch_size)
        epochs = np.arange(len(losses)) / per_epoch
        ax.plot(epochs, losses, style, color=colour, markersize=4, linewidth=1.0, label=label)
    ax.axhline(
        mse_loss(design @ coef, y), color="0.4", linestyle=":", linewidth=1.0
    )  # least squares
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE")
    ax.set_xlim(0.0, 5.0)
    ax.set_ylim(bottom=5e-3)
    ax.legend(fontsize=8)


batch_sizes.size = (6.4, 3.8)

FIGURES = {"gradient-descent-lr": learning_rates, "gradient-descent-batches": batch_sizes}
