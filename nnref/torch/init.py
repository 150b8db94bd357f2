r"""Parameter initialisation for tensors: `torch.nn.init` with a `seed` that matches NumPy.

The same names, arguments and formulas as `nnref.numpy.init` and `torch.nn.init`: each
function fills a float32/float64 tensor or `torch.nn.Parameter` *in place* (under
`torch.no_grad()`, so a parameter's autograd history is untouched), keeps its dtype and
device, and returns it. The formulas are those of `nnref.numpy.init`:
$\text{std} = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$ for Xavier/Glorot,
$\text{std} = \text{gain}/\sqrt{\text{fan}}$ for Kaiming/He, and $U(-a, a)$ with
$a = \sqrt{3}\,\text{std}$ for the uniform variants.

Randomness, the one difference from `torch.nn.init`:

* `seed=None` (the default) calls `torch.nn.init`'s function of the same name, which draws
  from PyTorch's global generator: after `torch.manual_seed(s)` the result is exactly what
  `torch.nn.init` gives after `torch.manual_seed(s)`;
* `seed=` an int or a `numpy.random.Generator` draws with `np.random.default_rng(seed)` in
  float64, as the NumPy twin does, and casts to the tensor's dtype, so the same seed fills
  bit-identical values in `nnref.numpy` and `nnref.torch`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import torch

from nnref import _init as _shared

__all__ = [
    "calculate_gain",
    "kaiming_normal_",
    "kaiming_uniform_",
    "xavier_normal_",
    "xavier_uniform_",
]

TensorT = TypeVar("TensorT", bound=torch.Tensor)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for a nonlinearity, equal to `torch.nn.init.calculate_gain`'s.

    | nonlinearity | gain |
    | --- | --- |
    | `linear`, `conv1d/2d/3d`, `conv_transpose1d/2d/3d`, `sigmoid` | $1$ |
    | `tanh` | $5/3$ |
    | `relu` | $\sqrt{2}$ |
    | `leaky_relu` with negative slope $s$ | $\sqrt{2/(1 + s^2)}$ |
    | `selu` | $3/4$ |

    Args:
        nonlinearity: One of the names in the table.
        param: The negative slope $s$ of `leaky_relu` (default $0.01$); ignored for the
            other nonlinearities.

    Returns:
        The gain, a float.

    Raises:
        TypeError: If `nonlinearity` is not a string, or `param` of `leaky_relu` is not a
            real number.
        ValueError: If `nonlinearity` is not in the table (the supported names are listed),
            or `param` is NaN or infinite.

    Examples:
        >>> import torch
        >>> from nnref.torch import calculate_gain
        >>> print(calculate_gain("tanh"), calculate_gain("relu"))
        1.6666666666666667 1.4142135623730951
        >>> calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)
        True
    """
    return _shared.gain(nonlinearity, param)


def xavier_uniform_(
    param: TensorT, gain: float = 1.0, *, seed: int | np.random.Generator | None = None
) -> TensorT:
    r"""Fill `param` in place with Xavier/Glorot uniform values, from $U(-a, a)$.

    $a = \text{gain}\sqrt{6/(\text{fan\_in} + \text{fan\_out})}$, so the values have
    standard deviation $\text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$.
    This is `torch.nn.init.xavier_uniform_`'s formula.

    Args:
        param: A float32/float64 tensor or `torch.nn.Parameter` with at least 2 dimensions,
            e.g. a weight of shape `(out_features, in_features)`.
        gain: A scale factor $\ge 0$, e.g. `calculate_gain("tanh")`.
        seed: An int or a `numpy.random.Generator` (NumPy's draws, as in the NumPy twin), or
            `None` for PyTorch's global generator (exactly `torch.nn.init.xavier_uniform_`).

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is not a tensor, its dtype is not float32/float64, or `gain`
            or `seed` has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions or `gain` is negative or not
            finite.

    Examples:
        >>> import torch
        >>> from nnref.torch import xavier_uniform_
        >>> w = torch.nn.Parameter(torch.zeros(2, 3, dtype=torch.float64))
        >>> xavier_uniform_(w, seed=0) is w
        True
        >>> print(w.detach().numpy().round(4))
        [[ 0.3001 -0.5044 -1.0057]
         [-1.0592  0.6863  0.9043]]
    """
    tensor = _target(param, "xavier_uniform_")
    std = _shared._xavier_std(tuple(tensor.shape), gain, "xavier_uniform_")
    return _initialise(
        param,
        tensor,
        "uniform",
        std,
        seed,
        lambda t: torch.nn.init.xavier_uniform_(t, gain=float(gain)),
    )


def xavier_normal_(
    param: TensorT, gain: float = 1.0, *, seed: int | np.random.Generator | None = None
) -> TensorT:
    r"""Fill `param` in place with Xavier/Glorot normal values, from $N(0, \text{std}^2)$.

    $\text{std} = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$.
    This is `torch.nn.init.xavier_normal_`'s formula.

    Args:
        param: A float32/float64 tensor or `torch.nn.Parameter` with at least 2 dimensions,
            e.g. a weight of shape `(out_features, in_features)`.
        gain: A scale factor $\ge 0$, e.g. `calculate_gain("tanh")`.
        seed: An int or a `numpy.random.Generator` (NumPy's draws, as in the NumPy twin), or
            `None` for PyTorch's global generator (exactly `torch.nn.init.xavier_normal_`).

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is not a tensor, its dtype is not float32/float64, or `gain`
            or `seed` has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions or `gain` is negative or not
            finite.

    Examples:
        >>> import torch
        >>> from nnref.torch import xavier_normal_
        >>> w = xavier_normal_(torch.zeros(200, 300, dtype=torch.float64), seed=0)
        >>> print(f"{w.std(correction=0).item():.4f} vs {(2 / (300 + 200)) ** 0.5:.4f}")
        0.0633 vs 0.0632
    """
    tensor = _target(param, "xavier_normal_")
    std = _shared._xavier_std(tuple(tensor.shape), gain, "xavier_normal_")
    return _initialise(
        param,
        tensor,
        "normal",
        std,
        seed,
        lambda t: torch.nn.init.xavier_normal_(t, gain=float(gain)),
    )


def kaiming_uniform_(
    param: TensorT,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    seed: int | np.random.Generator | None = None,
) -> TensorT:
    r"""Fill `param` in place with Kaiming/He uniform values, from $U(-b, b)$.

    $b = \text{gain}\sqrt{3/\text{fan}}$, where fan is `mode`'s fan and the gain is
    `calculate_gain(nonlinearity, a)`. With the defaults (`leaky_relu` of slope $a = 0$, which
    is ReLU) the gain is $\sqrt{2}$, so $b = \sqrt{6/\text{fan\_in}}$.
    This is `torch.nn.init.kaiming_uniform_`'s formula.

    Args:
        param: A float32/float64 tensor or `torch.nn.Parameter` with at least 2 dimensions,
            e.g. a weight of shape `(out_features, in_features)`.
        a: The negative slope of `leaky_relu` (ignored for other nonlinearities).
        mode: `"fan_in"` (default) keeps the variance of the forward signal, `"fan_out"`
            that of the backward gradients.
        nonlinearity: A name accepted by `calculate_gain`.
        seed: An int or a `numpy.random.Generator` (NumPy's draws, as in the NumPy twin), or
            `None` for PyTorch's global generator (exactly `torch.nn.init.kaiming_uniform_`).

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is not a tensor, its dtype is not float32/float64, or another
            argument has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions, `mode` is not `"fan_in"` or
            `"fan_out"`, or `nonlinearity` is unknown.

    Examples:
        >>> import torch
        >>> from nnref.torch import kaiming_uniform_
        >>> w = kaiming_uniform_(torch.zeros(2, 3), seed=0)
        >>> print(w.numpy().round(4), w.dtype)
        [[ 0.3874 -0.6511 -1.2983]
         [-1.3675  0.8861  1.1674]] torch.float32
    """
    tensor = _target(param, "kaiming_uniform_")
    std = _shared._kaiming_std(tuple(tensor.shape), a, mode, nonlinearity, "kaiming_uniform_")
    return _initialise(
        param,
        tensor,
        "uniform",
        std,
        seed,
        lambda t: torch.nn.init.kaiming_uniform_(
            t, a=float(a), mode=mode, nonlinearity=nonlinearity
        ),
    )


def kaiming_normal_(
    param: TensorT,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    seed: int | np.random.Generator | None = None,
) -> TensorT:
    r"""Fill `param` in place with Kaiming/He normal values, from $N(0, \text{std}^2)$.

    $\text{std} = \text{gain}/\sqrt{\text{fan}}$, where fan is `mode`'s fan and the gain is
    `calculate_gain(nonlinearity, a)`. With the defaults (`leaky_relu` of slope $a = 0$, which
    is ReLU) the gain is $\sqrt{2}$, so $\text{std} = \sqrt{2/\text{fan\_in}}$.
    This is `torch.nn.init.kaiming_normal_`'s formula.

    Args:
        param: A float32/float64 tensor or `torch.nn.Parameter` with at least 2 dimensions,
            e.g. a weight of shape `(out_features, in_features)`.
        a: The negative slope of `leaky_relu` (ignored for other nonlinearities).
        mode: `"fan_in"` (default) keeps the variance of the forward signal, `"fan_out"`
            that of the backward gradients.
        nonlinearity: A name accepted by `calculate_gain`.
        seed: An int or a `numpy.random.Generator` (NumPy's draws, as in the NumPy twin), or
            `None` for PyTorch's global generator (exactly `torch.nn.init.kaiming_normal_`).

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is not a tensor, its dtype is not float32/float64, or another
            argument has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions, `mode` is not `"fan_in"` or
            `"fan_out"`, or `nonlinearity` is unknown.

    Examples:
        >>> import torch
        >>> from nnref.torch import kaiming_normal_
        >>> _ = torch.manual_seed(0)
        >>> w = kaiming_normal_(torch.empty(300, 200), mode="fan_out", nonlinearity="relu")
        >>> _ = torch.manual_seed(0)
        >>> expected = torch.nn.init.kaiming_normal_(
        ...     torch.empty(300, 200), mode="fan_out", nonlinearity="relu"
        ... )
        >>> torch.equal(w, expected)
        True
    """
    tensor = _target(param, "kaiming_normal_")
    std = _shared._kaiming_std(tuple(tensor.shape), a, mode, nonlinearity, "kaiming_normal_")
    return _initialise(
        param,
        tensor,
        "normal",
        std,
        seed,
        lambda t: torch.nn.init.kaiming_normal_(
            t, a=float(a), mode=mode, nonlinearity=nonlinearity
        ),
    )


def _initialise(
    param: TensorT,
    tensor: torch.Tensor,
    distribution: str,
    std: float,
    seed: object,
    torch_init: Callable[[torch.Tensor], object],
) -> TensorT:
    # With a seed, NumPy's draw (the NumPy twin's values, bit for bit); without one,
    # torch.nn.init itself on PyTorch's generator. An empty tensor is left alone (torch.nn.init
    # would warn, or divide by zero).
    seed = _shared._check_seed(seed)
    if tensor.numel() == 0:
        return param
    if seed is None:
        torch_init(tensor)
    else:
        _fill(tensor, _shared._draw(distribution, std, tuple(tensor.shape), seed))
    return param


def _target(param: object, function: str) -> torch.Tensor:
    if not isinstance(param, torch.Tensor):
        raise TypeError(
            f"{function} expects a torch.Tensor or torch.nn.Parameter; got {type(param).__name__}"
        )
    _shared._check_fill_dtype(param.dtype in (torch.float32, torch.float64), param.dtype)
    return param


def _fill(tensor: torch.Tensor, values: np.ndarray) -> None:
    # Cast in NumPy, exactly as the NumPy twin casts, then copy into the tensor's own
    # storage (and device).
    numpy_dtype = np.float32 if tensor.dtype == torch.float32 else np.float64
    with torch.no_grad():
        tensor.copy_(torch.from_numpy(values.astype(numpy_dtype)))
