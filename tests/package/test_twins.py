"""The NumPy twin (hand-derived gradients) and the PyTorch twin (autograd) agree to 1e-12 in
float64, forward and backward, over seeded random inputs with batch dimensions."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
import nnref.torch as nnt
from tests.package.nets import every_layer_type

ATOL = 1e-12
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


def _close(got: torch.Tensor, expected: np.ndarray, atol: float = ATOL) -> None:
    assert isinstance(got, torch.Tensor)
    assert isinstance(expected, np.ndarray | np.floating)
    assert got.dtype == torch.float64
    assert np.asarray(expected).dtype == np.float64
    assert tuple(got.shape) == np.shape(expected)
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=0, atol=atol)


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([20240601, *key])


@pytest.mark.parametrize(
    "name", ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad"]
)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_elementwise(name: str, shape: tuple[int, ...]) -> None:
    x = _rng(len(shape)).normal(scale=4.0, size=shape)
    if x.size > 1:
        x.flat[0] = 0.0  # the kink of ReLU, where both twins use derivative 0
    _close(getattr(nnt, name)(torch.from_numpy(x)), getattr(nnp, name)(x))


@pytest.mark.parametrize(
    ("shape", "axis"), [((5,), -1), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1), ((2, 3, 4), 2)]
)
def test_softmax(shape: tuple[int, ...], axis: int) -> None:
    x = _rng(len(shape), axis % len(shape)).normal(scale=5.0, size=shape)
    _close(nnt.softmax(torch.from_numpy(x), axis=axis), nnp.softmax(x, axis=axis))


@pytest.mark.parametrize("shape", [(1,), (4,), (3, 4), (2, 3, 5), (0, 3)], ids=str)
def test_softmax_jacobian(shape: tuple[int, ...]) -> None:
    x = _rng(len(shape)).normal(scale=2.0, size=shape)
    expected = nnp.softmax_jacobian(x)
    assert expected.shape == (*shape, shape[-1])
    _close(nnt.softmax_jacobian(torch.from_numpy(x)), expected)


@pytest.mark.parametrize(
    "name", ["half_squared_error", "half_squared_error_grad", "mse_loss", "mse_loss_grad"]
)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_regression_losses(name: str, shape: tuple[int, ...]) -> None:
    rng = _rng(len(shape), 7)
    output, target = rng.normal(size=shape), rng.normal(size=shape)
    got = getattr(nnt, name)(torch.from_numpy(output), torch.from_numpy(target))
    _close(got, getattr(nnp, name)(output, target))


@pytest.mark.parametrize("name", ["cross_entropy", "cross_entropy_grad"])
@pytest.mark.parametrize(("n", "classes"), [(1, 1), (1, 3), (6, 4), (10, 2)])
def test_cross_entropy(name: str, n: int, classes: int) -> None:
    rng = _rng(n, classes)
    logits = rng.normal(scale=3.0, size=(n, classes))
    labels = rng.integers(0, classes, size=n)
    got = getattr(nnt, name)(torch.from_numpy(logits), torch.from_numpy(labels))
    _close(got, getattr(nnp, name)(logits, labels))


def test_cross_entropy_matches_torch_functional() -> None:
    rng = _rng(99)
    logits = torch.from_numpy(rng.normal(size=(5, 3)))
    labels = torch.from_numpy(rng.integers(0, 3, size=5))
    expected = torch.nn.functional.cross_entropy(logits, labels)
    assert abs(nnt.cross_entropy(logits, labels).item() - expected.item()) <= ATOL
    assert abs(float(nnp.cross_entropy(logits.numpy(), labels.numpy())) - expected.item()) <= ATOL


def _twin_networks() -> tuple[nnp.Sequential, nnt.Sequential]:
    layers_np = every_layer_type(nnp, (4, 6, 5, 5, 3))
    layers_t = every_layer_type(nnt, (4, 6, 5, 5, 3))
    # Same starting point: the NumPy weights, loaded into the PyTorch twin.
    layers_t.load_state_dict(layers_np.state_dict())
    return layers_np, layers_t


@pytest.mark.parametrize("batch", [(), (1,), (7,), (2, 3)], ids=str)
def test_sequential_forward_and_backward(batch: tuple[int, ...]) -> None:
    net_np, net_t = _twin_networks()
    rng = _rng(11, len(batch))
    x = rng.normal(size=(*batch, 4))
    target = rng.uniform(size=(*batch, 3))

    out_np = net_np(x)
    dE_dx_np = net_np.backward(nnp.half_squared_error_grad(out_np, target))

    x_t = torch.from_numpy(x).requires_grad_(True)
    out_t = net_t(x_t)
    nnt.half_squared_error(out_t, torch.from_numpy(target)).backward()

    _close(out_t, out_np)
    _close(x_t.grad, dE_dx_np)
    grads_t = {name: p.grad for name, p in net_t.named_parameters()}
    grads_np = {name: p.grad for name, p in net_np.named_parameters()}
    assert list(grads_t) == list(grads_np)
    for name, grad in grads_np.items():
        _close(grads_t[name], grad)


def test_gradients_accumulate_and_step_agrees() -> None:
    net_np, net_t = _twin_networks()
    rng = _rng(5)
    x, target = rng.normal(size=(4, 4)), rng.uniform(size=(4, 3))
    for _ in range(2):  # two backward passes: gradients must add up in both twins
        out = net_np(x)
        net_np.backward(nnp.mse_loss_grad(out, target))
        nnt.mse_loss(net_t(torch.from_numpy(x)), torch.from_numpy(target)).backward()
    for (_, p_np), (_, p_t) in zip(
        net_np.named_parameters(), net_t.named_parameters(), strict=True
    ):
        _close(p_t.grad, p_np.grad)
    nnp.SGD(net_np.parameters(), lr=0.1).step()
    nnt.SGD(net_t.parameters(), lr=0.1).step()
    for name, value in net_np.state_dict().items():
        _close(net_t.state_dict()[name], value)


def test_linear_with_cross_entropy() -> None:
    rng = _rng(3)
    layer_np = nnp.Linear(5, 4, seed=0)
    layer_t = nnt.Linear(5, 4, seed=0)
    layer_t.load_state_dict(layer_np.state_dict())
    x, labels = rng.normal(size=(8, 5)), rng.integers(0, 4, size=8)
    logits = layer_np(x)
    dE_dx = layer_np.backward(nnp.cross_entropy_grad(logits, labels))
    x_t = torch.from_numpy(x).requires_grad_(True)
    nnt.cross_entropy(layer_t(x_t), torch.from_numpy(labels)).backward()
    _close(x_t.grad, dE_dx)
    _close(layer_t.weight.grad, layer_np.weight.grad)
    _close(layer_t.bias.grad, layer_np.bias.grad)


def test_float32_twins_agree_loosely() -> None:
    x = _rng(8).normal(size=(3, 4)).astype(np.float32)
    for name in ["sigmoid", "sigmoid_grad", "tanh_grad", "softmax", "softmax_jacobian"]:
        got = getattr(nnt, name)(torch.from_numpy(x))
        expected = getattr(nnp, name)(x)
        assert got.dtype == torch.float32
        assert expected.dtype == np.float32
        np.testing.assert_allclose(got.numpy(), expected, rtol=0, atol=1e-6)


def test_cross_entropy_of_a_certain_prediction_is_plus_zero() -> None:
    # -mean(0.0) is -0.0, which prints as "-0.0"; both twins must print 0.0 like PyTorch.
    logits = np.array([[0.0, 800.0]])
    labels = np.array([1])
    loss_np = nnp.cross_entropy(logits, labels)
    loss_t = nnt.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels))
    assert str(float(loss_np)) == str(loss_t.item()) == "0.0"
