"""Input checks of the PyTorch twin.

Tensors are checked directly; anything else goes through the NumPy twin's conversion first,
so array-likes follow the same rules in both twins (a list of Python floats becomes float64,
not PyTorch's default float32). The shape, value and message helpers are shared with
`nnref._validate`, so both twins reject the same inputs with the same messages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from nnref import _validate as shared

FLOAT_DTYPES = (torch.float32, torch.float64)


dtype_name = shared.dtype_name


def as_float_tensor(x: Any, name: str = "x") -> torch.Tensor:
    """Return `x` as a float32 or float64 tensor.

    float32/float64 tensors are returned as they are (keeping their autograd history);
    integer tensors become float64; other dtypes raise `TypeError`. Non-tensors are converted
    like the NumPy twin converts them.
    """
    if not isinstance(x, torch.Tensor):
        array = shared.as_float_array(x, name)
        # np.array makes a writable, contiguous copy: torch.from_numpy warns about others.
        return torch.from_numpy(np.array(array, copy=True))
    if x.dtype in FLOAT_DTYPES:
        return x
    if x.dtype == torch.bool or x.is_complex() or x.is_floating_point():
        raise shared.dtype_error(name, dtype_name(x.dtype))
    return x.to(torch.float64)


def float_dtype(dtype: object) -> torch.dtype:
    """Resolve a `dtype` argument, accepting only `torch.float32` and `torch.float64`."""
    if not isinstance(dtype, torch.dtype) or dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be torch.float32 or torch.float64; got {dtype!r}")
    return dtype


def label_kind(dtype: torch.dtype) -> str:
    """The NumPy dtype kind character of a torch dtype, for `shared.check_label_kind`."""
    if dtype == torch.bool:
        return "b"
    if dtype.is_complex:
        return "c"
    if dtype.is_floating_point:
        return "f"
    return "i"


def as_label_tensor(labels: Any, n_samples: int | None, n_classes: int) -> torch.Tensor:
    """Validate class labels and return them as an int64 tensor of shape `(n_samples,)`, or
    of shape `()` when `n_samples` is None (one label for unbatched logits)."""
    if not isinstance(labels, torch.Tensor):
        return torch.from_numpy(shared.as_label_array(labels, n_samples, n_classes))
    shared.check_label_kind(label_kind(labels.dtype), dtype_name(labels.dtype))
    lowest = int(labels.min()) if labels.numel() else 0
    highest = int(labels.max()) if labels.numel() else 0
    shared.check_labels(tuple(labels.shape), lowest, highest, n_samples, n_classes)
    return labels.to(torch.int64)
