r"""Loss functions and their gradients, derived by hand with NumPy.

Each loss returns a NumPy scalar of the input dtype; each `*_grad` returns
$\partial E / \partial(\text{output})$ (or w.r.t. the logits) with the shape of its first
argument. Output and target must have the same shape and dtype (nothing is broadcast) and
be finite.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nnref._validate import (
    as_float_array,
    as_label_array,
    check_finite,
    check_logits_shape,
    check_not_empty,
    check_reduction,
    check_reduction_for_grad,
    check_same_dtype,
    check_same_shape,
)
from nnref.numpy.activations import softmax

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "half_squared_error",
    "half_squared_error_grad",
    "mse_loss",
    "mse_loss_grad",
]


def _output_and_target(output: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    output = as_float_array(output, "output")
    target = as_float_array(target, "target")
    check_same_dtype(output.dtype, target.dtype, "output", "target")
    check_same_shape(output.shape, target.shape, "output", "target")
    check_finite(bool(np.all(np.isfinite(output))), "output")
    check_finite(bool(np.all(np.isfinite(target))), "target")
    return output, target


def _logits_and_labels(logits: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    # As a batch of (n_samples, n_classes) and (n_samples,); True if one unbatched sample.
    logits = as_float_array(logits, "logits")
    check_logits_shape(logits.shape)
    check_finite(bool(np.all(np.isfinite(logits))), "logits")
    if logits.ndim == 1:
        labels = as_label_array(labels, None, logits.shape[0])
        return logits.reshape(1, -1), labels.reshape(1), True
    n_samples, n_classes = logits.shape
    return logits, as_label_array(labels, n_samples, n_classes), False


def _reduce(losses: np.ndarray, reduction: str, unbatched: bool) -> np.floating | np.ndarray:
    if reduction == "mean":
        return np.mean(losses)
    if reduction == "sum":
        return np.sum(losses)
    return losses.reshape(()) if unbatched else losses


def half_squared_error(output: ArrayLike, target: ArrayLike) -> np.floating:
    r"""Half the sum of squared errors, $E = \frac{1}{2} \sum (\text{target} - \text{output})^2$.

    The error of the study note's worked example. It sums over every entry (all samples and
    all outputs); the $\frac{1}{2}$ cancels the 2 of the derivative.

    Args:
        output: Network output of any shape `(...)`. Integer input becomes float64.
        target: Target of the same shape and dtype.

    Returns:
        $E$ as a NumPy scalar of the input dtype.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ or an input holds NaN or infinity.

    Examples:
        >>> from nnref.numpy import half_squared_error
        >>> print(half_squared_error([0.75, 0.77], [0.01, 0.99]))
        0.298
    """
    output, target = _output_and_target(output, target)
    return 0.5 * np.sum((output - target) ** 2)


def half_squared_error_grad(output: ArrayLike, target: ArrayLike) -> np.ndarray:
    r"""Gradient of `half_squared_error` w.r.t. the output: $\partial E / \partial o = o - t$.

    Args:
        output: Network output of any shape `(...)`. Integer input becomes float64.
        target: Target of the same shape and dtype.

    Returns:
        Array of the shape and dtype of `output`.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ or an input holds NaN or infinity.

    Examples:
        >>> from nnref.numpy import half_squared_error_grad
        >>> print(half_squared_error_grad([0.75, 0.77], [0.01, 0.99]))
        [ 0.74 -0.22]
    """
    output, target = _output_and_target(output, target)
    return output - target


def mse_loss(
    output: ArrayLike, target: ArrayLike, *, reduction: str = "mean"
) -> np.floating | np.ndarray:
    r"""Mean squared error, $\frac{1}{N} \sum (\text{output} - \text{target})^2$.

    $N$ counts every entry, as `torch.nn.functional.mse_loss` does; for $N$ entries the
    mean equals $\frac{2}{N}$ times `half_squared_error`, and the sum twice it.

    Args:
        output: Network output of any shape `(...)`, not empty. Integer input becomes float64.
        target: Target of the same shape and dtype.
        reduction: `"mean"` (default, as in PyTorch), `"sum"`, or `"none"` for the squared
            error of every entry.

    Returns:
        The loss as a NumPy scalar of the input dtype (with `"none"`, an array of the
        input's shape).

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ, the input is empty or holds NaN or infinity, or
            `reduction` is not one of the three.

    Examples:
        >>> from nnref.numpy import mse_loss
        >>> print(mse_loss([1.0, 2.0], [1.0, 4.0]))
        2.0
        >>> print(mse_loss([1.0, 2.0], [1.0, 4.0], reduction="sum"))
        4.0
    """
    reduction = check_reduction(reduction)
    output, target = _output_and_target(output, target)
    check_not_empty(output.size, "output")
    return _reduce((output - target) ** 2, reduction, unbatched=False)


def mse_loss_grad(output: ArrayLike, target: ArrayLike, *, reduction: str = "mean") -> np.ndarray:
    r"""Gradient of `mse_loss` w.r.t. the output: $\frac{2}{N} (o - t)$, or $2 (o - t)$ for
    the sum.

    Args:
        output: Network output of any shape `(...)`, not empty. Integer input becomes float64.
        target: Target of the same shape and dtype.
        reduction: `"mean"` (default) or `"sum"`; `"none"` has no single gradient and
            raises `ValueError`.

    Returns:
        Array of the shape and dtype of `output`.

    Raises:
        TypeError: On unsupported dtypes or if the two dtypes differ.
        ValueError: If the shapes differ, the input is empty or holds NaN or infinity, or
            `reduction` is not `"mean"` or `"sum"`.

    Examples:
        >>> from nnref.numpy import mse_loss_grad
        >>> print(mse_loss_grad([1.0, 2.0], [1.0, 4.0]))
        [ 0. -2.]
    """
    reduction = check_reduction_for_grad(reduction)
    output, target = _output_and_target(output, target)
    check_not_empty(output.size, "output")
    # d/do of sum (o - t)^2 is 2 (o - t); the mean divides it by the N entries.
    scale = 2.0 / output.size if reduction == "mean" else 2.0
    return scale * (output - target)


def cross_entropy(
    logits: ArrayLike, labels: ArrayLike, *, reduction: str = "mean"
) -> np.floating | np.ndarray:
    r"""Softmax cross-entropy, averaged over the batch (by default).

    For sample $n$ with logits $z$ and class $y$, the loss is
    $-\log \operatorname{softmax}(z)_y = \log \sum_j e^{z_j} - z_y$. It is computed through
    the log-softmax with the maximum subtracted, so large logits ($\pm 10^4$) neither
    overflow nor produce $\log 0$. Matches `torch.nn.functional.cross_entropy`.

    Args:
        logits: Unnormalised scores of shape `(n_samples, n_classes)`, or `(n_classes,)` for
            one unbatched sample, as in PyTorch. Integer input becomes float64.
        labels: Integer class indices of shape `(n_samples,)`, each in `[0, n_classes)` (one
            index, shape `()`, for 1-D logits).
        reduction: `"mean"` (default, as in PyTorch), `"sum"`, or `"none"` for one loss per
            sample.

    Returns:
        The mean (or summed) loss as a NumPy scalar of the logits' dtype; with `"none"`, an
        array of shape `(n_samples,)` (shape `()` for 1-D logits).

    Raises:
        TypeError: If `logits` or `labels` have an unsupported dtype (bool, complex, ...).
        ValueError: If `logits` is not 1-D or 2-D or not finite, the labels are not
            integers, have the wrong shape or lie outside `[0, n_classes)`, or `reduction`
            is not one of the three.

    Examples:
        >>> from nnref.numpy import cross_entropy
        >>> print(f"{cross_entropy([[2.0, 0.0], [0.0, 2.0]], [0, 0]):.4f}")
        1.1269
        >>> print(cross_entropy([[2.0, 0.0], [0.0, 2.0]], [0, 0], reduction="none").round(4))
        [0.1269 2.1269]
    """
    reduction = check_reduction(reduction)
    logits, labels, unbatched = _logits_and_labels(logits, labels)
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    # log softmax(z) = (z - max) - log(sum(exp(z - max))); every exponent is <= 0.
    with np.errstate(under="ignore"):
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    # Negate before reducing: -mean(0.0) would print as -0.0 for a perfect prediction.
    return _reduce(-log_probs[np.arange(logits.shape[0]), labels], reduction, unbatched)


def cross_entropy_grad(
    logits: ArrayLike, labels: ArrayLike, *, reduction: str = "mean"
) -> np.ndarray:
    r"""Gradient of `cross_entropy` w.r.t. the logits.

    $\frac{\partial E}{\partial z} = \frac{1}{n}\left(\operatorname{softmax}(z)
    - \operatorname{onehot}(y)\right)$, one row per sample; without the $\frac{1}{n}$ for
    `reduction="sum"`.

    Args:
        logits: Unnormalised scores of shape `(n_samples, n_classes)`, or `(n_classes,)` for
            one unbatched sample, as in PyTorch. Integer input becomes float64.
        labels: Integer class indices of shape `(n_samples,)`, each in `[0, n_classes)` (one
            index, shape `()`, for 1-D logits).
        reduction: `"mean"` (default) or `"sum"`; `"none"` has no single gradient and
            raises `ValueError`.

    Returns:
        Array of the logits' shape and dtype.

    Raises:
        TypeError: If `logits` or `labels` have an unsupported dtype (bool, complex, ...).
        ValueError: If `logits` is not 1-D or 2-D or not finite, the labels are not
            integers, have the wrong shape or lie outside `[0, n_classes)`, or `reduction`
            is not one of the three (or, for the gradient, is `"none"`).

    Examples:
        >>> from nnref.numpy import cross_entropy_grad
        >>> print(cross_entropy_grad([[0.0, 0.0]], [1]))
        [[ 0.5 -0.5]]
    """
    reduction = check_reduction_for_grad(reduction)
    logits, labels, unbatched = _logits_and_labels(logits, labels)
    n_samples = logits.shape[0]
    onehot = np.zeros_like(logits)
    onehot[np.arange(n_samples), labels] = 1.0
    per_sample = softmax(logits, axis=1) - onehot
    # The mean over the batch divides every sample's gradient by n; the sum does not.
    grad = per_sample / n_samples if reduction == "mean" else per_sample
    return grad.reshape(-1) if unbatched else grad
