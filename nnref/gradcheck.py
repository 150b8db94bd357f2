r"""Finite-difference tools for checking gradients, NumPy only.

A hand-derived gradient is trustworthy once it matches the slope measured by nudging each
input. The central difference

$$\frac{\partial f}{\partial x_i} \approx
\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}$$

is accurate to $O(\varepsilon^2)$, and `relative_error` says how close two gradients are
independently of their scale. `check_layer` puts the two together: it grades a layer's
hand-written `backward` against central differences and prints PASS or FAIL for the input
and for each parameter.

**Kinks.** Where a function has a kink, a central difference that straddles it measures
the average of the slopes on its two sides, which is neither one-sided derivative. For
ReLU at exactly 0 it gives
$(\operatorname{ReLU}(\varepsilon) - \operatorname{ReLU}(-\varepsilon)) / 2\varepsilon
= \varepsilon / 2\varepsilon = 0.5$, while the derivative that nnref and PyTorch use there
is 0 (`relu_grad(0.0)` is `0.0`); any point closer than $\varepsilon$ to the kink mixes
the two sides as well. So gradient checks must use points at least $\varepsilon$ away
from every kink (in practice 1e-3 or more, since a parameter nudge moves the
pre-activations too); a FAIL there says nothing about the code.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nnref._validate import as_float_array, check_positive_int, check_same_shape

__all__ = ["check_layer", "numerical_gradient", "relative_error"]


def numerical_gradient(
    f: Callable[[np.ndarray], Any], x: ArrayLike, eps: float = 1e-6
) -> np.ndarray:
    r"""Gradient of a scalar function by central differences.

    Entry $i$ is $\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}$. The
    function is called $2 \times$ `x.size` times on a float64 working copy of `x`, so `x`
    itself is never modified (and `f` must not keep a reference to its argument).

    Across a kink the central difference averages the two one-sided slopes: for
    $\sum_i \operatorname{ReLU}(x_i)$ at $x_i = 0$ entry $i$ is exactly 0.5, where
    `relu_grad` (like PyTorch) says 0. Keep every $x_i$ at least `eps` away from a kink.

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
        >>> print(numerical_gradient(lambda x: np.sum(np.maximum(x, 0.0)), np.zeros(2)))
        [0.5 0.5]
    """
    _check_eps(eps)
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


def _check_eps(eps: object) -> None:
    if not (isinstance(eps, (int, float)) and math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number; got {eps!r}")


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


def check_layer(
    layer: Any,
    x: ArrayLike,
    *,
    seed: int | np.random.Generator | None = 0,
    points: int = 5,
    eps: float = 1e-6,
    tol: float = 1e-6,
) -> bool:
    r"""Grade a NumPy-style layer's `backward` against central finite differences.

    `layer` needs `forward(x)` and `backward(grad_output)`, as an `nnref.numpy.Module` has:
    `backward` returns $\partial E / \partial x$ and adds each parameter's gradient to its
    `.grad`. Its parameters, if any, come from `named_parameters()`, which yields
    `(name, parameter)` pairs whose `.data` is a float64 array and whose `.grad` `backward`
    fills.

    The check runs at `points` random points. Point $k$ is the scalar
    $E_k = \sum \text{forward}(x) \odot R_k$ for a random weighting $R_k$ of the outputs,
    drawn from `np.random.default_rng(seed)` (standard normal, of the output's shape), so
    $\partial E_k / \partial \text{output} = R_k$. One forward and one `backward(R_k)`
    give the analytic gradients; `numerical_gradient` gives the numerical ones, with respect
    to `x` and to each parameter's `data`. The finite differences run on a `copy.deepcopy`
    of the layer, whose parameters are nudged in place, so the layer itself sees exactly
    one `forward(x)` and one `backward` per point (a layer that cannot be deep-copied is
    nudged itself, and restored).

    Every point uses `x` exactly as given, never jittered, so you choose where the check
    looks: keep `x` (and, for a layer inside a network, every pre-activation) at least
    `eps`, better 1e-3, away from any kink such as ReLU's 0. A central difference there
    gives 0.5 where the derivative used by nnref and PyTorch is 0 (see the module notes),
    and the line FAILs whatever the code. To check other inputs, call `check_layer` again.

    It prints one line for the input, then one per parameter in `named_parameters()` order:
    the name, the worst `relative_error` over the points, and PASS (at most `tol`) or FAIL.
    A PASS line shows the tolerance (`<= 1e-06`) rather than the error itself, whose digits
    are rounding noise that differs between machines and library versions; a FAIL line
    shows the error with two significant digits (`%.1e`). Names are left-aligned, values
    right-aligned, and the lines are plain ASCII, identical for identical arguments.

    Afterwards every parameter holds its original array again, with bit-identical values,
    and its `.grad` is what it was before the call (the same object with the same values,
    or `None`). Gradients are cleared before each point with `layer.zero_grad()` if the
    layer has it, else by setting each `.grad` to `None`.

    Args:
        layer: The layer to check; its forward must be deterministic.
        x: The input, float64 or integer (which becomes float64); never modified.
        seed: Seed of the weightings $R_k$: an int, a `numpy.random.Generator`, or `None`
            for fresh randomness.
        points: How many random weightings to check, at least 1.
        eps: The central-difference step $\varepsilon > 0$.
        tol: The largest relative error that passes, a finite number $\ge 0$.

    Returns:
        `True` if every line passes, else `False`.

    Raises:
        TypeError: If `layer` lacks `forward` or `backward`, if `x`, an output or a
            parameter is not float64, if `named_parameters()` yields something other than
            `(name, parameter)` pairs, or if `backward` returns something other than an
            array; also if `points` or `tol` has the wrong type.
        ValueError: If `backward` returns the wrong shape, leaves a parameter's `.grad`
            unfilled or of the wrong shape, if `forward` gives different outputs for the
            same input, if two parameters share a name (or one is named `input`), if
            `points` is below 1, `eps` is not a positive finite number, or `tol` is
            negative or not finite.

    Examples:
        >>> import numpy as np
        >>> from nnref.gradcheck import check_layer
        >>> from nnref.numpy import Linear
        >>> x = np.random.default_rng(0).normal(size=(4, 3))
        >>> check_layer(Linear(3, 2, seed=0), x)
        input   relative error <= 1e-06  PASS
        weight  relative error <= 1e-06  PASS
        bias    relative error <= 1e-06  PASS
        True
        >>> class DoubledBias(Linear):  # a deliberately broken backward
        ...     def backward(self, grad_output):
        ...         dE_dx = super().backward(grad_output)
        ...         self.bias.grad = 2.0 * self.bias.grad  # wrong: twice dE/db
        ...         return dE_dx
        >>> check_layer(DoubledBias(3, 2, seed=0), x)
        input   relative error <= 1e-06  PASS
        weight  relative error <= 1e-06  PASS
        bias    relative error  3.3e-01  FAIL
        False
    """
    forward, backward = _layer_methods(layer)
    points = check_positive_int(points, "points")
    _check_eps(eps)
    tol = _check_tol(tol)
    point = _float64(as_float_array(x, "x"), "x").copy()
    named = _named_parameters(layer)
    saved = [_Saved(parameter) for _, parameter in named]
    probe, probe_named = _probe(layer, named)
    rng = np.random.default_rng(seed)
    worst = dict.fromkeys(["input", *(name for name, _ in named)], 0.0)
    try:
        reference: np.ndarray | None = None
        for _ in range(points):
            _clear_gradients(layer, named)
            output = _float64(as_float_array(forward(point.copy()), "forward(x)"), "forward(x)")
            if reference is None:
                reference = output.copy()
            elif output.shape != reference.shape or not np.array_equal(output, reference):
                raise ValueError(
                    "forward(x) gave a different output for the same x; check_layer needs "
                    "a deterministic layer (no dropout or other randomness in forward)"
                )
            weights = rng.standard_normal(reference.shape)
            analytic_input = _input_gradient(backward(weights.copy()), point.shape)
            analytic = [_parameter_gradient(name, p) for name, p in named]

            def weighted_output(z: np.ndarray, weights: np.ndarray = weights) -> float:
                out = np.asarray(probe.forward(z.copy()), dtype=np.float64)
                check_same_shape(weights.shape, out.shape, "the first output", "forward(x)")
                return float(np.sum(out * weights))

            numeric = numerical_gradient(weighted_output, point, eps)
            worst["input"] = _worse(worst["input"], relative_error(analytic_input, numeric))
            for (name, _), (_, nudged), grad, backup in zip(
                named, probe_named, analytic, saved, strict=True
            ):

                def weighted_output_at(values: np.ndarray, nudged: Any = nudged) -> float:
                    nudged.data[...] = values
                    return weighted_output(point)

                numeric = numerical_gradient(weighted_output_at, backup.data_values, eps)
                nudged.data[...] = backup.data_values
                worst[name] = _worse(worst[name], relative_error(grad, numeric))
    finally:
        for backup in saved:
            backup.restore()
    return _report(worst, tol)


def _probe(layer: Any, named: list[tuple[str, Any]]) -> tuple[Any, list[tuple[str, Any]]]:
    # The finite differences run on a deep copy, so the layer itself sees exactly one
    # forward and one backward per point: a layer that stacks what each forward caches
    # stays balanced. A layer that cannot be copied is nudged in place instead.
    try:
        probe = copy.deepcopy(layer)
        probe_named = _named_parameters(probe)
    except Exception:  # whatever stops a user's layer from being copied: nudge in place
        return layer, named
    if [name for name, _ in probe_named] != [name for name, _ in named]:
        return layer, named
    return probe, probe_named


class _Saved:
    """A parameter's data and grad as found, to put back bit for bit."""

    def __init__(self, parameter: Any) -> None:
        self.parameter = parameter
        self.data = parameter.data
        self.data_values = parameter.data.copy()
        self.grad = parameter.grad
        self.grad_values = np.copy(self.grad) if isinstance(self.grad, np.ndarray) else None

    def restore(self) -> None:
        self.data[...] = self.data_values
        self.parameter.data = self.data
        if self.grad_values is not None:
            self.grad[...] = self.grad_values
        self.parameter.grad = self.grad


def _layer_methods(layer: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    missing = [name for name in ("forward", "backward") if not callable(getattr(layer, name, None))]
    if missing:
        hint = (
            "; a torch.nn.Module gets its gradients from autograd, check it with "
            "torch.autograd.gradcheck"
            if any(cls.__module__.startswith("torch") for cls in type(layer).__mro__)
            else ""
        )
        raise TypeError(
            "layer must have forward(x) and backward(grad_output) methods, like an "
            f"nnref.numpy Module; got {type(layer).__name__} without "
            f"{' and '.join(missing)}{hint}"
        )
    return layer.forward, layer.backward


def _check_tol(tol: object) -> float:
    if isinstance(tol, bool) or not isinstance(tol, Real):
        raise TypeError(f"tol must be a real number; got {type(tol).__name__}")
    if not (math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be finite and >= 0; got {tol!r}")
    return float(tol)


def _float64(array: np.ndarray, name: str) -> np.ndarray:
    # Central differences with eps = 1e-6 drown in float32 rounding (about 1e-7 relative).
    if array.dtype != np.float64:
        raise TypeError(
            f"check_layer needs float64 throughout; {name} has dtype {array.dtype} "
            "(central differences drown in float32 rounding)"
        )
    return array


def _named_parameters(layer: Any) -> list[tuple[str, Any]]:
    method = getattr(layer, "named_parameters", None)
    if method is None:
        return []
    named: list[tuple[str, Any]] = []
    seen: set[int] = set()
    for item in method():
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError(
                "named_parameters() must yield (name, parameter) pairs with a str name; "
                f"got {item!r}"
            )
        name, parameter = item
        if not (hasattr(parameter, "data") and hasattr(parameter, "grad")):
            raise TypeError(
                f"parameter {name!r} must have .data and .grad, like nnref.numpy.Parameter; "
                f"got {type(parameter).__name__}"
            )
        if not isinstance(parameter.data, np.ndarray):
            raise TypeError(
                f"parameter {name!r} must hold a NumPy array in .data; "
                f"got {type(parameter.data).__name__}"
            )
        _float64(parameter.data, f"parameter {name!r}")
        if id(parameter) in seen:
            continue  # a parameter shared by two layers is checked once, as PyTorch lists it
        if name == "input" or any(name == other for other, _ in named):
            raise ValueError(f"two lines would be named {name!r}; rename the parameter")
        seen.add(id(parameter))
        named.append((name, parameter))
    return named


def _clear_gradients(layer: Any, named: list[tuple[str, Any]]) -> None:
    zero_grad = getattr(layer, "zero_grad", None)
    if callable(zero_grad):
        zero_grad()
    else:
        for _, parameter in named:
            parameter.grad = None


def _worse(current: float, new: float) -> float:
    # NaN (from an inf or NaN gradient) must fail, and max() would drop it.
    return new if math.isnan(new) or new > current else current


def _input_gradient(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    if value is None:
        raise TypeError(
            f"backward(grad_output) must return dE/dx, an array of the input's shape {shape}; "
            "got None"
        )
    array = as_float_array(value, "the value returned by backward(grad_output)")
    if array.shape != shape:
        raise ValueError(
            f"backward(grad_output) must return dE/dx of the input's shape {shape}; "
            f"got shape {array.shape}"
        )
    return array.astype(np.float64)


def _parameter_gradient(name: str, parameter: Any) -> np.ndarray:
    grad = parameter.grad
    if grad is None:
        raise ValueError(
            f"backward(grad_output) did not fill {name}.grad: it must add dE/d{name} "
            f"to the parameter's .grad"
        )
    grad = np.asarray(grad)
    if grad.shape != parameter.data.shape:
        raise ValueError(
            f"{name}.grad must have the shape of {name}.data, {parameter.data.shape}; "
            f"got shape {grad.shape}"
        )
    return as_float_array(grad, f"{name}.grad").astype(np.float64)


def _shortest(value: float) -> str:
    # The shortest %e spelling that reads back as exactly `value`: 1e-06, 1.5e-06, ...
    for digits in range(17):
        text = f"{value:.{digits}e}"
        if float(text) == value:
            return text
    return repr(value)


def _report(worst: dict[str, float], tol: float) -> bool:
    passed = {name: error <= tol for name, error in worst.items()}
    values = {
        name: f"<= {_shortest(tol)}" if passed[name] else f"{error:.1e}"
        for name, error in worst.items()
    }
    name_width = max(len(name) for name in worst)
    value_width = max(len(value) for value in values.values())
    for name in worst:
        verdict = "PASS" if passed[name] else "FAIL"
        print(f"{name:<{name_width}}  relative error {values[name]:>{value_width}}  {verdict}")
    return all(passed.values())
