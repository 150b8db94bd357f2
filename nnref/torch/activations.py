r"""Activation functions in PyTorch, with every derivative taken by autograd.

The forward passes are PyTorch operations, so they keep the autograd history of their input.
The `*_grad` functions and `softmax_jacobian` never write a derivative by hand: they ask
autograd (`torch.autograd.grad`, `torch.func.jacrev`) and return detached tensors, which the
tests compare with the hand-derived NumPy twin.

Tensors of dtype float32 and float64 keep their dtype; integer tensors become float64; bool,
complex and other float widths raise `TypeError`. Array-likes are converted like the NumPy
twin converts them (a list of Python floats becomes float64).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from nnref._validate import check_not_empty_axis, normalize_axis
from nnref.torch._validate import as_float_tensor

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


def _elementwise_derivative(
    function: Callable[[torch.Tensor], torch.Tensor], x: Any
) -> torch.Tensor:
    # For y = f(x) applied element by element the Jacobian is diagonal, so the
    # vector-Jacobian product with a vector of ones is exactly f'(x), entry by entry.
    leaf = as_float_tensor(x).detach().requires_grad_(True)
    with torch.enable_grad():
        y = function(leaf)
        (dy_dx,) = torch.autograd.grad(y, leaf, grad_outputs=torch.ones_like(y))
    return dy_dx.detach()


def sigmoid(x: Any) -> torch.Tensor:
    r"""Logistic sigmoid $\sigma(x) = \frac{1}{1 + e^{-x}}$, element-wise (`torch.sigmoid`).

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Tensor of the shape and dtype of `x` with values in $(0, 1)$ (exactly 0 or 1 only
        where the float format runs out of digits, e.g. at $\pm 10^4$).

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import sigmoid
        >>> print(sigmoid(torch.tensor([-1.0, 0.0, 1.0])))
        tensor([0.2689, 0.5000, 0.7311])
    """
    return torch.sigmoid(as_float_tensor(x))


def sigmoid_grad(x: Any) -> torch.Tensor:
    r"""Derivative of the sigmoid, $\sigma'(x)$, element-wise, computed by autograd.

    Autograd reproduces $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$, at most $0.25$ (at $x = 0$).

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Detached tensor of the shape and dtype of `x`.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import sigmoid_grad
        >>> print(sigmoid_grad(torch.tensor([0.0, 2.0])))
        tensor([0.2500, 0.1050])
    """
    return _elementwise_derivative(sigmoid, x)


def tanh(x: Any) -> torch.Tensor:
    r"""Hyperbolic tangent, element-wise (`torch.tanh`); $\tanh(x) = 2\sigma(2x) - 1$.

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Tensor of the shape and dtype of `x` with values in $(-1, 1)$.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import tanh
        >>> print(tanh(torch.tensor([-1.0, 0.0, 1.0])))
        tensor([-0.7616,  0.0000,  0.7616])
    """
    return torch.tanh(as_float_tensor(x))


def tanh_grad(x: Any) -> torch.Tensor:
    r"""Derivative of tanh, element-wise, computed by autograd.

    Autograd reproduces $\tanh'(x) = 1 - \tanh^2(x)$, at most $1$ (at $x = 0$).

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Detached tensor of the shape and dtype of `x`.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import tanh_grad
        >>> print(tanh_grad(torch.tensor([0.0, 1.0])))
        tensor([1.0000, 0.4200])
    """
    return _elementwise_derivative(tanh, x)


def relu(x: Any) -> torch.Tensor:
    r"""Rectified linear unit $\max(0, x)$, element-wise (`torch.relu`).

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Tensor of the shape and dtype of `x`.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import relu
        >>> print(relu(torch.tensor([-2.0, 0.0, 3.0])))
        tensor([0., 0., 3.])
    """
    return torch.relu(as_float_tensor(x))


def relu_grad(x: Any) -> torch.Tensor:
    r"""Derivative of ReLU, element-wise, computed by autograd: 1 where $x > 0$, else 0.

    At exactly $x = 0$ autograd uses $0$.

    Args:
        x: Tensor of any shape `(...)`. Integer input is converted to float64.

    Returns:
        Detached tensor of the shape and dtype of `x` holding 0.0 and 1.0.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.

    Examples:
        >>> import torch
        >>> from nnref.torch import relu_grad
        >>> print(relu_grad(torch.tensor([-2.0, 0.0, 3.0])))
        tensor([0., 0., 1.])
    """
    return _elementwise_derivative(relu, x)


def softmax(x: Any, axis: int = -1) -> torch.Tensor:
    r"""Softmax $\frac{e^{z_i}}{\sum_j e^{z_j}}$ along `axis` (`torch.softmax`).

    PyTorch subtracts the maximum internally, so large logits ($\pm 10^4$) do not overflow.

    Args:
        x: Logits of shape `(..., n)` (or any shape, with `axis` pointing at the classes).
            Integer input is converted to float64.
        axis: The axis that sums to one (PyTorch's `dim`).

    Returns:
        Tensor of the shape and dtype of `x`, summing to 1 along `axis`.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype, or `axis` is not
            an int.
        ValueError: If `x` is 0-d, `axis` is out of range, or the axis has length 0.

    Examples:
        >>> import torch
        >>> from nnref.torch import softmax
        >>> print(softmax(torch.tensor([1.0, 2.0, 3.0])))
        tensor([0.0900, 0.2447, 0.6652])
    """
    x = as_float_tensor(x)
    axis = normalize_axis(axis, tuple(x.shape))
    check_not_empty_axis(tuple(x.shape), axis)
    return torch.softmax(x, dim=axis)


def softmax_jacobian(x: Any) -> torch.Tensor:
    r"""Jacobian of the softmax over the last axis, computed by autograd.

    Entry $(i, j)$ is $\partial s_i / \partial x_j$, which autograd finds equal to
    $s_i(\delta_{ij} - s_j)$. Row $i$ is the gradient of $s_i$: one `torch.autograd.grad`
    call with the unit vector $e_i$ as `grad_outputs`, for every sample at once (the samples
    do not interact).

    Args:
        x: Logits of shape `(..., n)`. Integer input is converted to float64.

    Returns:
        Detached tensor of shape `(..., n, n)` and the dtype of `x`.

    Raises:
        TypeError: If `x` has a bool, complex or unsupported float dtype.
        ValueError: If `x` is 0-d or its last axis has length 0.

    Examples:
        >>> import torch
        >>> from nnref.torch import softmax_jacobian
        >>> print(softmax_jacobian(torch.tensor([0.0, 0.0])))
        tensor([[ 0.2500, -0.2500],
                [-0.2500,  0.2500]])
    """
    x = as_float_tensor(x)
    axis = normalize_axis(-1, tuple(x.shape))
    check_not_empty_axis(tuple(x.shape), axis)
    n = x.shape[-1]
    leaf = x.detach().requires_grad_(True)
    unit_vectors = torch.eye(n, dtype=x.dtype)
    with torch.enable_grad():
        s = torch.softmax(leaf, dim=-1)
        rows = [
            torch.autograd.grad(s, leaf, grad_outputs=unit.expand_as(s), retain_graph=True)[0]
            for unit in unit_vectors
        ]
    # rows[i][..., j] = ds_i/dx_j: stack the rows along a new second-to-last axis.
    return torch.stack(rows, dim=-2).detach()
