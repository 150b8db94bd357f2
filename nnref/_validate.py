"""Input checks shared by both twins.

The NumPy twin calls these directly. The PyTorch twin (`nnref.torch._validate`) reuses the
shape, value and message helpers, which work on plain tuples, strings and numbers, so the
two twins reject the same inputs with the same messages.

Rules enforced here:

* float32 stays float32 and float64 stays float64; integers become float64; bool, complex,
  object, string and other float widths raise `TypeError` naming expected and received dtype;
* shapes are never broadcast: a mismatch raises `ValueError` naming both shapes;
* losses reject NaN and infinity with `ValueError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
EXPECTED_DTYPES = "float32 or float64 (integer input is converted to float64)"


def dtype_error(name: str, received: str) -> TypeError:
    """Build the `TypeError` for an input of unsupported dtype `received`."""
    return TypeError(f"{name} must have dtype {EXPECTED_DTYPES}; got dtype {received}")


def as_float_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Convert `x` to a float32 or float64 array without copying when it already is one.

    Integer input becomes float64; other float widths, bool, complex, object and string
    input raise `TypeError`.
    """
    array = np.asarray(x)
    dtype = array.dtype
    if dtype.kind == "f" and dtype.itemsize in (4, 8):
        # A non-native byte order is still float32/float64: store it natively.
        return array if dtype.isnative else array.astype(dtype.newbyteorder("="))
    if dtype.kind in "iu":
        return array.astype(np.float64)
    raise dtype_error(name, str(dtype))


def float_dtype(dtype: DTypeLike) -> np.dtype:
    """Resolve a `dtype` argument, accepting only float32 and float64."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}") from None
    if resolved not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64; got {resolved}")
    return resolved


def check_positive_int(value: object, name: str) -> int:
    """Return `value` as an `int` if it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int; got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}")
    return int(value)


def check_learning_rate(lr: object) -> float:
    """Return `lr` as a `float` if it is a finite real number >= 0."""
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"lr must be a real number; got {type(lr).__name__}")
    if not math.isfinite(lr) or lr < 0:
        raise ValueError(f"lr must be finite and >= 0; got {lr}")
    return float(lr)


def check_axis_type(axis: object) -> int:
    """Return `axis` as an `int`; its range is checked against each input's shape."""
    if isinstance(axis, bool) or not isinstance(axis, Integral):
        raise TypeError(f"axis must be an int; got {type(axis).__name__}")
    return int(axis)


def resolve_axis(axis: object, dim: object) -> object:
    """The softmax axis from NumPy's name `axis` or PyTorch's `dim`; -1 if neither is given."""
    if axis is not None and dim is not None:
        raise TypeError(f"give axis or dim (the same thing), not both; got axis={axis}, dim={dim}")
    return -1 if axis is None and dim is None else (dim if axis is None else axis)


def check_bias(bias: object) -> bool:
    """`Linear`'s `bias` flag, a bool (as in PyTorch)."""
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {type(bias).__name__}")
    return bias


def normalize_axis(axis: object, shape: Sequence[int], name: str = "softmax") -> int:
    """Return `axis` as a non-negative index into `shape`."""
    axis = check_axis_type(axis)
    ndim = len(shape)
    if ndim == 0:
        raise ValueError(f"{name} needs an input with at least one dimension; got shape ()")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for input of shape {tuple(shape)}")
    return axis % ndim


def check_not_empty_axis(shape: Sequence[int], axis: int, name: str = "softmax") -> None:
    """Require at least one entry along `axis`: a softmax over nothing is undefined."""
    if shape[axis] == 0:
        raise ValueError(
            f"{name} needs at least one entry along axis {axis}; got shape {tuple(shape)}"
        )


def check_same_shape(
    expected: Sequence[int], received: Sequence[int], expected_name: str, received_name: str
) -> None:
    """Require equal shapes; nnref never broadcasts."""
    if tuple(expected) != tuple(received):
        raise ValueError(
            f"{received_name} must have the same shape as {expected_name}, "
            f"{tuple(expected)}; got shape {tuple(received)} (nnref never broadcasts)"
        )


def dtype_name(dtype: object) -> str:
    """`float64` for NumPy's and for PyTorch's float64 alike (`torch.float64` loses its prefix)."""
    return str(dtype).removeprefix("torch.")


# The checks below take dtype objects, NumPy's or PyTorch's, and name them only when they
# fail: building the name costs more than the arithmetic of a small layer.


def check_same_dtype(
    expected: object, received: object, expected_name: str, received_name: str
) -> None:
    """Require equal dtypes (after integers have become float64)."""
    if expected != received:
        raise TypeError(
            f"{received_name} must have the same dtype as {expected_name}, "
            f"{dtype_name(expected)}; got dtype {dtype_name(received)}"
        )


def check_finite(all_finite: bool, name: str) -> None:
    """Reject NaN and infinity, which would silently poison a loss and every gradient."""
    if not all_finite:
        raise ValueError(f"{name} must be finite; got NaN or infinity")


def check_not_empty(size: int, name: str) -> None:
    """Reject empty input, whose mean is undefined."""
    if size == 0:
        raise ValueError(f"{name} must have at least one element; got an empty array")


def check_linear_input(
    shape: Sequence[int],
    dtype: object,
    in_features: int,
    out_features: int,
    layer_dtype: object,
) -> None:
    """Check an input of a `Linear(in_features, out_features)` layer."""
    if dtype != layer_dtype:
        got = dtype_name(dtype)
        raise TypeError(
            f"Linear has dtype {dtype_name(layer_dtype)} but its input has dtype {got}; "
            f"convert the input or build the layer with dtype={got}"
        )
    if len(shape) == 0 or shape[-1] != in_features:
        raise ValueError(
            f"Linear(in_features={in_features}, out_features={out_features}) expects input "
            f"of shape (..., {in_features}); got shape {tuple(shape)}"
        )


def check_grad_output(
    expected_shape: Sequence[int], shape: Sequence[int], expected_dtype: object, dtype: object
) -> None:
    """Check `grad_output` against the output of the last forward pass."""
    if tuple(shape) != tuple(expected_shape):
        raise ValueError(
            f"grad_output must have the shape of the last forward output, "
            f"{tuple(expected_shape)}; got shape {tuple(shape)}"
        )
    check_same_dtype(expected_dtype, dtype, "the last forward output", "grad_output")


REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: object) -> str:
    """A loss's `reduction`, one of PyTorch's three."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")
    return str(reduction)


def check_reduction_for_grad(reduction: object) -> str:
    """A gradient function's `reduction`: a loss per entry has no gradient without a weight."""
    reduction = check_reduction(reduction)
    if reduction == "none":
        raise ValueError(
            "reduction='none' gives one loss per entry (or sample), which has no single "
            "gradient; use "
            "reduction='sum', whose gradient holds each entry's own (as backward(ones) would)"
        )
    return reduction


def check_logits_shape(shape: Sequence[int]) -> None:
    """Logits must be 2-D, `(n_samples, n_classes)`, or 1-D, `(n_classes,)` for one
    unbatched sample, with at least one sample and one class."""
    if len(shape) not in (1, 2):
        raise ValueError(
            "logits must be 2-D of shape (n_samples, n_classes) or 1-D of shape (n_classes,); "
            f"got shape {tuple(shape)}"
        )
    if 0 in shape:
        raise ValueError(f"logits need at least one sample and one class; got shape {tuple(shape)}")


def check_label_kind(kind: str, dtype: str) -> None:
    """Labels are class indices: integers only.

    `kind` is a NumPy dtype kind character (`"b"`, `"i"`, `"u"`, `"f"`, `"c"`, ...).
    Float labels raise `ValueError` (they are values, not indices: maybe probabilities);
    bool, complex, object and string labels raise `TypeError` like any other input.
    """
    if kind in "iu":
        return
    if kind == "f":
        raise ValueError(f"labels must be integer class indices; got dtype {dtype}")
    raise TypeError(f"labels must have an integer dtype; got dtype {dtype}")


def check_labels(
    shape: Sequence[int], lowest: int, highest: int, n_samples: int | None, n_classes: int
) -> None:
    """Labels must have shape `(n_samples,)` (shape `()`, one index, for unbatched logits:
    `n_samples` None) and values in `[0, n_classes)`."""
    if n_samples is None and tuple(shape) != ():
        raise ValueError(
            "labels must be a single class index (shape ()) for 1-D logits of one sample; "
            f"got shape {tuple(shape)}"
        )
    if n_samples is not None and tuple(shape) != (n_samples,):
        raise ValueError(
            f"labels must have shape (n_samples,) = ({n_samples},) to match the logits; "
            f"got shape {tuple(shape)}"
        )
    for value in (lowest, highest):
        if not 0 <= value < n_classes:
            raise ValueError(
                f"labels must lie in [0, {n_classes}) for logits with {n_classes} classes; "
                f"got label {value}"
            )


def as_label_array(labels: ArrayLike, n_samples: int | None, n_classes: int) -> np.ndarray:
    """Validate class labels and return them as an int64 array of shape `(n_samples,)`, or
    of shape `()` when `n_samples` is None (one label for unbatched logits)."""
    array = np.asarray(labels)
    check_label_kind(array.dtype.kind, str(array.dtype))
    lowest = int(array.min()) if array.size else 0
    highest = int(array.max()) if array.size else 0
    check_labels(array.shape, lowest, highest, n_samples, n_classes)
    return array.astype(np.int64)


def check_state_dict(
    own_shapes: dict[str, tuple[int, ...]],
    given_shapes: dict[str, tuple[int, ...]],
    strict: bool = True,
) -> None:
    """Compare a state dict's keys and shapes with a module's own, naming every mismatch."""
    if strict:
        missing = [key for key in own_shapes if key not in given_shapes]
        unexpected = [key for key in given_shapes if key not in own_shapes]
        if missing or unexpected:
            raise ValueError(
                f"state_dict keys do not match the module's {_names(own_shapes)}: "
                f"missing {_names(missing)}, unexpected {_names(unexpected)}"
            )
    for key, shape in given_shapes.items():
        if key in own_shapes and tuple(shape) != tuple(own_shapes[key]):
            raise ValueError(
                f"state_dict[{key!r}] must have shape {tuple(own_shapes[key])}; "
                f"got shape {tuple(shape)}"
            )


def _names(keys: Iterable[str]) -> str:
    return "[" + ", ".join(repr(key) for key in keys) + "]"
