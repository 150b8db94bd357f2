r"""A scalar reverse-mode autograd engine in pure Python, in the manner of micrograd.

Each `Value` holds one float `data` and the gradient `grad` $= \partial L / \partial$ data of
the output $L$ on which `backward()` was called. Every operation builds its result and,
right under it, a `_backward` closure holding its local derivative: given the result's
gradient, it adds the chain-rule contribution to each input's gradient. `backward()` runs
these closures in reverse topological order, so a node's gradient is complete before it is
passed on; gradients are *added* (`+=`), so a value used twice receives both contributions.

Names follow Karpathy's micrograd (`data`, `grad`, `backward`, `relu`, `Neuron`, `Layer`,
`MLP`, `parameters`, `zero_grad`), so code moves between the two. The module imports only
`math` and runs unchanged under CPython 3.11+ and MicroPython (the tests run it in both).
Under MicroPython `repr` of a float may spend one digit more than CPython's; print with an
explicit format such as `'{:.12e}'` where the two must agree byte for byte.

Examples:
    >>> from nnref.scalar import Value
    >>> x = Value(2.0)
    >>> y = x * x + 3 * x  # x is used twice: dy/dx = 2x + 3
    >>> y.backward()
    >>> print(y.data, x.grad)
    10.0 7.0
"""

import math

__all__ = ["LCG", "MLP", "Layer", "Module", "Neuron", "Value"]

# log of the largest float (about 1.8e308): exp of anything above it overflows.
_EXP_MAX = 709.782712893384


def _number(x, what):
    # bool is excluded by name: in MicroPython it is not a subclass of int.
    if type(x) is bool or not isinstance(x, (int, float)):
        raise TypeError(f"{what} must be an int or float, got {type(x).__name__}")
    return float(x)


class Value:
    """One scalar node of a computation graph.

    Args:
        data: The number, an int or float (stored as a finite float).
        _children: The `Value`s this one was computed from (set by the operations).
        op: The operation that made it, such as `'*'` or `'tanh'`; `''` for a leaf.
        label: A name to print, such as `'w'`.

    Raises:
        TypeError: If `data` is not an int or float.
        ValueError: If `data` is inf or nan (an operation overflowed).

    Examples:
        >>> from nnref.scalar import Value
        >>> Value(0.5, label="w")
        Value(data=0.5, grad=0.0)
    """

    def __init__(self, data, _children=(), op="", *, label=""):
        self.data = _number(data, "Value data")
        if not math.isfinite(self.data):
            raise ValueError(f"Value data must be finite, got {self.data!r}")
        self.grad = 0.0
        self._prev = tuple(_children)  # a tuple, not a set: the order is reproducible
        self._backward = lambda: None  # a leaf passes nothing on
        self.op = op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(a+b)/da = d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        """`a ** k` for a constant int or float `k` (TypeError for a `Value`; ValueError for a
        negative base with a fractional `k`, whose power is not real)."""
        if isinstance(other, Value):
            raise TypeError(
                "Value ** Value: the exponent must be a constant int or float, got a Value"
            )
        k = _number(other, "the exponent")
        if self.data < 0 and k != math.floor(k):
            raise ValueError(f"{self.data!r} ** {k!r}: a negative base needs an integer power")
        out = Value(self.data**k, (self,), f"**{other!r}")

        def _backward():  # d(a^k)/da = k a^(k-1)
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        """$e^a$. Raises OverflowError for $a > 709.78$, where $e^a$ passes the largest float."""
        x = self.data
        if x > _EXP_MAX:
            raise OverflowError(f"exp({x!r}) overflows a float: the input must be <= {_EXP_MAX}")
        out = Value(math.exp(x), (self,), "exp")

        def _backward():  # d(e^a)/da = e^a
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):
        r"""$\ln a$. Raises ValueError for $a \le 0$."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive input, got {self.data!r}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():  # d(ln a)/da = 1/a
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self):
        r"""$\tanh a$, in $(-1, 1)$: finite for any input."""
        # libm's tanh saturates to ±1; (e^{2x} - 1)/(e^{2x} + 1) would overflow past x = 355.
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():  # d(tanh a)/da = 1 - tanh(a)^2
            self.grad += (1.0 - t * t) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        r"""$\sigma(a) = 1 / (1 + e^{-a})$, in $[0, 1]$: finite for any input."""
        # Only exp(-|x|) <= 1 is ever computed: 1/(1 + e^{-x}) for x >= 0, e^x/(1 + e^x) below.
        e = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        out = Value(s, (self,), "sigmoid")

        def _backward():  # dσ(a)/da = σ(a)(1 - σ(a))
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        r"""$\max(a, 0)$; its derivative at 0 is taken as 0, as in PyTorch."""
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():  # 1 for a > 0, else 0 (also at 0, as in PyTorch)
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def topological_order(self):
        """Every `Value` this one depends on, inputs first and `self` last.

        An iterative depth-first search (MicroPython's stack is shallow): a node is listed
        once all its children are, children in the order the operation took them.

        Returns:
            list of `Value`, each once.

        Examples:
            >>> from nnref.scalar import Value
            >>> w, x, b = Value(0.5, label="w"), Value(2.0, label="x"), Value(-1.0, label="b")
            >>> wx = w * x
            >>> wx.label = "w*x"
            >>> y = (wx + b).tanh()
            >>> print([v.label or v.op for v in y.topological_order()])
            ['w', 'x', 'w*x', 'b', '+', 'tanh']
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node._prev))
        return order

    def backward(self):
        r"""Fill `grad` of every node below with $\partial\,$`self`$/\partial\,$node.

        Seeds `self.grad = 1`, then applies the chain rule from the output back to the
        inputs. Gradients accumulate across calls, as in PyTorch: zero them in between.

        Examples:
            >>> from nnref.scalar import Value
            >>> a, b = Value(3.0), Value(-2.0)
            >>> c = (a * b).relu() + a / b
            >>> c.backward()
            >>> print(a.grad, b.grad)
            -0.5 -0.75
        """
        self.grad = 1.0
        for node in reversed(self.topological_order()):
            node._backward()

    # The rest is built from the operations above, so it needs no derivative of its own.
    def __neg__(self):  # -a
        return self * -1

    def __radd__(self, other):  # other + a
        return self + other

    def __sub__(self, other):  # a - other
        return self + (-other)

    def __rsub__(self, other):  # other - a
        return other + (-self)

    def __rmul__(self, other):  # other * a
        return self * other

    def __truediv__(self, other):  # a / other
        return self * other**-1

    def __rtruediv__(self, other):  # other / a
        return other * self**-1

    def __rpow__(self, other):
        raise TypeError(f"{other!r} ** Value: the exponent must be a constant, got a Value")


class LCG:
    r"""A tiny random generator that gives the same numbers under CPython and MicroPython.

    The linear congruential generator of Numerical Recipes,
    $s \leftarrow (1664525\,s + 1013904223) \bmod 2^{32}$, in integer arithmetic; each
    draw is $s / 2^{32}$. Statistically weak, but enough to break the symmetry of initial
    weights (the `random` modules of the two Pythons differ).

    Args:
        seed: Any int.

    Examples:
        >>> from nnref.scalar import LCG
        >>> rng = LCG(0)
        >>> print(rng.state, rng.random() == 1013904223 / 2**32, rng.state)
        0 True 1013904223
        >>> print(["{:.6f}".format(rng.uniform(-1.0, 1.0)) for _ in range(2)])
        ['-0.442866', '0.639068']
    """

    def __init__(self, seed=0):
        if type(seed) is not int:
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        self.state = seed % 4294967296

    def random(self):
        """Return a float in $[0, 1)$."""
        self.state = (1664525 * self.state + 1013904223) % 4294967296
        return self.state / 4294967296.0

    def uniform(self, low, high):
        """Return a float in $[$`low`$,$ `high`$)$."""
        return low + (high - low) * self.random()


def _rng(seed):
    return seed if isinstance(seed, LCG) else LCG(seed)


def _rows(given, n, what):
    if given is None:
        return [None] * n
    if len(given) != n:
        raise ValueError(f"{what}: expected {n} entries, got {len(given)}")
    return list(given)


class Module:
    """Base of `Neuron`, `Layer` and `MLP`: their parameters, and zeroing their gradients."""

    def zero_grad(self):
        """Set the `grad` of every parameter to 0."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        """Return the list of parameter `Value`s."""
        return []


class Neuron(Module):
    r"""One unit: $\phi(b + \sum_i w_i x_i)$.

    Args:
        n_inputs: Number of inputs.
        nonlin: The activation $\phi$: `True` (ReLU, micrograd's default), `'relu'`,
            `'tanh'`, `'sigmoid'`, or `False` for none.
        seed: An int, or an `LCG` to draw from; weights are uniform in $[-1, 1)$.
        weights: `n_inputs` numbers to use instead of random weights.
        bias: The starting bias.

    Examples:
        >>> from nnref.scalar import Neuron
        >>> n = Neuron(2, nonlin="sigmoid", weights=(0.15, 0.20), bias=0.35)
        >>> print("{:.9f}".format(n([0.05, 0.10]).data))
        0.593269992
    """

    def __init__(self, n_inputs, *, nonlin=True, seed=0, weights=None, bias=0.0):
        if weights is None:
            rng = _rng(seed)
            weights = [rng.uniform(-1.0, 1.0) for _ in range(n_inputs)]
        self.w = [Value(w) for w in _rows(weights, n_inputs, "weights")]
        self.b = Value(bias)
        self.nonlin = "relu" if nonlin is True else (nonlin or "")
        if self.nonlin not in ("", "relu", "tanh", "sigmoid"):
            raise ValueError(f"nonlin must be True, False, 'relu', 'tanh' or 'sigmoid': {nonlin!r}")

    def __call__(self, x):
        """`x`: `n_inputs` numbers or `Value`s. Returns one `Value`."""
        _rows(x, len(self.w), "inputs")
        # MicroPython's zip has no strict=; _rows checked the length.
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)  # noqa: B905
        return getattr(act, self.nonlin)() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]  # noqa: RUF005 (MicroPython has no [*a, b])


class Layer(Module):
    """`n_outputs` neurons that share the inputs.

    Args:
        n_inputs, n_outputs: Sizes.
        nonlin, seed: As for `Neuron`; the neurons draw one after another from one `LCG`.
        weights: Shape `(n_outputs, n_inputs)`: row `j` feeds neuron `j`, the layout of
            `nnref.example.W1`.
        biases: `n_outputs` numbers.

    Examples:
        >>> from nnref import example
        >>> from nnref.scalar import Layer
        >>> hidden = Layer(2, 2, nonlin="sigmoid", weights=example.W1, biases=example.B1)
        >>> print(["{:.9f}".format(h.data) for h in hidden(example.INPUTS)])
        ['0.593269992', '0.596884378']
    """

    def __init__(self, n_inputs, n_outputs, *, nonlin=True, seed=0, weights=None, biases=None):
        rng = _rng(seed)
        rows = _rows(weights, n_outputs, "weights")
        biases = [0.0] * n_outputs if biases is None else _rows(biases, n_outputs, "biases")
        self.neurons = [
            Neuron(n_inputs, nonlin=nonlin, seed=rng, weights=w, bias=b)
            for w, b in zip(rows, biases)  # noqa: B905 (lengths checked; MicroPython has no strict=)
        ]

    def _forward(self, x):
        return [n(x) for n in self.neurons]

    def __call__(self, x):
        """Returns a list of `n_outputs` `Value`s, or one `Value` if `n_outputs` is 1."""
        out = self._forward(x)
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP(Module):
    """Layers of sizes `sizes` in a row, as in micrograd: the last one has no activation.

    Args:
        n_inputs: Number of inputs.
        sizes: Output size of each layer.
        nonlin: Activation of the hidden layers (see `Neuron`).
        output_nonlin: Activation of the last layer (`False`: none).
        seed: An int or an `LCG`; all layers draw from one generator.
        weights, biases: One entry per layer (see `Layer`), or `None`.

    Examples:
        >>> from nnref import example
        >>> from nnref.scalar import MLP
        >>> net = MLP(2, [2, 2], nonlin="sigmoid", output_nonlin="sigmoid",
        ...           weights=(example.W1, example.W2), biases=(example.B1, example.B2))
        >>> out = net(example.INPUTS)
        >>> error = sum(0.5 * (t - o) ** 2 for t, o in zip(example.TARGETS, out))
        >>> error.backward()
        >>> print("{:.10f} {:.10f}".format(error.data, net.layers[1].neurons[0].w[0].grad))
        0.2983711088 0.0821670406
    """

    def __init__(
        self,
        n_inputs,
        sizes,
        *,
        nonlin=True,
        output_nonlin=False,
        seed=0,
        weights=None,
        biases=None,
    ):
        rng, dims = _rng(seed), [n_inputs] + list(sizes)  # noqa: RUF005 (as above)
        weights = _rows(weights, len(sizes), "weights")
        biases = _rows(biases, len(sizes), "biases")
        last = len(sizes) - 1
        self.layers = [
            Layer(
                dims[i],
                dims[i + 1],
                nonlin=output_nonlin if i == last else nonlin,
                seed=rng,
                weights=weights[i],
                biases=biases[i],
            )
            for i in range(len(sizes))
        ]

    def __call__(self, x):
        """Returns a list of `sizes[-1]` `Value`s, or one `Value` if that size is 1."""
        for layer in self.layers:
            x = layer._forward(x)
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
