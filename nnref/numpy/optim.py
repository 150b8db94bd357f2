r"""Plain stochastic gradient descent for the NumPy twin."""

from __future__ import annotations

from collections.abc import Iterable

from nnref._validate import check_learning_rate
from nnref.numpy.layers import Parameter

__all__ = ["SGD"]


class SGD:
    r"""Gradient descent: $w \leftarrow w - \eta \, \partial E / \partial w$ for every parameter.

    Like `torch.optim.SGD(params, lr)` without momentum or weight decay: `step()` updates
    each parameter that has a gradient, in place, and skips those whose `.grad` is `None`.

    Args:
        params: The parameters to update, e.g. `net.parameters()` (weights *and* biases) or
            a hand-picked list.
        lr: The learning rate $\eta \ge 0$.

    Raises:
        TypeError: If an entry of `params` is not a `Parameter` or `lr` is not a number.
        ValueError: If `params` is empty or `lr` is negative or not finite.

    Examples:
        >>> from nnref.numpy import SGD, Parameter
        >>> w = Parameter([1.0])
        >>> w.grad = w.data * 4.0
        >>> SGD([w], lr=0.5).step()
        >>> print(w.data)
        [-1.]
    """

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        self.params: list[Parameter] = list(params)
        for index, param in enumerate(self.params):
            if not isinstance(param, Parameter):
                raise TypeError(
                    f"params must be nnref.numpy Parameters; entry {index} is "
                    f"{type(param).__name__}"
                )
        if not self.params:
            raise ValueError("SGD got an empty parameter list")
        self.lr = check_learning_rate(lr)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients: set them to `None` (default) or fill them with 0."""
        for param in self.params:
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad.fill(0.0)

    def step(self) -> None:
        """Take one step against the gradient, in place."""
        for param in self.params:
            if param.grad is None:
                continue
            # In place, so every layer holding this Parameter sees the new values.
            param.data -= self.lr * param.grad
