"""The worked 2-2-2 network of `nnref.example` as tensors and an `nnref.torch` network."""

from __future__ import annotations

import torch

from nnref import example
from nnref.torch._validate import float_dtype
from nnref.torch.layers import Linear, Sequential, Sigmoid

__all__ = ["worked_inputs", "worked_network", "worked_targets"]


def worked_network(dtype: torch.dtype = torch.float64) -> Sequential:
    """Build `Sequential(Linear(2, 2), Sigmoid(), Linear(2, 2), Sigmoid())` with the worked weights.

    The weights and biases are `nnref.example.W1`, `B1`, `W2` and `B2`, loaded through
    `load_state_dict` under the keys `0.weight`, `0.bias`, `2.weight` and `2.bias`.

    Args:
        dtype: `torch.float64` (default) or `torch.float32`.

    Returns:
        A fresh network; its gradients are `None`.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> from nnref.torch import worked_inputs, worked_network
        >>> net = worked_network()
        >>> print([round(value, 8) for value in net(worked_inputs()).tolist()])
        [0.75136507, 0.77292847]
    """
    dtype = float_dtype(dtype)
    # Fixed seeds: the random start is overwritten below; the seeds only keep PyTorch's
    # global random generator untouched.
    network = Sequential(
        Linear(2, 2, dtype=dtype, seed=0), Sigmoid(), Linear(2, 2, dtype=dtype, seed=1), Sigmoid()
    )
    network.load_state_dict(
        {
            "0.weight": torch.tensor(example.W1, dtype=torch.float64),
            "0.bias": torch.tensor(example.B1, dtype=torch.float64),
            "2.weight": torch.tensor(example.W2, dtype=torch.float64),
            "2.bias": torch.tensor(example.B2, dtype=torch.float64),
        }
    )
    return network


def worked_inputs(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Return the inputs `(0.05, 0.10)` as a tensor of shape `(2,)`.

    Args:
        dtype: `torch.float64` (default) or `torch.float32`.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> import torch
        >>> from nnref.torch import worked_inputs
        >>> print(worked_inputs(torch.float32))
        tensor([0.0500, 0.1000])
    """
    return torch.tensor(example.INPUTS, dtype=float_dtype(dtype))


def worked_targets(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Return the targets `(0.01, 0.99)` as a tensor of shape `(2,)`.

    Args:
        dtype: `torch.float64` (default) or `torch.float32`.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> from nnref.torch import worked_targets
        >>> print(worked_targets())
        tensor([0.0100, 0.9900], dtype=torch.float64)
    """
    return torch.tensor(example.TARGETS, dtype=float_dtype(dtype))
