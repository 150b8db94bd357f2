"""Layers of the PyTorch twin: `torch.nn` modules with nnref's input checks.

Each class subclasses its `torch.nn` counterpart, so the modules work everywhere PyTorch
modules do (`net.parameters()`, `state_dict()`, `torch.optim`), and autograd provides every
backward pass. What nnref adds: the constructors of the NumPy twin (float64 by default, an
optional `seed`), input validation with clear messages, and a `load_state_dict` that names
mismatched keys and shapes in a `ValueError` before anything is copied.

`Module` and `Parameter` are PyTorch's own `torch.nn.Module` and `torch.nn.Parameter`,
exported so both twins have the same names.

`state_dict()` is PyTorch's own, and differs from the NumPy twin's in one way that bites:
its tensors share storage with the parameters, so a state dict saved before training
changes with them. Take a snapshot with `copy.deepcopy(net.state_dict())`; the NumPy twin's
`state_dict()` returns copies already.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import no_grad
from torch.nn import Module, Parameter

from nnref._init import initial_linear
from nnref._validate import (
    check_axis_type,
    check_bias,
    check_linear_input,
    check_positive_int,
    check_state_dict,
    resolve_axis,
)
from nnref.torch import activations
from nnref.torch._validate import as_float_tensor, float_dtype

__all__ = [
    "Linear",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "no_grad",
]


class _CheckedLoad(torch.nn.Module):
    """Mixin: validate a state dict's keys and shapes before PyTorch copies it."""

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> Any:
        """Copy values into the parameters, as `torch.nn.Module.load_state_dict` does.

        Values may be tensors or array-likes. Keys and shapes are checked first, so a failed
        load changes nothing.

        Raises:
            ValueError: If (with `strict`) the keys differ from `state_dict()`'s, naming the
                missing and unexpected ones, or a value has the wrong shape, naming both.
            TypeError: If a value has an unsupported dtype.
        """
        tensors = {
            key: as_float_tensor(value, f"state_dict[{key!r}]") for key, value in state_dict.items()
        }
        check_state_dict(
            {key: tuple(value.shape) for key, value in self.state_dict().items()},
            {key: tuple(value.shape) for key, value in tensors.items()},
            strict=strict,
        )
        return super().load_state_dict(tensors, strict=strict, assign=assign)


class Linear(_CheckedLoad, torch.nn.Linear):
    r"""Fully connected layer $z = x W^\top + b$: a `torch.nn.Linear` with input checks.

    `weight` has shape `(out_features, in_features)` and `bias` shape `(out_features,)`;
    both start uniform in $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$, the range of
    PyTorch's default initialisation.

    Args:
        in_features: Size of each input sample.
        out_features: Size of each output sample.
        bias: Whether the layer has a bias (as in PyTorch; without one, $z = x W^\top$).
        dtype: `torch.float64` (default, unlike PyTorch's float32) or `torch.float32`.
        seed: An int or a `numpy.random.Generator`: the weights are drawn with NumPy's
            generator exactly as the NumPy twin draws them, so one seed gives both twins
            bit-identical weights. `None`: PyTorch's own initialisation, from its global
            generator (`torch.manual_seed`).

    Raises:
        TypeError: If a size is not an int, `dtype` is not float32/float64, or `seed` is
            not an int, a `numpy.random.Generator` or `None`.
        ValueError: If a size is below 1.

    Examples:
        >>> import torch
        >>> import nnref.numpy
        >>> from nnref.torch import Linear
        >>> layer = Linear(2, 1, seed=0)
        >>> twin = nnref.numpy.Linear(2, 1, seed=0)
        >>> print(torch.equal(layer.weight, torch.from_numpy(twin.weight.data)))
        True
        >>> _ = layer.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.5]})
        >>> print(layer(torch.tensor([[3.0, 4.0]], dtype=torch.float64)).detach())
        tensor([[11.5000]], dtype=torch.float64)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        dtype: torch.dtype = torch.float64,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        in_features = check_positive_int(in_features, "in_features")
        out_features = check_positive_int(out_features, "out_features")
        dtype = float_dtype(dtype)
        # Drawn first, so that a bad seed fails before any tensor is made. Set before
        # torch.nn.Linear.__init__ runs reset_parameters(), bypassing Module.__setattr__,
        # which is not usable before Module.__init__.
        drawn = None if seed is None else initial_linear(in_features, out_features, bias, seed)
        object.__setattr__(self, "_drawn", drawn)
        super().__init__(in_features, out_features, bias=check_bias(bias), dtype=dtype)
        del self._drawn

    def reset_parameters(self) -> None:
        """Initialise weight and bias: during construction with a seed, to the seeded draw;
        without a seed, or when called again later, to `torch.nn.Linear`'s own default, drawn
        from PyTorch's global generator."""
        drawn = self.__dict__.get("_drawn")
        if drawn is None:
            super().reset_parameters()  # torch's own: from its global generator
            return
        with torch.no_grad():
            self.weight.copy_(torch.from_numpy(drawn[0]))
            if self.bias is not None:
                self.bias.copy_(torch.from_numpy(drawn[1]))

    def forward(self, x: Any) -> torch.Tensor:
        """Compute $z = x W^\\top + b$.

        Args:
            x: Input of shape `(..., in_features)` and the layer's dtype (integer input
                becomes float64).

        Returns:
            Tensor of shape `(..., out_features)`.

        Raises:
            ValueError: If the last axis of `x` is not `in_features` long.
            TypeError: If `x`'s dtype differs from the layer's.
        """
        x = as_float_tensor(x, "x")
        check_linear_input(
            tuple(x.shape), x.dtype, self.in_features, self.out_features, self.weight.dtype
        )
        return torch.nn.functional.linear(x, self.weight, self.bias)


class Sigmoid(torch.nn.Sigmoid):
    r"""Element-wise sigmoid layer; autograd supplies the backward pass.

    Examples:
        >>> import torch
        >>> from nnref.torch import Sigmoid
        >>> print(Sigmoid()(torch.tensor([0.0])))
        tensor([0.5000])
    """

    def __init__(self) -> None:
        super().__init__()

    def forward(self, x: Any) -> torch.Tensor:
        """Return $\\sigma(x)$, of the shape of `x`."""
        return activations.sigmoid(x)


class Tanh(torch.nn.Tanh):
    r"""Element-wise tanh layer; autograd supplies the backward pass.

    Examples:
        >>> import torch
        >>> from nnref.torch import Tanh
        >>> print(Tanh()(torch.tensor([0.0])))
        tensor([0.])
    """

    def __init__(self) -> None:
        super().__init__()

    def forward(self, x: Any) -> torch.Tensor:
        """Return $\\tanh(x)$, of the shape of `x`."""
        return activations.tanh(x)


class ReLU(torch.nn.ReLU):
    r"""Element-wise ReLU layer; autograd supplies the backward pass.

    Examples:
        >>> import torch
        >>> from nnref.torch import ReLU
        >>> print(ReLU()(torch.tensor([-1.0, 0.0, 2.0])))
        tensor([0., 0., 2.])
    """

    def __init__(self) -> None:
        super().__init__()

    def forward(self, x: Any) -> torch.Tensor:
        """Return $\\max(0, x)$, of the shape of `x`."""
        return activations.relu(x)


class Softmax(torch.nn.Softmax):
    r"""Softmax layer along `axis`; autograd supplies the backward pass.

    Args:
        axis: The axis that sums to one (stored as PyTorch's `dim`).
        dim: PyTorch's name for `axis`; give one of the two.

    Raises:
        TypeError: If both `axis` and `dim` are given, or the axis is not an int.

    Examples:
        >>> import torch
        >>> from nnref.torch import Softmax
        >>> print(Softmax()(torch.tensor([0.0, 0.0])), Softmax(dim=1))
        tensor([0.5000, 0.5000]) Softmax(dim=1)
    """

    def __init__(self, axis: int | None = None, *, dim: int | None = None) -> None:
        super().__init__(dim=check_axis_type(resolve_axis(axis, dim)))

    def forward(self, x: Any) -> torch.Tensor:
        """Return the softmax of `x` along `axis`."""
        return activations.softmax(x, axis=self.dim)


class Sequential(_CheckedLoad, torch.nn.Sequential):
    """Layers applied one after the other: a `torch.nn.Sequential` with a checked load.

    Parameters are named `"{index}.{name}"`, so `Sequential(Linear, Sigmoid, Linear)` has
    `0.weight` and `2.weight`.

    Args:
        *layers: The modules, in order (or, as in PyTorch, one `OrderedDict` of them).

    Raises:
        TypeError: If a layer is not a `torch.nn.Module`.

    Examples:
        >>> from nnref.torch import Linear, Sequential, Sigmoid
        >>> net = Sequential(Linear(2, 3, seed=0), Sigmoid(), Linear(3, 1, seed=1))
        >>> print(list(net.state_dict()))
        ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *layers: torch.nn.Module) -> None:
        # torch.nn.Sequential's slicing rebuilds the class from an OrderedDict.
        if len(layers) == 1 and isinstance(layers[0], OrderedDict):
            modules = list(layers[0].values())
        else:
            modules = list(layers)
        for index, layer in enumerate(modules):
            if not isinstance(layer, torch.nn.Module):
                raise TypeError(
                    f"Sequential layers must be torch.nn.Modules; "
                    f"layer {index} is {type(layer).__name__}"
                )
        super().__init__(*layers)
