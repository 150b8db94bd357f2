"""Figures of the loss page: how squared error and cross-entropy react to a saturated sigmoid."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnref.numpy import cross_entropy_grad, half_squared_error_grad, sigmoid, sigmoid_grad

#: Colour-blind-safe (Okabe–Ito blue and vermillion), and told apart by line style as well.
SQUARED = {"color": "#0072B2", "linewidth": 2.0}
CROSS = {"color": "#D55E00", "linewidth": 2.0, "linestyle": "--"}
#: The words of the figure, one dict per language (terms as in docs/glossary.zh.md). Plain
#: Unicode, no mathtext: mathtext would replace each Chinese character by a dummy glyph.
LABELS = {
    "en": {
        "squared": "squared error ½(1 − σ(z))²",
        "cross": "cross-entropy −log σ(z)",
        "y": "gradient with respect to z",
    },
    "zh": {
        "squared": "平方误差 ½(1 − σ(z))²",
        "cross": "交叉熵 −log σ(z)",
        "y": "对 z 的梯度",
    },
}


def saturation(fig: Figure, lang: str = "en") -> None:
    """dL/dz for a sigmoid output σ(z) with target 1, under the two losses."""
    labels = LABELS[lang]
    z = np.linspace(-8.0, 8.0, 321)
    s = sigmoid(z)
    squared = half_squared_error_grad(s, np.ones_like(s)) * sigmoid_grad(z)
    # Two-class softmax of (z, 0) is σ(z): its cross-entropy with label 0 is -log σ(z).
    logits = np.stack([z, np.zeros_like(z)], axis=1)
    cross = cross_entropy_grad(logits, np.zeros(len(z), dtype=np.int64))[:, 0] * len(z)

    fig.set_layout_engine("constrained")
    ax = fig.subplots()
    ax.plot(z, squared, label=labels["squared"], **SQUARED)
    ax.plot(z, cross, label=labels["cross"], **CROSS)
    ax.axhline(0.0, color="#5c636a", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel(labels["y"])
    ax.set_ylim(-1.05, 0.1)
    ax.legend(loc="lower right")


saturation.size = (6.4, 3.4)

FIGURES = {"loss-saturation": saturation}
