"""The PyTorch twin: the same names as `nnref.numpy`, every gradient taken by autograd.

Layers are `torch.nn` modules, `SGD` is a `torch.optim.SGD`, and the `*_grad` functions and
`softmax_jacobian` ask autograd rather than a hand-written formula, so comparing the twins
checks the hand derivations of `nnref.numpy`. The initialisation functions
(`xavier_uniform_`, `kaiming_normal_`, ...) are `torch.nn.init`'s; given a `seed` they draw
with NumPy, so both twins fill the same values.

Examples:
    >>> from nnref.torch import half_squared_error, worked_inputs, worked_network, worked_targets
    >>> net = worked_network()
    >>> print(f"{half_squared_error(net(worked_inputs()), worked_targets()).item():.10f}")
    0.2983711088
"""

try:
    import torch as _torch  # noqa: F401  (imported only to learn whether it is installed)
except ImportError as error:
    raise ImportError(
        "nnref.torch needs PyTorch, which is not installed; install nnref with its torch "
        'extra: pip install "nnref[torch]" (nnref.numpy works without it)'
    ) from error

from nnref.torch.activations import (
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_grad,
)
from nnref.torch.example import worked_inputs, worked_network, worked_targets
from nnref.torch.init import (
    calculate_gain,
    kaiming_normal_,
    kaiming_uniform_,
    xavier_normal_,
    xavier_uniform_,
)
from nnref.torch.layers import (
    Linear,
    Module,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    no_grad,
)
from nnref.torch.losses import (
    cross_entropy,
    cross_entropy_grad,
    half_squared_error,
    half_squared_error_grad,
    mse_loss,
    mse_loss_grad,
)
from nnref.torch.optim import SGD

__all__ = [
    "SGD",
    "Linear",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "calculate_gain",
    "cross_entropy",
    "cross_entropy_grad",
    "half_squared_error",
    "half_squared_error_grad",
    "kaiming_normal_",
    "kaiming_uniform_",
    "mse_loss",
    "mse_loss_grad",
    "no_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "tanh",
    "tanh_grad",
    "worked_inputs",
    "worked_network",
    "worked_targets",
    "xavier_normal_",
    "xavier_uniform_",
]
