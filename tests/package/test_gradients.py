"""The NumPy twin's hand-derived gradients agree with central finite differences
(`nnref.gradcheck`) to a relative error of at most 1e-7; and the tools themselves behave."""

from __future__ import annotations

import numpy as np
import pytest

import nnref.numpy as nnp
from nnref.gradcheck import numerical_gradient, relative_error
from tests.package.nets import every_layer_type

TOLERANCE = 1e-7
# Step for the network checks: gradients there are as small as 1e-4 while E is near 0.3,
# so 1e-5 balances truncation (~eps^2) against rounding (~1e-16 E / eps) better than 1e-6.
NETWORK_EPS = 1e-5


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([31337, *key])


def _away_from_zero(x: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    # ReLU has a kink at 0: finite differences across it measure neither side's slope.
    return np.where(np.abs(x) < margin, margin, x)


@pytest.mark.parametrize(
    ("function", "derivative"),
    [
        (nnp.sigmoid, nnp.sigmoid_grad),
        (nnp.tanh, nnp.tanh_grad),
        (nnp.relu, nnp.relu_grad),
    ],
    ids=["sigmoid", "tanh", "relu"],
)
@pytest.mark.parametrize("shape", [(6,), (2, 3, 2)], ids=str)
def test_elementwise_derivatives(function, derivative, shape: tuple[int, ...]) -> None:
    x = _away_from_zero(_rng(len(shape)).normal(scale=2.0, size=shape))
    # d/dx_i sum_j f(x_j) = f'(x_i): the element-wise derivative.
    numeric = numerical_gradient(lambda z: np.sum(function(z)), x)
    assert relative_error(derivative(x), numeric) <= TOLERANCE


@pytest.mark.parametrize("n", [1, 2, 5])
def test_softmax_jacobian(n: int) -> None:
    x = _rng(n).normal(scale=2.0, size=n)
    jacobian = nnp.softmax_jacobian(x)
    numeric = np.stack([numerical_gradient(lambda z, i=i: nnp.softmax(z)[i], x) for i in range(n)])
    assert relative_error(jacobian, numeric) <= TOLERANCE


def test_softmax_jacobian_batched_rows() -> None:
    x = _rng(3).normal(size=(2, 3, 4))
    jacobian = nnp.softmax_jacobian(x)
    for index in np.ndindex(2, 3):
        assert relative_error(jacobian[index], nnp.softmax_jacobian(x[index])) == 0.0


@pytest.mark.parametrize(
    ("loss", "gradient"),
    [
        (nnp.half_squared_error, nnp.half_squared_error_grad),
        (nnp.mse_loss, nnp.mse_loss_grad),
    ],
    ids=["half_squared_error", "mse_loss"],
)
@pytest.mark.parametrize("shape", [(), (3,), (4, 2)], ids=str)
def test_regression_loss_gradients(loss, gradient, shape: tuple[int, ...]) -> None:
    rng = _rng(len(shape), 1)
    output, target = rng.normal(size=shape), rng.normal(size=shape)
    numeric = numerical_gradient(lambda o: loss(o, target), output)
    assert relative_error(gradient(output, target), numeric) <= TOLERANCE


@pytest.mark.parametrize(("n", "classes"), [(1, 2), (4, 3), (7, 5)])
def test_cross_entropy_gradient(n: int, classes: int) -> None:
    rng = _rng(n, classes)
    logits = rng.normal(scale=2.0, size=(n, classes))
    labels = rng.integers(0, classes, size=n)
    numeric = numerical_gradient(lambda z: nnp.cross_entropy(z, labels), logits)
    assert relative_error(nnp.cross_entropy_grad(logits, labels), numeric) <= TOLERANCE


def _check_network(net: nnp.Module, x: np.ndarray, target: np.ndarray) -> None:
    def error() -> float:
        return float(nnp.half_squared_error(net(x), target))

    # Analytic gradients first: the finite differences below overwrite the layer caches.
    net.zero_grad()
    output = net(x)
    dE_dx = net.backward(nnp.half_squared_error_grad(output, target))
    analytic = {name: p.grad.copy() for name, p in net.named_parameters()}

    numeric_dx = numerical_gradient(
        lambda z: nnp.half_squared_error(net(z), target), x, eps=NETWORK_EPS
    )
    assert relative_error(dE_dx, numeric_dx) <= TOLERANCE

    for name, parameter in net.named_parameters():
        original = parameter.data

        def error_at(value: np.ndarray, parameter=parameter) -> float:
            parameter.data = value
            return error()

        numeric = numerical_gradient(error_at, original, eps=NETWORK_EPS)
        parameter.data = original
        assert relative_error(analytic[name], numeric) <= TOLERANCE, name


@pytest.mark.parametrize("batch", [(), (5,), (2, 3)], ids=str)
def test_linear_backward(batch: tuple[int, ...]) -> None:
    rng = _rng(2, len(batch))
    layer = nnp.Linear(3, 4, seed=9)
    _check_network(layer, rng.normal(size=(*batch, 3)), rng.normal(size=(*batch, 4)))


@pytest.mark.parametrize("batch", [(), (6,), (2, 3)], ids=str)
def test_sequential_backward_through_every_layer_type(batch: tuple[int, ...]) -> None:
    rng = _rng(4, len(batch))
    net = every_layer_type(nnp, (3, 5, 4, 4, 3))
    # Biases nudged away from the ReLU kink so every pre-activation is clearly non-zero.
    net[2].bias.data += 0.05
    _check_network(net, rng.normal(size=(*batch, 3)), rng.uniform(size=(*batch, 3)))


def test_softmax_layer_on_another_axis() -> None:
    rng = _rng(6)
    net = nnp.Sequential(nnp.Softmax(axis=0))
    _check_network(net, rng.normal(size=(4, 3)), rng.uniform(size=(4, 3)))


def test_worked_network_backward() -> None:
    net = nnp.worked_network()
    _check_network(net, nnp.worked_inputs(), nnp.worked_targets())


# The tools themselves.


def test_numerical_gradient_leaves_input_untouched() -> None:
    x = np.array([[1.0, -2.0], [0.5, 3.0]], dtype=np.float32)
    before = x.copy()
    gradient = numerical_gradient(lambda z: np.sum(z**2), x)
    np.testing.assert_array_equal(x, before)
    assert gradient.dtype == np.float64
    assert gradient.shape == x.shape
    np.testing.assert_allclose(gradient, 2 * before.astype(np.float64), rtol=1e-8)


def test_numerical_gradient_of_a_scalar_point() -> None:
    gradient = numerical_gradient(lambda z: float(z) ** 3, 2.0)
    assert gradient.shape == ()
    assert abs(float(gradient) - 12.0) < 1e-6


def test_numerical_gradient_accepts_integer_points() -> None:
    gradient = numerical_gradient(lambda z: np.sum(z**2), [1, 2])
    np.testing.assert_allclose(gradient, [2.0, 4.0], rtol=1e-8)


def test_numerical_gradient_rejects_non_scalar_functions() -> None:
    with pytest.raises(ValueError, match=r"scalar; got shape \(2,\)"):
        numerical_gradient(lambda z: z * 2, np.zeros(2))


@pytest.mark.parametrize("eps", [0.0, -1e-6, float("nan"), float("inf")])
def test_numerical_gradient_rejects_bad_steps(eps: float) -> None:
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        numerical_gradient(lambda z: np.sum(z), np.zeros(2), eps=eps)


def test_relative_error() -> None:
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros((0, 2)), np.zeros((0, 2))) == 0.0
    # max |a - b| / max(|a| + |b|) = 0.5 / 4.5
    assert relative_error([1.0, 2.0], [1.0, 2.5]) == pytest.approx(1 / 9, rel=1e-15)
    assert isinstance(relative_error([1.0], [2.0]), float)


def test_relative_error_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))
