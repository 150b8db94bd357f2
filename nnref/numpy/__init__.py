"""The NumPy twin: every gradient derived by hand.

Everything is importable from here: activations and their derivatives, layers with
hand-written `backward` passes, losses and their gradients, `SGD`, the initialisation
functions of `torch.nn.init` (`xavier_uniform_`, `kaiming_normal_`, ...), and the worked
2-2-2 example. `nnref.torch` exports the same names with the same meaning. Importing this package
never imports PyTorch.

Examples:
    >>> from nnref.numpy import half_squared_error, worked_inputs, worked_network, worked_targets
    >>> net = worked_network()
    >>> print(f"{half_squared_error(net(worked_inputs()), worked_targets()):.10f}")
    0.2983711088
"""

from nnref.numpy.activations import (
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_grad,
)
from nnref.numpy.example import worked_inputs, worked_network, worked_targets
from nnref.numpy.init import (
    calculate_gain,
    kaiming_normal_,
    kaiming_uniform_,
    xavier_normal_,
    xavier_uniform_,
)
from nnref.numpy.layers import (
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
from nnref.numpy.losses import (
    cross_entropy,
    cross_entropy_grad,
    half_squared_error,
    half_squared_error_grad,
    mse_loss,
    mse_loss_grad,
)
from nnref.numpy.optim import SGD

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
