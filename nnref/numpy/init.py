r"""Parameter initialisation in NumPy, with `torch.nn.init`'s formulas and names.

Each function fills a `Parameter` (or a float NumPy array) *in place*, keeps its dtype and
returns it, like its namesake in `torch.nn.init`, whose arguments it takes.

How the scale is chosen. A weight of shape `(out, in)` has
$\text{fan\_in} = \text{in}$ inputs and $\text{fan\_out} = \text{out}$ outputs per unit;
a weight with more dimensions, `(out, in, k1, k2, ...)`, multiplies both by the
receptive-field size $k_1 k_2 \cdots$, as PyTorch does. Then

* Xavier/Glorot (Glorot & Bengio, 2010) compromises between keeping the variance of the
  signal forwards ($\text{fan\_in}$) and of the gradients backwards ($\text{fan\_out}$)
  from layer to layer: $\text{std} = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$;
* Kaiming/He (He et al., 2015) makes up for ReLU setting about half its inputs to zero:
  $\text{std} = \text{gain}/\sqrt{\text{fan}}$, with fan the fan that `mode` names;

and the `*_uniform_` variants draw from $U(-a, a)$ with $a = \sqrt{3}\,\text{std}$ (the
uniform distribution on $[-a, a]$ has standard deviation $a/\sqrt{3}$), the `*_normal_`
variants from $N(0, \text{std}^2)$. `calculate_gain` gives the recommended gain of each
nonlinearity.

Randomness. `seed` is an int, a `numpy.random.Generator` or `None` (fresh randomness), and
the values are drawn with `np.random.default_rng(seed)` in float64, then cast to the
parameter's dtype. `nnref.torch` draws the same way whenever a seed is given, so the same
seed fills bit-identical values in both twins.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from nnref import _init as _shared
from nnref.numpy.layers import Parameter

__all__ = [
    "calculate_gain",
    "kaiming_normal_",
    "kaiming_uniform_",
    "xavier_normal_",
    "xavier_uniform_",
]

ParameterT = TypeVar("ParameterT", Parameter, np.ndarray)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for a nonlinearity, as in `torch.nn.init.calculate_gain`.

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
        >>> from nnref.numpy import calculate_gain
        >>> print(calculate_gain("tanh"), calculate_gain("relu"))
        1.6666666666666667 1.4142135623730951
        >>> print(calculate_gain("leaky_relu", 0.2))
        1.3867504905630728
    """
    return _shared.gain(nonlinearity, param)


def xavier_uniform_(
    param: ParameterT, gain: float = 1.0, *, seed: int | np.random.Generator | None = None
) -> ParameterT:
    r"""Fill `param` in place with Xavier/Glorot uniform values, from $U(-a, a)$.

    $a = \text{gain}\sqrt{6/(\text{fan\_in} + \text{fan\_out})}$, so the values have
    standard deviation $\text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$.

    Args:
        param: A `Parameter` or a float32/float64 array with at least 2 dimensions, e.g. a
            weight of shape `(out_features, in_features)`.
        gain: A scale factor $\ge 0$, e.g. `calculate_gain("tanh")`.
        seed: An int, a `numpy.random.Generator`, or `None` for fresh randomness.

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is neither a `Parameter` nor an array, its dtype is not
            float32/float64, or `gain` or `seed` has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions or `gain` is negative or not
            finite.

    Examples:
        >>> import math
        >>> import numpy as np
        >>> from nnref.numpy import Parameter, xavier_uniform_
        >>> w = Parameter(np.zeros((2, 3)))
        >>> xavier_uniform_(w, seed=0) is w
        True
        >>> print(w.data.round(4))
        [[ 0.3001 -0.5044 -1.0057]
         [-1.0592  0.6863  0.9043]]
        >>> bool(np.abs(w.data).max() <= math.sqrt(6 / (3 + 2)))
        True
    """
    array = _target(param, "xavier_uniform_")
    std = _shared._xavier_std(array.shape, gain, "xavier_uniform_")
    _fill(array, _shared._draw("uniform", std, array.shape, _shared._check_seed(seed)))
    return param


def xavier_normal_(
    param: ParameterT, gain: float = 1.0, *, seed: int | np.random.Generator | None = None
) -> ParameterT:
    r"""Fill `param` in place with Xavier/Glorot normal values, from $N(0, \text{std}^2)$.

    $\text{std} = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$.

    Args:
        param: A `Parameter` or a float32/float64 array with at least 2 dimensions, e.g. a
            weight of shape `(out_features, in_features)`.
        gain: A scale factor $\ge 0$, e.g. `calculate_gain("tanh")`.
        seed: An int, a `numpy.random.Generator`, or `None` for fresh randomness.

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is neither a `Parameter` nor an array, its dtype is not
            float32/float64, or `gain` or `seed` has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions or `gain` is negative or not
            finite.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import Parameter, xavier_normal_
        >>> w = xavier_normal_(Parameter(np.zeros((200, 300))), seed=0)
        >>> print(f"{w.data.std():.4f} vs {np.sqrt(2 / (300 + 200)):.4f}")
        0.0633 vs 0.0632
    """
    array = _target(param, "xavier_normal_")
    std = _shared._xavier_std(array.shape, gain, "xavier_normal_")
    _fill(array, _shared._draw("normal", std, array.shape, _shared._check_seed(seed)))
    return param


def kaiming_uniform_(
    param: ParameterT,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    seed: int | np.random.Generator | None = None,
) -> ParameterT:
    r"""Fill `param` in place with Kaiming/He uniform values, from $U(-b, b)$.

    $b = \text{gain}\sqrt{3/\text{fan}}$, where fan is `mode`'s fan and the gain is
    `calculate_gain(nonlinearity, a)`. With the defaults (`leaky_relu` of slope $a = 0$, which
    is ReLU) the gain is $\sqrt{2}$, so $b = \sqrt{6/\text{fan\_in}}$.

    Args:
        param: A `Parameter` or a float32/float64 array with at least 2 dimensions, e.g. a
            weight of shape `(out_features, in_features)`.
        a: The negative slope of `leaky_relu` (ignored for other nonlinearities).
        mode: `"fan_in"` (default) keeps the variance of the forward signal, `"fan_out"`
            that of the backward gradients.
        nonlinearity: A name accepted by `calculate_gain`.
        seed: An int, a `numpy.random.Generator`, or `None` for fresh randomness.

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is neither a `Parameter` nor an array, its dtype is not
            float32/float64, or another argument has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions, `mode` is not `"fan_in"` or
            `"fan_out"`, or `nonlinearity` is unknown.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import Parameter, kaiming_uniform_
        >>> w = kaiming_uniform_(Parameter(np.zeros((2, 3), dtype=np.float32)), seed=0)
        >>> print(w.data.round(4), w.dtype)
        [[ 0.3874 -0.6511 -1.2983]
         [-1.3675  0.8861  1.1674]] float32
    """
    array = _target(param, "kaiming_uniform_")
    std = _shared._kaiming_std(array.shape, a, mode, nonlinearity, "kaiming_uniform_")
    _fill(array, _shared._draw("uniform", std, array.shape, _shared._check_seed(seed)))
    return param


def kaiming_normal_(
    param: ParameterT,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    seed: int | np.random.Generator | None = None,
) -> ParameterT:
    r"""Fill `param` in place with Kaiming/He normal values, from $N(0, \text{std}^2)$.

    $\text{std} = \text{gain}/\sqrt{\text{fan}}$, where fan is `mode`'s fan and the gain is
    `calculate_gain(nonlinearity, a)`. With the defaults (`leaky_relu` of slope $a = 0$, which
    is ReLU) the gain is $\sqrt{2}$, so $\text{std} = \sqrt{2/\text{fan\_in}}$.

    Args:
        param: A `Parameter` or a float32/float64 array with at least 2 dimensions, e.g. a
            weight of shape `(out_features, in_features)`.
        a: The negative slope of `leaky_relu` (ignored for other nonlinearities).
        mode: `"fan_in"` (default) keeps the variance of the forward signal, `"fan_out"`
            that of the backward gradients.
        nonlinearity: A name accepted by `calculate_gain`.
        seed: An int, a `numpy.random.Generator`, or `None` for fresh randomness.

    Returns:
        `param` itself, with its values replaced and its dtype kept.

    Raises:
        TypeError: If `param` is neither a `Parameter` nor an array, its dtype is not
            float32/float64, or another argument has the wrong type.
        ValueError: If `param` has fewer than 2 dimensions, `mode` is not `"fan_in"` or
            `"fan_out"`, or `nonlinearity` is unknown.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import Parameter, kaiming_normal_
        >>> w = Parameter(np.zeros((300, 200)))
        >>> _ = kaiming_normal_(w, mode="fan_out", nonlinearity="relu", seed=0)
        >>> print(f"{w.data.std():.4f} vs {np.sqrt(2 / 300):.4f}")
        0.0817 vs 0.0816
    """
    array = _target(param, "kaiming_normal_")
    std = _shared._kaiming_std(array.shape, a, mode, nonlinearity, "kaiming_normal_")
    _fill(array, _shared._draw("normal", std, array.shape, _shared._check_seed(seed)))
    return param


def _target(param: object, function: str) -> np.ndarray:
    """The array that `function` fills: `param.data` of a `Parameter`, or `param` itself."""
    array = param.data if isinstance(param, Parameter) else param
    if not isinstance(array, np.ndarray):
        raise TypeError(
            f"{function} expects an nnref.numpy.Parameter or a NumPy array; "
            f"got {type(param).__name__}"
        )
    _shared._check_fill_dtype(
        array.dtype.kind == "f" and array.dtype.itemsize in (4, 8), array.dtype
    )
    return array


def _fill(array: np.ndarray, values: np.ndarray) -> None:
    # In place: the caller's array (and every view of it) sees the new values.
    array[...] = values.astype(array.dtype)
