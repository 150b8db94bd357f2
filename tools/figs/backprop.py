"""Figures of the back-propagation page: the error of the worked network over 10,000 steps."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import nnref.numpy as nn_np
from nnref import example

STEPS = 10_000


def _errors_sgd(update_biases: bool) -> np.ndarray:
    """E before each step and after the last, training with nnref's layers and SGD."""
    net = nn_np.worked_network()
    x, t = nn_np.worked_inputs(), nn_np.worked_targets()
    params = net.parameters() if update_biases else [net[0].weight, net[2].weight]
    optimizer = nn_np.SGD(params, lr=example.LEARNING_RATE)
    errors = np.empty(STEPS + 1)
    for k in range(STEPS + 1):
        out = net(x)
        errors[k] = nn_np.half_squared_error(out, t)
        if k == STEPS:
            break
        net.zero_grad()
        net.backward(nn_np.half_squared_error_grad(out, t))
        optimizer.step()
    return errors


def _errors_blog_mistake() -> np.ndarray:
    """Weights only, hidden deltas from the already-updated W2 (the blog's first script)."""
    x, t = nn_np.worked_inputs(), nn_np.worked_targets()
    w1, w2 = np.array(example.W1), np.array(example.W2)
    b1, b2 = np.array(example.B1), np.array(example.B2)
    lr = example.LEARNING_RATE
    errors = np.empty(STEPS + 1)
    for k in range(STEPS + 1):
        out_h = nn_np.sigmoid(w1 @ x + b1)
        out_o = nn_np.sigmoid(w2 @ out_h + b2)
        errors[k] = nn_np.half_squared_error(out_o, t)
        delta_o = (out_o - t) * out_o * (1 - out_o)
        w2 = w2 - lr * np.outer(delta_o, out_h)
        delta_h = (w2.T @ delta_o) * out_h * (1 - out_h)  # the mistake: w2 is already updated
        w1 = w1 - lr * np.outer(delta_h, x)
    return errors


def draw_error(fig: Figure) -> None:
    full = _errors_sgd(update_biases=True)
    weights = _errors_sgd(update_biases=False)
    blog = _errors_blog_mistake()
    steps = np.arange(STEPS + 1)

    left, right = fig.subplots(1, 2)
    left.semilogy(steps, full, label=r"$W,\ b$", color="C0")
    left.semilogy(steps, weights, label=r"$W$", color="C1")
    left.semilogy(steps, blog, label=r"$W$, $\delta_h'$", color="C3", linestyle="--")
    left.set_xlabel(r"$k$")
    left.set_ylabel(r"$E$")
    left.set_title(r"$\eta = 0.5$")
    left.legend()

    right.plot(steps, np.abs(blog - weights) / weights, color="C3")
    right.set_xlabel(r"$k$")
    right.set_title(r"$|E_{\delta_h'} - E_W| \,/\, E_W$")
    right.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    fig.tight_layout()


draw_error.size = (8.0, 3.2)

FIGURES = {"backprop-error": draw_error}
