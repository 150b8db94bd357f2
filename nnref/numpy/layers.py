r"""Layers with hand-written backward passes: layer-level manual back-propagation.

The style is that of CS231n's `layers.py` and Nielsen's `network.py`, not of an autograd
engine: the gradients are derived by hand for a whole layer at a time. Each layer's
`forward` caches what its `backward` needs, and each `backward` sits right under its
`forward`. `backward(grad_output)` takes $\partial E / \partial(\text{output})$ for the
latest forward pass not yet back-propagated, *adds* the gradient of every parameter to that
parameter's `.grad` (as PyTorch accumulates into `.grad`) and returns
$\partial E / \partial(\text{input})$.

A layer may be used more than once in one computation, as in PyTorch: every `forward` pushes
its cache onto the layer's stack and every `backward` pops one, last in, first out: right
whenever the backward calls come in the reverse order of the forward calls, as
`Sequential.backward` and any chain of layers make them. Inside `no_grad()` nothing is cached.

Parameter names, state-dict keys and `repr`s follow PyTorch: a `Sequential` of
`Linear, Sigmoid, Linear, Sigmoid` has the keys `0.weight`, `0.bias`, `2.weight`, `2.bias`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnref._init import initial_linear
from nnref._validate import (
    as_float_array,
    check_axis_type,
    check_bias,
    check_grad_output,
    check_linear_input,
    check_positive_int,
    check_state_dict,
    float_dtype,
    resolve_axis,
)
from nnref.numpy.activations import relu, relu_grad, sigmoid, softmax, tanh

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

#: Whether forward passes record what their backward passes need (off inside `no_grad()`).
_recording = [True]


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Run forward passes without caching anything for `backward`, like `torch.no_grad()`.

    Use it for evaluation: outside it, each forward pass stays cached until a `backward`
    consumes it.

    Examples:
        >>> from nnref.numpy import Tanh, no_grad
        >>> layer = Tanh()
        >>> with no_grad():
        ...     print(layer([0.0]))
        [0.]
        >>> layer.backward([1.0])
        Traceback (most recent call last):
        ...
        RuntimeError: Tanh.backward() has no forward pass left to back-propagate: ...
    """
    previous = _recording[0]
    _recording[0] = False
    try:
        yield
    finally:
        _recording[0] = previous


class Parameter:
    """A trainable array and the gradient accumulated for it.

    Attributes:
        data: The values, a float32 or float64 array (a private copy of what was given).
        grad: The accumulated $\\partial E / \\partial$ `data`, of the same shape, or `None`
            before the first backward pass and after `zero_grad()`.

    Examples:
        >>> from nnref.numpy import Parameter
        >>> p = Parameter([[1.0, 2.0]])
        >>> print(p, p.grad)
        Parameter(shape=(1, 2), dtype=float64) None
    """

    def __init__(self, data: ArrayLike) -> None:
        self.data: np.ndarray = np.array(as_float_array(data, "data"), copy=True)
        self.grad: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of `data`."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype of `data`."""
        return self.data.dtype

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


def _accumulate(parameter: Parameter, dE_dparameter: np.ndarray) -> None:
    # Gradients add up over backward passes until zero_grad() clears them, as in PyTorch:
    # that is what lets a parameter used twice (or several mini-batches) sum its terms.
    if parameter.grad is None:
        parameter.grad = dE_dparameter
    else:
        parameter.grad += dE_dparameter


class Module:
    """Base class of the NumPy layers.

    Subclasses implement `forward` and `backward`; those with parameters also override
    `named_parameters`. Calling a module runs `forward`.

    Examples:
        >>> from nnref.numpy import Linear
        >>> layer = Linear(3, 2, seed=0)
        >>> print(list(layer.state_dict()), len(layer.parameters()))
        ['weight', 'bias'] 2
    """

    def __init__(self) -> None:
        """A module without parameters; subclasses add theirs."""

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Compute the output for input `x` and cache what `backward` needs."""
        raise NotImplementedError

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Accumulate parameter gradients and return the gradient w.r.t. the input."""
        raise NotImplementedError

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.forward(x)

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Yield `(name, parameter)` pairs, named as PyTorch names them."""
        return iter(())

    def _every_named_parameter(self) -> Iterator[tuple[str, Parameter]]:
        # Every use of every parameter, as state_dict() keys them; only a container that can
        # hold a module twice (Sequential) yields more than named_parameters().
        return self.named_parameters()

    def parameters(self) -> list[Parameter]:
        """Return the parameters, in the order of `named_parameters()`."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear accumulated gradients: set them to `None` (default) or fill them with 0."""
        for parameter in self.parameters():
            if set_to_none or parameter.grad is None:
                parameter.grad = None
            else:
                parameter.grad.fill(0.0)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Return a copy of every parameter's values, keyed like PyTorch's `state_dict()`.

        Unlike PyTorch, whose `state_dict()` holds tensors that share storage with the
        parameters (so training changes a state dict saved before it), these are copies:
        a snapshot. In the PyTorch twin take a snapshot with `copy.deepcopy(state_dict())`.
        """
        return {name: parameter.data.copy() for name, parameter in self._every_named_parameter()}

    def load_state_dict(self, state_dict: Mapping[str, ArrayLike]) -> None:
        """Copy values into the parameters, cast to each parameter's dtype.

        Everything is checked before anything is written, so a failed load changes nothing.

        Raises:
            ValueError: If the keys differ from `state_dict()`'s (missing and unexpected keys
                are named) or a value has the wrong shape (expected and received are named).
            TypeError: If a value has an unsupported dtype.
        """
        own = dict(self._every_named_parameter())
        values = {
            key: as_float_array(value, f"state_dict[{key!r}]") for key, value in state_dict.items()
        }
        check_state_dict(
            {key: parameter.shape for key, parameter in own.items()},
            {key: value.shape for key, value in values.items()},
        )
        for key, parameter in own.items():
            parameter.data = values[key].astype(parameter.dtype, copy=True)

    def _push(self, *cache: np.ndarray) -> None:
        # One entry per use: a layer used twice holds two caches until both are consumed.
        if _recording[0]:
            self.__dict__.setdefault("_caches", []).append(cache)

    def _latest(self) -> tuple[np.ndarray, ...]:
        # Last in, first out: back-propagation meets the uses in reverse order. Read here,
        # removed by _consumed() once grad_output has passed its checks.
        caches = self.__dict__.get("_caches")
        if not caches:
            raise RuntimeError(
                f"{type(self).__name__}.backward() has no forward pass left to "
                "back-propagate: each backward() consumes one earlier forward() "
                "(forward passes inside no_grad() record nothing)"
            )
        return caches[-1]

    def _consumed(self) -> None:
        self.__dict__["_caches"].pop()


class Linear(Module):
    r"""Fully connected layer $z = x W^\top + b$.

    `weight` has shape `(out_features, in_features)` and `bias` shape `(out_features,)`, as
    in PyTorch (no `bias` with `bias=False`); both start uniform in
    $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$, the range of PyTorch's default initialisation.

    Args:
        in_features: Size of each input sample.
        out_features: Size of each output sample.
        bias: Whether the layer has a bias (as in PyTorch; without one, $z = x W^\top$ and
            `bias` is `None`).
        dtype: float32 or float64 (default; PyTorch's default would be float32).
        seed: An int, a `numpy.random.Generator`, or `None` for fresh randomness. The
            PyTorch twin draws the same values for the same seed.

    Raises:
        TypeError: If a size is not an int, `bias` not a bool, `dtype` not float32/float64,
            or `seed` not an int, a `numpy.random.Generator` or `None`.
        ValueError: If a size is below 1.

    Examples:
        >>> import numpy as np
        >>> from nnref.numpy import Linear
        >>> layer = Linear(2, 1, seed=0)
        >>> layer.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.5]})
        >>> print(layer(np.array([[3.0, 4.0]])))
        [[11.5]]
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        dtype: DTypeLike = np.float64,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        resolved = float_dtype(dtype)
        weight, initial_bias = initial_linear(
            self.in_features, self.out_features, check_bias(bias), seed
        )
        self.weight = Parameter(weight.astype(resolved))
        self.bias = None if initial_bias is None else Parameter(initial_bias.astype(resolved))

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Compute $z = x W^\\top + b$.

        Args:
            x: Input of shape `(..., in_features)` and the layer's dtype (integer input
                becomes float64).

        Returns:
            Array of shape `(..., out_features)`.

        Raises:
            ValueError: If the last axis of `x` is not `in_features` long.
            TypeError: If `x`'s dtype differs from the layer's.
        """
        x = as_float_array(x, "x")
        check_linear_input(x.shape, x.dtype, self.in_features, self.out_features, self.weight.dtype)
        # A private copy: the caller may change x in place before backward().
        self._push(x.copy())
        z = x @ self.weight.data.T
        return z if self.bias is None else z + self.bias.data

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        r"""Back-propagate $\delta = \partial E / \partial z$ through $z = x W^\top + b$.

        Adds $\partial E / \partial W = \delta^\top x$ to `weight.grad` and, if the layer
        has a bias, $\partial E / \partial b = \sum \delta$ to `bias.grad`, summing over all
        batch axes. $x$ is the input of the forward pass this call consumes: the latest one
        not yet back-propagated.

        Args:
            grad_output: $\delta$, of the shape of that forward pass's output,
                `(..., out_features)`.

        Returns:
            $\partial E / \partial x = \delta W$, of shape `(..., in_features)`.
        """
        (x,) = self._latest()
        delta = as_float_array(grad_output, "grad_output")
        check_grad_output((*x.shape[:-1], self.out_features), delta.shape, x.dtype, delta.dtype)
        self._consumed()
        # Each sample contributes the outer product delta_n x_n^T; stacking the samples as
        # rows turns the sum over n into one matrix product.
        delta_rows = delta.reshape(-1, self.out_features)
        x_rows = x.reshape(-1, self.in_features)
        dE_dW = delta_rows.T @ x_rows
        _accumulate(self.weight, dE_dW)
        if self.bias is not None:
            dE_db = delta_rows.sum(axis=0)
            _accumulate(self.bias, dE_db)
        dE_dx = delta @ self.weight.data
        return dE_dx

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Yield `("weight", weight)` and, unless `bias=False`, `("bias", bias)`."""
        yield "weight", self.weight
        if self.bias is not None:
            yield "bias", self.bias

    def __repr__(self) -> str:
        return (
            f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None})"
        )


class Sigmoid(Module):
    r"""Element-wise sigmoid layer, $\text{out} = \sigma(\text{net})$.

    Examples:
        >>> from nnref.numpy import Sigmoid
        >>> layer = Sigmoid()
        >>> print(layer([0.0]), layer.backward([1.0]))
        [0.5] [0.25]
    """

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Return $\\sigma(x)$ (any shape) and cache it for `backward`."""
        out = sigmoid(x)
        self._push(out)
        return out

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        r"""Return $\delta = \frac{\partial E}{\partial \text{out}}\,\text{out}(1 - \text{out})$.

        Args:
            grad_output: $\partial E / \partial \text{out}$, shaped like the output of the
                forward pass it consumes (the latest one not yet back-propagated).

        Returns:
            $\delta = \partial E / \partial \text{net}$, of the same shape.
        """
        (out,) = self._latest()
        dE_dout = as_float_array(grad_output, "grad_output")
        check_grad_output(out.shape, dE_dout.shape, out.dtype, dE_dout.dtype)
        self._consumed()
        # sigma' = sigma (1 - sigma), read off the cached output: no exp needed.
        delta = dE_dout * out * (1.0 - out)
        return delta

    def __repr__(self) -> str:
        return "Sigmoid()"


class Tanh(Module):
    r"""Element-wise tanh layer, $\text{out} = \tanh(\text{net})$.

    Examples:
        >>> from nnref.numpy import Tanh
        >>> layer = Tanh()
        >>> print(layer([0.0]), layer.backward([1.0]))
        [0.] [1.]
    """

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Return $\\tanh(x)$ (any shape) and cache it for `backward`."""
        out = tanh(x)
        self._push(out)
        return out

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        r"""Return $\delta = \frac{\partial E}{\partial \text{out}} (1 - \text{out}^2)$.

        Args:
            grad_output: $\partial E / \partial \text{out}$, shaped like the output of the
                forward pass it consumes (the latest one not yet back-propagated).

        Returns:
            $\delta = \partial E / \partial \text{net}$, of the same shape.
        """
        (out,) = self._latest()
        dE_dout = as_float_array(grad_output, "grad_output")
        check_grad_output(out.shape, dE_dout.shape, out.dtype, dE_dout.dtype)
        self._consumed()
        # tanh' = 1 - tanh^2, read off the cached output.
        delta = dE_dout * (1.0 - out * out)
        return delta

    def __repr__(self) -> str:
        return "Tanh()"


class ReLU(Module):
    r"""Element-wise ReLU layer, $\text{out} = \max(0, \text{net})$.

    Examples:
        >>> from nnref.numpy import ReLU
        >>> layer = ReLU()
        >>> print(layer([-1.0, 0.0, 2.0]), layer.backward([1.0, 1.0, 1.0]))
        [0. 0. 2.] [0. 0. 1.]
    """

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Return $\\max(0, x)$ (any shape) and cache `x` for `backward`."""
        x = as_float_array(x, "x")
        self._push(x.copy())
        return relu(x)

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        r"""Pass the gradient where the input was positive, block it elsewhere (also at 0).

        Args:
            grad_output: $\partial E / \partial \text{out}$, shaped like the output of the
                forward pass it consumes (the latest one not yet back-propagated).

        Returns:
            $\delta = \partial E / \partial \text{net}$, of the same shape.
        """
        (x,) = self._latest()
        dE_dout = as_float_array(grad_output, "grad_output")
        check_grad_output(x.shape, dE_dout.shape, x.dtype, dE_dout.dtype)
        self._consumed()
        delta = dE_dout * relu_grad(x)
        return delta

    def __repr__(self) -> str:
        return "ReLU()"


class Softmax(Module):
    r"""Softmax layer along `axis`.

    Args:
        axis: The axis that sums to one (default -1, the last).
        dim: PyTorch's name for `axis`, accepted too; give one of the two.

    Examples:
        >>> from nnref.numpy import Softmax
        >>> layer = Softmax()
        >>> print(layer([0.0, 0.0]), layer.backward([1.0, 0.0]))
        [0.5 0.5] [ 0.25 -0.25]
    """

    def __init__(self, axis: int | None = None, *, dim: int | None = None) -> None:
        self.axis = check_axis_type(resolve_axis(axis, dim))

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Return the softmax of `x` along `axis` and cache it for `backward`."""
        out = softmax(x, axis=self.axis)
        self._push(out)
        return out

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        r"""Multiply by the softmax Jacobian without building it.

        With $s$ the output and $g = \partial E / \partial s$,
        $\partial E / \partial z_j = \sum_i g_i s_i (\delta_{ij} - s_j)
        = s_j \left(g_j - \sum_i g_i s_i\right)$.

        Args:
            grad_output: $\partial E / \partial s$, shaped like the output of the
                forward pass it consumes (the latest one not yet back-propagated).

        Returns:
            $\partial E / \partial z$, of the same shape.
        """
        (s,) = self._latest()
        dE_ds = as_float_array(grad_output, "grad_output")
        check_grad_output(s.shape, dE_ds.shape, s.dtype, dE_ds.dtype)
        self._consumed()
        dE_dz = s * (dE_ds - np.sum(dE_ds * s, axis=self.axis, keepdims=True))
        return dE_dz

    def __repr__(self) -> str:
        return f"Softmax(axis={self.axis})"


class Sequential(Module):
    """Layers applied one after the other; `backward` runs them in reverse.

    Parameters are named `"{index}.{name}"`, as in PyTorch: layers without parameters keep
    their index, so `Sequential(Linear, Sigmoid, Linear)` has `0.weight` and `2.weight`.

    Args:
        *layers: The modules, in order.

    Raises:
        TypeError: If a layer is not an `nnref.numpy` `Module`.

    Examples:
        >>> from nnref.numpy import Linear, Sequential, Sigmoid
        >>> net = Sequential(Linear(2, 3, seed=0), Sigmoid(), Linear(3, 1, seed=1))
        >>> print(list(net.state_dict()))
        ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *layers: Module) -> None:
        for index, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(
                    f"Sequential layers must be nnref.numpy Modules; "
                    f"layer {index} is {type(layer).__name__}"
                )
        self.layers: list[Module] = list(layers)

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Feed `x` through every layer in order."""
        out = as_float_array(x, "x")
        for layer in self.layers:
            out = layer(out)
        return out

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Chain rule: hand each layer the gradient w.r.t. its output, last layer first."""
        grad = as_float_array(grad_output, "grad_output")
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Yield `("{index}.{name}", parameter)` for every layer's parameters.

        A parameter that appears more than once (a layer used twice) is yielded once, under
        its first name, as PyTorch does, so that an optimiser steps it once.
        """
        seen: set[int] = set()
        for name, parameter in self._every_named_parameter():
            if id(parameter) not in seen:
                seen.add(id(parameter))
                yield name, parameter

    def _every_named_parameter(self) -> Iterator[tuple[str, Parameter]]:
        # Every use of every parameter: state_dict() keys, as PyTorch's state_dict() has them.
        for index, layer in enumerate(self.layers):
            for name, parameter in layer._every_named_parameter():
                yield f"{index}.{name}", parameter

    def __getitem__(self, index: int | slice) -> Module:
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def __repr__(self) -> str:
        lines = [f"  ({index}): {layer!r}" for index, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)" if lines else "Sequential()"
