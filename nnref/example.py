r"""The worked 2-2-2 network used throughout the site, as plain Python numbers.

The network has inputs $i_1, i_2$, hidden units $h_1, h_2$ and outputs $o_1, o_2$; both
layers are fully connected, compute $z = x W^\top + b$ and are followed by a sigmoid.

Weights are stored with shape `(out_features, in_features)`, the layout of PyTorch's
`nn.Linear`: row $j$ of a weight matrix holds the weights *into* unit $j$.

* `W1[0] = (w1, w2)` feed $h_1$ from $(i_1, i_2)$; `W1[1] = (w3, w4)` feed $h_2$.
* `W2[0] = (w5, w6)` feed $o_1$ from $(h_1, h_2)$; `W2[1] = (w7, w8)` feed $o_2$.
* `B1 = (b1, b1)` and `B2 = (b2, b2)`: one bias per unit, equal within a layer at the
  start, as in the study note; they may drift apart once trained.

Nothing here imports NumPy or PyTorch: `nnref.numpy.example` and `nnref.torch.example`
turn these tuples into arrays or tensors of a chosen dtype.

Examples:
    >>> from nnref.example import W1, W2
    >>> w1, w2 = W1[0]
    >>> print(w1, w2, W2[1][1])
    0.15 0.2 0.55
"""

__all__ = ["B1", "B2", "INPUTS", "LEARNING_RATE", "TARGETS", "W1", "W2"]

INPUTS: tuple[float, float] = (0.05, 0.10)
"""Inputs $(i_1, i_2)$."""

TARGETS: tuple[float, float] = (0.01, 0.99)
"""Targets for the outputs $(o_1, o_2)$."""

W1: tuple[tuple[float, float], tuple[float, float]] = ((0.15, 0.20), (0.25, 0.30))
"""Input-to-hidden weights, shape `(2, 2)` = `(out, in)`: `((w1, w2), (w3, w4))`."""

B1: tuple[float, float] = (0.35, 0.35)
"""Hidden-layer biases, one per hidden unit."""

W2: tuple[tuple[float, float], tuple[float, float]] = ((0.40, 0.45), (0.50, 0.55))
"""Hidden-to-output weights, shape `(2, 2)` = `(out, in)`: `((w5, w6), (w7, w8))`."""

B2: tuple[float, float] = (0.60, 0.60)
"""Output-layer biases, one per output unit."""

LEARNING_RATE: float = 0.5
r"""Learning rate $\eta$ of the worked example's gradient-descent step."""
