"""What both twins' `init` modules share: fans, gains, scales, argument checks and the
seeded draw, on shapes, numbers and float64 NumPy arrays only (no PyTorch).

Both twins compute the same scale by the expressions `torch.nn.init` uses, draw the same
values from NumPy's generator for a given seed, and reject the same arguments with the same
messages.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from nnref._validate import dtype_name

# torch.nn.init.calculate_gain's table, in its order; the gains are computed by the same
# expressions as PyTorch's, so they agree to the last bit.
_LINEAR_NAMES = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
_NONLINEARITIES = (*_LINEAR_NAMES, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
_MODES = ("fan_in", "fan_out")
_DEFAULT_NEGATIVE_SLOPE = 0.01  # of leaky_relu when calculate_gain gets no param


def gain(nonlinearity: str, param: float | None = None) -> float:
    """`calculate_gain` of both twins (documented there)."""
    if not isinstance(nonlinearity, str):
        raise TypeError(
            f"nonlinearity must be a string such as 'relu'; got {type(nonlinearity).__name__}"
        )
    if nonlinearity in _LINEAR_NAMES or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = (
            _DEFAULT_NEGATIVE_SLOPE
            if param is None
            else _check_real(param, "param (the negative slope of leaky_relu)")
        )
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"nonlinearity must be one of {', '.join(map(repr, _NONLINEARITIES))}; got {nonlinearity!r}"
    )


def _check_fill_dtype(supported: bool, dtype: object) -> None:
    # Filled in place, so nothing can be converted: only float32 and float64 are accepted.
    if not supported:
        raise TypeError(
            f"param must have dtype float32 or float64 (it is filled in place); "
            f"got dtype {dtype_name(dtype)}"
        )


def _fan_in_and_fan_out(shape: tuple[int, ...], function: str) -> tuple[int, int]:
    # As torch.nn.init computes them: (out, in, k1, k2, ...) has fan_in = in * k1 * k2 ...
    # and fan_out = out * k1 * k2 ...
    if len(shape) < 2:
        raise ValueError(
            f"{function} needs a parameter with at least 2 dimensions, (out, in, ...), to "
            f"compute fan_in and fan_out; got shape {tuple(shape)}"
        )
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def _check_real(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return float(value)


def _check_gain(gain: object) -> float:
    gain = _check_real(gain, "gain")
    if gain < 0:
        raise ValueError(f"gain must be >= 0; got {gain}")
    return gain


def _check_mode(mode: object) -> str:
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"mode must be 'fan_in' or 'fan_out'; got {mode!r}")
    return mode


def _check_seed(seed: object) -> int | np.random.Generator | None:
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or None; got {type(seed).__name__}"
        )
    return int(seed)


def _xavier_std(shape: tuple[int, ...], gain: object, function: str) -> float:
    # gain * sqrt(2 / (fan_in + fan_out)), written as torch.nn.init writes it.
    fan_in, fan_out = _fan_in_and_fan_out(shape, function)
    gain = _check_gain(gain)
    if fan_in + fan_out == 0:  # an empty parameter: there is nothing to fill
        return 0.0
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def _kaiming_std(
    shape: tuple[int, ...], a: object, mode: object, nonlinearity: object, function: str
) -> float:
    # gain / sqrt(fan) with the gain of the nonlinearity, written as torch.nn.init writes it.
    fan_in, fan_out = _fan_in_and_fan_out(shape, function)
    a = _check_real(a, "a")
    fan = fan_in if _check_mode(mode) == "fan_in" else fan_out
    gain_ = gain(nonlinearity, a)  # type: ignore[arg-type]
    if fan == 0:  # an empty parameter: there is nothing to fill
        return 0.0
    return gain_ / math.sqrt(fan)


def _draw(
    distribution: str, std: float, shape: tuple[int, ...], seed: int | np.random.Generator | None
) -> np.ndarray:
    # float64 values of standard deviation std: uniform on [-sqrt(3) std, sqrt(3) std], the
    # bound torch.nn.init computes, or normal around 0.
    rng = np.random.default_rng(seed)
    if distribution == "uniform":
        bound = math.sqrt(3.0) * std
        return rng.uniform(-bound, bound, size=shape)
    return rng.normal(0.0, std, size=shape)


def initial_linear(
    in_features: int, out_features: int, bias: bool, seed: int | np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """`Linear`'s initial weight and bias in float64, drawn as both twins draw them.

    Both come from one NumPy generator, weight first: uniform on $[-1/\\sqrt{\\text{in}},
    1/\\sqrt{\\text{in}}]$, the range of PyTorch's default. The torch twin copies them, so
    one seed gives both twins the same bits.
    """
    rng = np.random.default_rng(_check_seed(seed))
    bound = 1.0 / math.sqrt(in_features)
    weight = rng.uniform(-bound, bound, size=(out_features, in_features))
    return weight, (rng.uniform(-bound, bound, size=out_features) if bias else None)
