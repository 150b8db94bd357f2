"""Figures of the loss page: how squared error and cross-entropy react to a saturated sigmoid."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnref.numpy import cross_entropy_grad, half_squared_error_grad, sigmoid, sigmoid_grad


def saturation(fig: Figure) -> None:
    """dL/dz for a sigmoid output σ(z) with target 1, under the two losses."""
    z = np.linspace(-8.0, 8.0, 321)
    s = sigmoid(z)
    squared = half_squared_error_grad(s, np.ones_like(s)) * sigmoid_grad(z)
    # Two-class softmax of (z, 0) is σ(z): its cross-entropy with label 0 is -log σ(z).
    logits = np.stack([z, np.zeros_like(z)], axis=1)
    cross = cross_entropy_grad(logits, np.zeros(len(z), dtype=np.int64))[:, 0] * len(z)

    fig.set_layout_engine("constrained")
    ax = fig.subplots()
    ax.plot(z, squared, label=r"$\partial_z \, \frac{1}{2}(1 - \sigma(z))^2$", linewidth=2)
    ax.plot(z, cross, label=r"$\partial_z \, [-\log \sigma(z)]$", linewidth=2)
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylim(-1.05, 0.1)
    ax.legend(loc="lower right")


saturation.size = (6.4, 3.4)

FIGURES = {"loss-saturation": saturation}
