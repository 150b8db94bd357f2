"""Figures of the back-propagation page: the error of the worked network over 10,000 steps."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import nnref.numpy as nn_np
from nnref import example

STEPS = 10_000


def _errors() -> np.ndarray:
    """E before each step and after the last, shape (3, STEPS + 1), one row per rule.

    The three networks are trained side by side, stacked along a first axis k, as the page
    does: k = 0 updates the weights only, k = 1 the weights only with the hidden deltas taken
    from the already-updated W2 (the blog's first script), k = 2 weights and biases.
    """
    x, t = nn_np.worked_inputs(), nn_np.worked_targets()
    lr = example.LEARNING_RATE
    blog_mistake = np.array([0.0, 1.0, 0.0])[:, None, None]
    update_biases = np.array([0.0, 0.0, 1.0])[:, None]
    w1, w2 = np.stack([np.array(example.W1)] * 3), np.stack([np.array(example.W2)] * 3)
    b1, b2 = np.stack([np.array(example.B1)] * 3), np.stack([np.array(example.B2)] * 3)
    errors = np.empty((3, STEPS + 1))
    for k in range(STEPS + 1):
        out_h = nn_np.sigmoid(w1 @ x + b1)
        out_o = nn_np.sigmoid(np.einsum("kij,kj->ki", w2, out_h) + b2)
        errors[:, k] = 0.5 * np.sum((t - out_o) ** 2, axis=1)
        if k == STEPS:
            break
        delta_o = (out_o - t) * out_o * (1 - out_o)
        dE_dw2 = delta_o[:, :, None] * out_h[:, None, :]
        w2_for_delta_h = w2 - blog_mistake * lr * dE_dw2
        delta_h = np.einsum("kij,ki->kj", w2_for_delta_h, delta_o) * out_h * (1 - out_h)
        w1 = w1 - lr * delta_h[:, :, None] * x
        w2 = w2 - lr * dE_dw2
        b1 = b1 - update_biases * lr * delta_h
        b2 = b2 - update_biases * lr * delta_o
    return errors


def draw_error(fig: Figure) -> None:
    weights, blog, full = _errors()
    steps = np.arange(STEPS + 1)

    left, right = fig.subplots(1, 2)
    left.semilogy(steps, full, label="weights and biases", color="C0")
    left.semilogy(steps, weights, label="weights only", color="C1")
    left.semilogy(steps, blog, label="weights only, blog's mistake", color="C3", linestyle="--")
    left.set_xlabel("step")
    left.set_ylabel(r"error $E$")
    left.set_title(r"learning rate $\eta = 0.5$")
    left.legend()

    right.plot(steps, np.abs(blog - weights) / weights, color="C3")
    right.set_xlabel("step")
    right.set_ylabel(r"relative difference of $E$")
    right.set_title("blog's mistake vs. weights only")
    right.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    fig.tight_layout()


draw_error.size = (8.0, 3.2)

FIGURES = {"backprop-error": draw_error}
