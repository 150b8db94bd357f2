r"""Finite-difference tools for checking gradients, NumPy only.

A hand-derived gradient is trustworthy once it matches the slope measured by nudging each
input. The central difference

$$\frac{\partial f}{\partial x_i} \approx
\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}$$

is accurate to $O(\varepsilon^2)$, and `relative_error` says how close two gradients are
independently of their scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnref._validate import as_float_array, check_same_shape

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(
    f: Callable[[np.ndarray], Any], x: ArrayLike, eps: float = 1e-6
) -> np.ndarray:
    r"""Gradient of a scalar function by central differences.

    Entry $i$ is $\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}$. The
    function is called $2 \times$ `x.size` times on a float64 working copy of `x`, so `x`
    itself is never modified (and `f` must not keep a reference to its argument).

    Args:
        f: Function of one array of `x`'s shape, returning a scalar (a Python or NumPy
            number, a 0-d array, or anything else `float()` accepts with `ndim` 0).
        x: The point, of any shape `(...)`. Evaluated in float64 whatever its dtype.
        eps: The step $\varepsilon > 0$.

    Returns:
        float64 array of the shape of `x`.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.
        ValueError: If `eps` is not a positive finite number or `f` returns a non-scalar.

    Examples:
        >>> import numpy as np
        >>> from nnref.gradcheck import numerical_gradient
        >>> grad = numerical_gradient(lambda x: np.sum(x ** 3), np.array([1.0, 2.0]))
        >>> print(np.round(grad, 6))
        [ 3. 12.]
    """
    if not (isinstance(eps, (int, float)) and math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number; got {eps!r}")
    point = np.array(as_float_array(x, "x"), dtype=np.float64, copy=True)
    gradient = np.empty_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = _scalar(f(point))
        point[index] = original - eps
        f_minus = _scalar(f(point))
        point[index] = original
        gradient[index] = (f_plus - f_minus) / (2.0 * eps)
    return gradient


def _scalar(value: Any) -> float:
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a scalar; got shape {np.shape(value)}")
    return float(value)


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""Scale-free distance between two gradients: $\frac{\max |a - b|}{\max(|a| + |b|)}$.

    The denominator is floored at the smallest positive float64, so two zero arrays give
    0.0 rather than a division by zero. Values near $10^{-16}$ mean agreement to rounding;
    central differences typically reach $10^{-8}$ to $10^{-10}$.

    Args:
        a: An array of any shape `(...)`.
        b: An array of the same shape.

    Returns:
        The relative error as a Python float (0.0 for empty arrays).

    Raises:
        TypeError: If an input has a bool, complex, object or string dtype.
        ValueError: If the shapes differ.

    Examples:
        >>> from nnref.gradcheck import relative_error
        >>> print(f"{relative_error([1.0, 2.0], [1.0, 2.5]):.4f}")
        0.1111
    """
    a = as_float_array(a, "a").astype(np.float64)
    b = as_float_array(b, "b").astype(np.float64)
    check_same_shape(a.shape, b.shape, "a", "b")
    if a.size == 0:
        return 0.0
    numerator = np.max(np.abs(a - b))
    denominator = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(numerator / denominator)
