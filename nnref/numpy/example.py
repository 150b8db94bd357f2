"""The worked 2-2-2 network of `nnref.example` as NumPy arrays and an `nnref.numpy` network."""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from nnref import example
from nnref._validate import float_dtype
from nnref.numpy.layers import Linear, Sequential, Sigmoid

__all__ = ["worked_inputs", "worked_network", "worked_targets"]


def worked_network(dtype: DTypeLike = np.float64) -> Sequential:
    """Build `Sequential(Linear(2, 2), Sigmoid(), Linear(2, 2), Sigmoid())` with the worked weights.

    The weights and biases are `nnref.example.W1`, `B1`, `W2` and `B2`, loaded through
    `load_state_dict` under the keys `0.weight`, `0.bias`, `2.weight` and `2.bias`.

    Args:
        dtype: float64 (default) or float32.

    Returns:
        A fresh network; its gradients are `None`.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> from nnref.numpy import worked_inputs, worked_network
        >>> net = worked_network()
        >>> print(net(worked_inputs()))
        [0.75136507 0.77292847]
    """
    dtype = float_dtype(dtype)
    # Fixed seeds: the random start is overwritten below, so only reproducibility matters.
    network = Sequential(
        Linear(2, 2, dtype=dtype, seed=0), Sigmoid(), Linear(2, 2, dtype=dtype, seed=1), Sigmoid()
    )
    network.load_state_dict(
        {
            "0.weight": np.array(example.W1),
            "0.bias": np.array(example.B1),
            "2.weight": np.array(example.W2),
            "2.bias": np.array(example.B2),
        }
    )
    return network


def worked_inputs(dtype: DTypeLike = np.float64) -> np.ndarray:
    """Return the inputs `(0.05, 0.10)` as an array of shape `(2,)`.

    Args:
        dtype: float64 (default) or float32.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import worked_inputs
        >>> print(worked_inputs(np.float32).dtype)
        float32
    """
    return np.array(example.INPUTS, dtype=float_dtype(dtype))


def worked_targets(dtype: DTypeLike = np.float64) -> np.ndarray:
    """Return the targets `(0.01, 0.99)` as an array of shape `(2,)`.

    Args:
        dtype: float64 (default) or float32.

    Raises:
        TypeError: If `dtype` is not float32 or float64.

    Examples:
        >>> from nnref.numpy import worked_targets
        >>> print(worked_targets())
        [0.01 0.99]
    """
    return np.array(example.TARGETS, dtype=float_dtype(dtype))
