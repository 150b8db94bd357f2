r"""Activation functions and their derivatives, derived by hand with NumPy.

Every function accepts an array-like. float32 stays float32 and float64 stays float64;
integer input is converted to float64; bool, complex, object and string input raises
`TypeError`. The forward passes are written in numerically stable forms, so inputs as large
as $\pm 10^4$ give finite results without overflow warnings.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nnref._validate import as_float_array, check_not_empty_axis, normalize_axis

__all__ = [
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "tanh",
    "tanh_grad",
]


def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Logistic sigmoid $\sigma(x) = \frac{1}{1 + e^{-x}}$, element-wise.

    Evaluated in a stable form: with $e = e^{-|x|} \in (0, 1]$,
    $\sigma(x) = \frac{1}{1 + e}$ for $x \ge 0$ and $\sigma(x) = \frac{e}{1 + e}$ for
    $x < 0$, so no exponential can overflow.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x` with values in $(0, 1)$ (exactly 0 or 1 only
        where the float format runs out of digits, e.g. at $\pm 10^4$).

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import sigmoid
        >>> print(np.round(sigmoid([-1.0, 0.0, 1.0]), 4))
        [0.2689 0.5    0.7311]
    """
    x = as_float_array(x)
    # e = exp(-|x|) lies in (0, 1]; it (and e / (1 + e)) may underflow to 0 for large |x|,
    # which is the correctly rounded answer, not an error.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the sigmoid, $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$, element-wise.

    Its largest value is $0.25$, at $x = 0$.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x` with values in $[0, 0.25]$.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> from nnref.numpy import sigmoid_grad
        >>> print(sigmoid_grad([0.0, 2.0]).round(4))
        [0.25  0.105]
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: ArrayLike) -> np.ndarray:
    r"""Hyperbolic tangent $\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}$, element-wise.

    Zero-centred, with $\tanh(x) = 2\sigma(2x) - 1$.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x` with values in $(-1, 1)$ (exactly $\pm 1$ where
        the float format runs out of digits).

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> from nnref.numpy import tanh
        >>> print(tanh([-1.0, 0.0, 1.0]).round(4))
        [-0.7616  0.      0.7616]
    """
    # np.tanh saturates to +-1 without overflowing, unlike the textbook quotient.
    return np.tanh(as_float_array(x))


def tanh_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of tanh, $\tanh'(x) = 1 - \tanh^2(x)$, element-wise.

    Its largest value is $1$, at $x = 0$.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x` with values in $[0, 1]$.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> from nnref.numpy import tanh_grad
        >>> print(tanh_grad([0.0, 1.0]).round(4))
        [1.   0.42]
    """
    t = tanh(x)
    return 1.0 - t * t


def relu(x: ArrayLike) -> np.ndarray:
    r"""Rectified linear unit $\operatorname{ReLU}(x) = \max(0, x)$, element-wise.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x`: positive entries pass, the rest become 0.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> from nnref.numpy import relu
        >>> print(relu([-2.0, 0.0, 3.0]))
        [0. 0. 3.]
    """
    return np.maximum(as_float_array(x), 0.0)


def relu_grad(x: ArrayLike) -> np.ndarray:
    r"""Derivative of ReLU: $1$ where $x > 0$, else $0$, element-wise.

    At exactly $x = 0$, where ReLU has no derivative, the value is $0$, as in PyTorch.

    Args:
        x: Input of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Array of the shape and dtype of `x` holding 0.0 and 1.0.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.

    Examples:
        >>> from nnref.numpy import relu_grad
        >>> print(relu_grad([-2.0, 0.0, 3.0]))
        [0. 0. 1.]
    """
    x = as_float_array(x)
    return (x > 0).astype(x.dtype)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax $\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$ along `axis`.

    The maximum along `axis` is subtracted first: this changes nothing mathematically
    (softmax ignores a constant shift) but keeps every exponent $\le 0$, so nothing
    overflows.

    Args:
        x: Logits of shape `(..., n)` (or any shape, with `axis` pointing at the classes).
            Integer input is converted to float64.
        axis: The axis that sums to one.

    Returns:
        Array of the shape and dtype of `x`, entries in $[0, 1]$ summing to 1 along `axis`.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype, or `axis` is not an int.
        ValueError: If `x` is 0-d, `axis` is out of range, or the axis has length 0.

    Examples:
        >>> from nnref.numpy import softmax
        >>> print(softmax([1.0, 2.0, 3.0]).round(4))
        [0.09   0.2447 0.6652]
    """
    x = as_float_array(x)
    axis = normalize_axis(axis, x.shape)
    check_not_empty_axis(x.shape, axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    # Tiny probabilities may underflow to 0; NaN/inf input gives NaN as in PyTorch.
    with np.errstate(under="ignore", invalid="ignore"):
        e = np.exp(shifted)
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x: ArrayLike) -> np.ndarray:
    r"""Jacobian of the softmax over the last axis, one matrix per row of `x`.

    With $s = \operatorname{softmax}(x)$,
    $J_{ij} = \frac{\partial s_i}{\partial x_j} = s_i (\delta_{ij} - s_j)$,
    i.e. $J = \operatorname{diag}(s) - s s^\top$.

    Args:
        x: Logits of shape `(..., n)`. Integer input is converted to float64.

    Returns:
        Array of shape `(..., n, n)` and the dtype of `x`.

    Raises:
        TypeError: If `x` has a bool, complex, object or string dtype.
        ValueError: If `x` is 0-d or its last axis has length 0.

    Examples:
        >>> from nnref.numpy import softmax_jacobian
        >>> print(softmax_jacobian([0.0, 0.0]))
        [[ 0.25 -0.25]
         [-0.25  0.25]]
    """
    s = softmax(x, axis=-1)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    # J[..., i, j] = s_i * (delta_ij - s_j)
    return s[..., :, None] * (eye - s[..., None, :])
