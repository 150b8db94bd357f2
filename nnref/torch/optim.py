r"""Plain stochastic gradient descent for the PyTorch twin."""

from __future__ import annotations

from typing import Any

import torch

from nnref._validate import check_learning_rate

__all__ = ["SGD"]


class SGD(torch.optim.SGD):
    r"""Gradient descent $w \leftarrow w - \eta \, \partial E / \partial w$: `torch.optim.SGD`.

    A `torch.optim.SGD` without momentum or weight decay, built from the same two arguments
    as the NumPy twin's `SGD`. `step()` skips parameters whose `.grad` is `None`.

    Args:
        params: The parameters to update, e.g. `net.parameters()` (weights *and* biases) or
            a hand-picked list.
        lr: The learning rate $\eta \ge 0$.

    Raises:
        TypeError: If `lr` is not a number.
        ValueError: If `params` is empty or `lr` is negative or not finite.

    Examples:
        >>> import torch
        >>> from nnref.torch import SGD
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> w.grad = torch.tensor([4.0])
        >>> SGD([w], lr=0.5).step()
        >>> print(w.data)
        tensor([-1.])
    """

    def __init__(self, params: Any, lr: float) -> None:
        super().__init__(params, lr=check_learning_rate(lr))
