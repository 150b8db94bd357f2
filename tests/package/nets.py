"""Networks shared by the package tests."""

from __future__ import annotations

from types import ModuleType


def every_layer_type(nn: ModuleType, widths: tuple[int, int, int, int, int]):
    """A `Sequential` that uses each layer type once, built from either twin (`nn`).

    Seeded, so two calls with the same twin give the same weights.
    """
    a, b, c, d, e = widths
    return nn.Sequential(
        nn.Linear(a, b, seed=1),
        nn.Tanh(),
        nn.Linear(b, c, seed=2),
        nn.ReLU(),
        nn.Linear(c, d, seed=3),
        nn.Sigmoid(),
        nn.Linear(d, e, seed=4),
        nn.Softmax(),
    )
