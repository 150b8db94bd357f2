"""Layer and optimiser behaviour shared by both twins: PyTorch's layout, names and reprs,
initialisation, gradient accumulation, zero_grad, and SGD."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
import nnref.torch as nnt

TWINS = [nnp, nnt]
TWIN_IDS = ["numpy", "torch"]


def _values(result) -> np.ndarray:
    return result.detach().numpy() if isinstance(result, torch.Tensor) else np.asarray(result)


def _net(twin):
    return twin.Sequential(
        twin.Linear(3, 4, seed=0), twin.ReLU(), twin.Linear(4, 2, seed=1), twin.Tanh()
    )


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_linear_shapes_and_init_range(twin) -> None:
    layer = twin.Linear(16, 5, seed=3)
    assert layer.in_features == 16
    assert layer.out_features == 5
    weight, bias = _values(layer.weight.data), _values(layer.bias.data)
    assert weight.shape == (5, 16)
    assert bias.shape == (5,)
    assert weight.dtype == np.float64
    bound = 1 / math.sqrt(16)
    assert np.all(np.abs(weight) <= bound)
    assert np.all(np.abs(bias) <= bound)
    assert np.std(weight) > bound / 4  # spread over the range, not stuck near 0


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_seeds_are_reproducible(twin) -> None:
    first, again, other = (twin.Linear(3, 3, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(_values(first.weight.data), _values(again.weight.data))
    assert not np.array_equal(_values(first.weight.data), _values(other.weight.data))


def test_torch_seed_leaves_the_global_generator_alone() -> None:
    state = torch.random.get_rng_state()
    nnt.Linear(4, 4, seed=0)
    nnt.worked_network()
    assert torch.equal(state, torch.random.get_rng_state())
    from_generator = nnt.Linear(2, 2, seed=np.random.default_rng(5))
    from_int = nnt.Linear(2, 2, seed=5)
    assert torch.equal(from_generator.weight, from_int.weight)


def test_numpy_accepts_a_generator_as_seed() -> None:
    from_generator = nnp.Linear(2, 2, seed=np.random.default_rng(5))
    from_int = nnp.Linear(2, 2, seed=5)
    np.testing.assert_array_equal(from_generator.weight.data, from_int.weight.data)


def test_reprs_match_between_twins() -> None:
    assert repr(_net(nnp)) == repr(_net(nnt))
    assert repr(nnp.Sequential(nnp.Sigmoid())) == repr(nnt.Sequential(nnt.Sigmoid()))


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_parameters_and_state_dict(twin) -> None:
    net = _net(twin)
    names = [name for name, _ in net.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert list(net.state_dict()) == names
    assert len(list(net.parameters())) == 4
    assert list(net[0].state_dict()) == ["weight", "bias"]
    assert len(net) == 4
    assert [type(layer).__name__ for layer in net[:2]] == ["Linear", "ReLU"]
    # state_dict() returns copies (NumPy) or detached views (PyTorch): editing a NumPy copy
    # must not touch the layer.
    if twin is nnp:
        state = net.state_dict()
        state["0.bias"][:] = 99.0
        assert not np.any(net[0].bias.data == 99.0)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_state_dict_round_trip_between_twins(twin) -> None:
    other = nnt if twin is nnp else nnp
    source = _net(twin)
    target = other.Sequential(
        other.Linear(3, 4, seed=9), other.ReLU(), other.Linear(4, 2, seed=9), other.Tanh()
    )
    target.load_state_dict({key: _values(value) for key, value in source.state_dict().items()})
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(_values(target.state_dict()[key]), _values(value))


def _backward(twin, net, x, target) -> None:
    if twin is nnp:
        net.backward(nnp.half_squared_error_grad(net(x), target))
    else:
        nnt.half_squared_error(net(x), target).backward()


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_gradients_accumulate_until_zero_grad(twin) -> None:
    net = _net(twin)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3))
    target = rng.normal(size=(5, 2))
    if twin is nnt:
        x, target = torch.from_numpy(x), torch.from_numpy(target)
    _backward(twin, net, x, target)
    once = [_values(p.grad).copy() for p in net.parameters()]
    _backward(twin, net, x, target)
    for parameter, grad in zip(net.parameters(), once, strict=True):
        np.testing.assert_allclose(_values(parameter.grad), 2 * grad, rtol=1e-15, atol=0)
    net.zero_grad()
    assert all(parameter.grad is None for parameter in net.parameters())


def test_numpy_zero_grad_can_fill_with_zeros() -> None:
    layer = nnp.Linear(2, 2, seed=0)
    layer(np.ones(2))
    layer.backward(np.ones(2))
    layer.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(layer.weight.grad, np.zeros((2, 2)))
    optimiser = nnp.SGD(layer.parameters(), lr=0.1)
    optimiser.zero_grad()
    assert layer.weight.grad is None


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_sgd_skips_parameters_without_gradients(twin) -> None:
    net = _net(twin)
    before = {key: _values(value).copy() for key, value in net.state_dict().items()}
    twin.SGD(net.parameters(), lr=0.5).step()
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(_values(value), before[key])


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_sgd_updates_in_place(twin) -> None:
    layer = twin.Linear(2, 1, seed=0)
    weight_before = _values(layer.weight.data).copy()
    x = np.array([[1.0, 2.0]])
    target = np.array([[0.0]])
    if twin is nnt:
        x, target = torch.from_numpy(x), torch.from_numpy(target)
    _backward(twin, layer, x, target)
    grad = _values(layer.weight.grad).copy()
    twin.SGD(layer.parameters(), lr=0.25).step()
    np.testing.assert_array_equal(_values(layer.weight.data), weight_before - 0.25 * grad)


def test_parameter_repr_and_copy() -> None:
    source = np.array([1.0, 2.0], dtype=np.float32)
    parameter = nnp.Parameter(source)
    source[0] = 5.0
    assert parameter.data[0] == 1.0
    assert repr(parameter) == "Parameter(shape=(2,), dtype=float32)"
    assert parameter.shape == (2,)
    assert parameter.dtype == np.float32
    assert parameter.grad is None


def test_torch_layers_are_torch_modules() -> None:
    net = nnt.worked_network()
    assert isinstance(net, torch.nn.Sequential)
    assert isinstance(net[0], torch.nn.Linear)
    assert isinstance(nnt.SGD(net.parameters(), lr=0.1), torch.optim.SGD)
    assert nnt.Module is torch.nn.Module
    assert nnt.Parameter is torch.nn.Parameter
    sliced = net[:2]
    assert isinstance(sliced, nnt.Sequential)
    assert len(sliced) == 2
