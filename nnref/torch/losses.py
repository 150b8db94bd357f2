r"""Loss functions in PyTorch, with every gradient taken by autograd.

Each loss returns a 0-d tensor that keeps the autograd history of its input, so
`loss.backward()` works; each `*_grad` asks `torch.autograd.grad` for
$\partial E / \partial(\text{output})$ (or w.r.t. the logits) and returns a detached tensor
of the shape of its first argument. Output and target must have the same shape and dtype
(nothing is broadcast) and be finite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from nnref._validate import (
    check_finite,
    check_logits_shape,
    check_not_empty,
    check_reduction,
    check_reduction_for_grad,
    check_same_dtype,
    check_same_shape,
)
from nnref.torch._validate import as_float_tensor, as_label_tensor

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "half_squared_error",
    "half_squared_error_grad",
    "mse_loss",
    "mse_loss_grad",
]


def _output_and_target(output: Any, target: Any) -> tuple[torch.Tensor, torch.Tensor]:
    output = as_float_tensor(output, "output")
    target = as_float_tensor(target, "target")
    check_same_dtype(output.dtype, target.dtype, "output", "target")
    check_same_shape(tuple(output.shape), tuple(target.shape), "output", "target")
    check_finite(bool(torch.isfinite(output).all()), "output")
    check_finite(bool(torch.isfinite(target).all()), "target")
    return output, target


def _logits_and_labels(logits: Any, labels: Any) -> tuple[torch.Tensor, torch.Tensor, bool]:
    # As a batch of (n_samples, n_classes) and (n_samples,); True if one unbatched sample.
    logits = as_float_tensor(logits, "logits")
    check_logits_shape(tuple(logits.shape))
    check_finite(bool(torch.isfinite(logits).all()), "logits")
    if logits.dim() == 1:
        labels = as_label_tensor(labels, None, logits.shape[0])
        return logits.reshape(1, -1), labels.reshape(1), True
    n_samples, n_classes = logits.shape
    return logits, as_label_tensor(labels, n_samples, n_classes), False


def _gradient(
    loss: Callable[..., torch.Tensor],
    first: Any,
    second: Any,
    first_name: str,
    **reduction: str,
) -> torch.Tensor:
    # Differentiate w.r.t. a detached copy of the first argument only: the caller's tensors
    # and their .grad stay untouched. The loss itself checks both arguments.
    leaf = as_float_tensor(first, first_name).detach().requires_grad_(True)
    if isinstance(second, torch.Tensor):
        second = second.detach()
    with torch.enable_grad():
        (dE_dfirst,) = torch.autograd.grad(loss(leaf, second, **reduction), leaf)
    return dE_dfirst.detach()


def half_squared_error(output: Any, target: Any) -> torch.Tensor:
    r"""Half the sum of squared errors, $E = \frac{1}{2} \sum (\text{target} - \text{output})^2$.

    The error of the study note's worked example; it sums over every entry.

    Args:
        output: Network output of any shape `(...)`. Integer input becomes float64.
        target: Target of the same shape and dtype.

    Returns:
        $E$ as a 0-d tensor of the input dtype.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ or an input holds NaN or infinity.

    Examples:
        >>> import torch
        >>> from nnref.torch import half_squared_error
        >>> output = torch.tensor([0.75, 0.77], dtype=torch.float64)
        >>> print(half_squared_error(output, torch.tensor([0.01, 0.99], dtype=torch.float64)))
        tensor(0.2980, dtype=torch.float64)
    """
    output, target = _output_and_target(output, target)
    return 0.5 * torch.sum((output - target) ** 2)


def half_squared_error_grad(output: Any, target: Any) -> torch.Tensor:
    r"""Gradient of `half_squared_error` w.r.t. the output, by autograd; equals $o - t$.

    Args:
        output: Network output of any shape `(...)`. Integer input becomes float64.
        target: Target of the same shape and dtype.

    Returns:
        Detached tensor of the shape and dtype of `output`.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ or an input holds NaN or infinity.

    Examples:
        >>> import torch
        >>> from nnref.torch import half_squared_error_grad
        >>> print(half_squared_error_grad(torch.tensor([0.75, 0.77]), torch.tensor([0.01, 0.99])))
        tensor([ 0.7400, -0.2200])
    """
    return _gradient(half_squared_error, output, target, "output")


def mse_loss(output: Any, target: Any, *, reduction: str = "mean") -> torch.Tensor:
    r"""Mean squared error over every entry: `torch.nn.functional.mse_loss` with checks.

    $\frac{1}{N} \sum (\text{output} - \text{target})^2$, i.e. $\frac{2}{N}$ times
    `half_squared_error` for $N$ entries (and the sum twice it).

    Args:
        output: Network output of any shape `(...)`, not empty. Integer input becomes float64.
        target: Target of the same shape and dtype.
        reduction: `"mean"` (default, as in PyTorch), `"sum"`, or `"none"` for the squared
            error of every entry.

    Returns:
        The loss as a 0-d tensor of the input dtype (with `"none"`, of the input's shape).

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ, the input is empty or holds NaN or infinity, or
            `reduction` is not one of the three.

    Examples:
        >>> import torch
        >>> from nnref.torch import mse_loss
        >>> print(mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0])))
        tensor(2.)
    """
    reduction = check_reduction(reduction)
    output, target = _output_and_target(output, target)
    check_not_empty(output.numel(), "output")
    return torch.nn.functional.mse_loss(output, target, reduction=reduction)


def mse_loss_grad(output: Any, target: Any, *, reduction: str = "mean") -> torch.Tensor:
    r"""Gradient of `mse_loss` w.r.t. the output, by autograd; equals $\frac{2}{N}(o - t)$
    ($2(o - t)$ for the sum).

    Args:
        output: Network output of any shape `(...)`, not empty. Integer input becomes float64.
        target: Target of the same shape and dtype.
        reduction: `"mean"` (default) or `"sum"`; `"none"` has no single gradient and
            raises `ValueError`.

    Returns:
        Detached tensor of the shape and dtype of `output`.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ, the input is empty or holds NaN or infinity, or
            `reduction` is not `"mean"` or `"sum"`.

    Examples:
        >>> import torch
        >>> from nnref.torch import mse_loss_grad
        >>> print(mse_loss_grad(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0])))
        tensor([ 0., -2.])
    """
    return _gradient(
        mse_loss, output, target, "output", reduction=check_reduction_for_grad(reduction)
    )


def cross_entropy(logits: Any, labels: Any, *, reduction: str = "mean") -> torch.Tensor:
    r"""Softmax cross-entropy, averaged over the batch (by default), via `torch.log_softmax`.

    For sample $n$ with logits $z$ and class $y$ the loss is
    $-\log \operatorname{softmax}(z)_y$; the log-softmax never forms $\log 0$, so large
    logits ($\pm 10^4$) stay finite. Equals `torch.nn.functional.cross_entropy`.

    Args:
        logits: Unnormalised scores of shape `(n_samples, n_classes)`, or `(n_classes,)` for
            one unbatched sample, as in PyTorch. Integer input becomes float64.
        labels: Integer class indices of shape `(n_samples,)`, each in `[0, n_classes)` (one
            index, shape `()`, for 1-D logits).
        reduction: `"mean"` (default, as in PyTorch), `"sum"`, or `"none"` for one loss per
            sample.

    Returns:
        The mean (or summed) loss as a 0-d tensor of the logits' dtype; with `"none"`, of
        shape `(n_samples,)` (shape `()` for 1-D logits).

    Raises:
        TypeError: If `logits` or `labels` have an unsupported dtype (bool, complex, ...).
        ValueError: If `logits` is not 1-D or 2-D or not finite, the labels are not
            integers, have the wrong shape or lie outside `[0, n_classes)`, or `reduction`
            is not one of the three.

    Examples:
        >>> import torch
        >>> from nnref.torch import cross_entropy
        >>> logits = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
        >>> print(f"{cross_entropy(logits, torch.tensor([0, 0])).item():.4f}")
        1.1269
    """
    reduction = check_reduction(reduction)
    logits, labels, unbatched = _logits_and_labels(logits, labels)
    log_probs = torch.log_softmax(logits, dim=1)
    # Negate before reducing: -mean(0.0) would print as -0.0 for a perfect prediction.
    losses = -log_probs[torch.arange(logits.shape[0]), labels]
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses.reshape(()) if unbatched else losses


def cross_entropy_grad(logits: Any, labels: Any, *, reduction: str = "mean") -> torch.Tensor:
    r"""Gradient of `cross_entropy` w.r.t. the logits, by autograd.

    Autograd reproduces $\frac{1}{n}(\operatorname{softmax}(z) - \operatorname{onehot}(y))$,
    without the $\frac{1}{n}$ for `reduction="sum"`.

    Args:
        logits: Unnormalised scores of shape `(n_samples, n_classes)`, or `(n_classes,)` for
            one unbatched sample, as in PyTorch. Integer input becomes float64.
        labels: Integer class indices of shape `(n_samples,)`, each in `[0, n_classes)` (one
            index, shape `()`, for 1-D logits).
        reduction: `"mean"` (default) or `"sum"`; `"none"` has no single gradient and
            raises `ValueError`.

    Returns:
        Detached tensor of the logits' shape and dtype.

    Raises:
        TypeError: If `logits` or `labels` have an unsupported dtype (bool, complex, ...).
        ValueError: If `logits` is not 1-D or 2-D or not finite, the labels are not
            integers, have the wrong shape or lie outside `[0, n_classes)`, or `reduction`
            is not one of the three (or, for the gradient, is `"none"`).

    Examples:
        >>> import torch
        >>> from nnref.torch import cross_entropy_grad
        >>> print(cross_entropy_grad(torch.tensor([[0.0, 0.0]]), torch.tensor([1])))
        tensor([[ 0.5000, -0.5000]])
    """
    return _gradient(
        cross_entropy, logits, labels, "logits", reduction=check_reduction_for_grad(reduction)
    )
