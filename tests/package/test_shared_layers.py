"""A module used more than once, one seed for both twins, and PyTorch's signatures.

Every network is built inside its test: nothing mutable is shared between tests.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
import nnref.torch as nnt

TOL = 1e-12


def _pair(in_features: int, out_features: int, seed: int, bias: bool = True):
    return (
        nnp.Linear(in_features, out_features, bias, seed=seed),
        nnt.Linear(in_features, out_features, bias, seed=seed),
    )


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def _close(numpy_value, torch_value) -> None:
    np.testing.assert_allclose(numpy_value, torch_value.detach().numpy(), rtol=TOL, atol=TOL)


# --- a layer used twice or three times ---------------------------------------------------


@pytest.mark.parametrize("uses", [2, 3])
def test_a_layer_used_several_times_in_sequential_matches_autograd(uses: int) -> None:
    lin_np, lin_t = _pair(2, 2, seed=4)
    net_np = nnp.Sequential(*[m for _ in range(uses) for m in (lin_np, nnp.Tanh())])
    net_t = nnt.Sequential(*[m for _ in range(uses) for m in (lin_t, nnt.Tanh())])
    x = _x((5, 2))
    out_np = net_np(x)
    out_t = net_t(torch.from_numpy(x))
    _close(out_np, out_t)
    grad = _x(out_np.shape, seed=1)
    dx_np = net_np.backward(grad)
    x_t = torch.from_numpy(x).requires_grad_()
    net_t(x_t).backward(torch.from_numpy(grad))
    _close(dx_np, x_t.grad)
    _close(lin_np.weight.grad, lin_t.weight.grad)
    _close(lin_np.bias.grad, lin_t.bias.grad)


def test_the_issue_example_no_longer_gives_the_last_use_only() -> None:
    # Sequential(lin, Tanh(), lin): the weight gradient sums both uses' outer products.
    lin_np, lin_t = _pair(2, 2, seed=0)
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    net_np = nnp.Sequential(lin_np, nnp.Tanh(), lin_np)
    net_np(x)
    net_np.backward(np.ones((2, 2)))
    nnt.Sequential(lin_t, nnt.Tanh(), lin_t)(torch.from_numpy(x)).sum().backward()
    _close(lin_np.weight.grad, lin_t.weight.grad)


def test_a_hand_written_composition_with_a_shared_layer_matches_autograd() -> None:
    lin_np, lin_t = _pair(3, 3, seed=2)
    act_np = nnp.Sigmoid()
    x = _x((4, 3))
    # y = lin(sigmoid(lin(x))) + lin(x): three uses, back-propagated in reverse order.
    a = lin_np(x)
    b = lin_np(act_np(a))
    c = lin_np(x)
    y = b + c
    g = _x(y.shape, seed=3)
    dx_c = lin_np.backward(g)  # the last use first
    da = act_np.backward(lin_np.backward(g))
    dx_a = lin_np.backward(da)
    x_t = torch.from_numpy(x).requires_grad_()
    y_t = lin_t(torch.sigmoid(lin_t(x_t))) + lin_t(x_t)
    y_t.backward(torch.from_numpy(g))
    _close(y, y_t)
    _close(dx_a + dx_c, x_t.grad)
    _close(lin_np.weight.grad, lin_t.weight.grad)
    _close(lin_np.bias.grad, lin_t.bias.grad)


@pytest.mark.parametrize(
    "make",
    [lambda: nnp.Linear(2, 2, seed=0), nnp.Sigmoid, nnp.Tanh, nnp.ReLU, nnp.Softmax],
    ids=["Linear", "Sigmoid", "Tanh", "ReLU", "Softmax"],
)
def test_backward_without_a_matching_forward_raises(make) -> None:
    layer = make()  # built per test: no cache is shared between tests
    layer(np.ones((1, 2)))
    layer.backward(np.ones((1, 2)))
    with pytest.raises(RuntimeError, match=r"has no forward pass left to back-propagate"):
        layer.backward(np.ones((1, 2)))


def test_a_rejected_grad_output_leaves_the_cache_for_a_correct_one() -> None:
    layer = nnp.Linear(2, 3, seed=0)
    layer(np.ones((4, 2)))
    with pytest.raises(ValueError):
        layer.backward(np.ones((4, 5)))
    assert layer.backward(np.ones((4, 3))).shape == (4, 2)


def test_no_grad_records_nothing_in_either_twin() -> None:
    layer = nnp.Tanh()
    with nnp.no_grad():
        layer(np.zeros(3))
    with pytest.raises(RuntimeError, match="no_grad"):
        layer.backward(np.ones(3))
    with nnt.no_grad():
        assert not nnt.Tanh()(torch.zeros(3, requires_grad=True)).requires_grad


def test_a_shared_parameter_is_listed_once_and_saved_under_every_name() -> None:
    lin_np, lin_t = _pair(2, 2, seed=0)
    net_np = nnp.Sequential(lin_np, nnp.Tanh(), lin_np)
    net_t = nnt.Sequential(lin_t, nnt.Tanh(), lin_t)
    assert [n for n, _ in net_np.named_parameters()] == [n for n, _ in net_t.named_parameters()]
    assert len(net_np.parameters()) == len(list(net_t.parameters())) == 2
    assert list(net_np.state_dict()) == list(net_t.state_dict())


# --- one seed, one network ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31])
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (64, 32)])
def test_one_seed_gives_bit_identical_weights(seed: int, shape) -> None:
    lin_np, lin_t = _pair(*shape, seed=seed)
    assert np.array_equal(lin_np.weight.data, lin_t.weight.detach().numpy())
    assert np.array_equal(lin_np.bias.data, lin_t.bias.detach().numpy())


def test_one_seed_in_float32_gives_identical_weights() -> None:
    lin_np = nnp.Linear(5, 3, dtype=np.float32, seed=3)
    lin_t = nnt.Linear(5, 3, dtype=torch.float32, seed=3)
    assert np.array_equal(lin_np.weight.data, lin_t.weight.detach().numpy())


def test_seed_none_keeps_pytorchs_default_initialisation() -> None:
    torch.manual_seed(11)
    ours = nnt.Linear(4, 3, dtype=torch.float32)
    torch.manual_seed(11)
    theirs = torch.nn.Linear(4, 3)
    assert torch.equal(ours.weight, theirs.weight) and torch.equal(ours.bias, theirs.bias)


@pytest.mark.parametrize("twin", [nnp, nnt], ids=["numpy", "torch"])
@pytest.mark.parametrize("seed", [1.5, "1", True, torch.Generator()])
def test_a_bad_seed_is_named(twin, seed) -> None:
    with pytest.raises(TypeError, match=r"seed must be an int, a numpy\.random\.Generator or None"):
        twin.Linear(2, 2, seed=seed)


# --- bias=False and Softmax(dim=...) ------------------------------------------------------


def test_linear_without_bias_matches_torch_nn_functional() -> None:
    lin_np, lin_t = _pair(3, 2, seed=5, bias=False)
    assert lin_np.bias is None and lin_t.bias is None
    assert repr(lin_np) == repr(lin_t) == "Linear(in_features=3, out_features=2, bias=False)"
    assert list(lin_np.state_dict()) == list(lin_t.state_dict()) == ["weight"]
    x = _x((4, 3))
    out_np = lin_np(x)
    x_t = torch.from_numpy(x).requires_grad_()
    out_t = torch.nn.functional.linear(x_t, lin_t.weight)
    _close(out_np, out_t)
    g = _x(out_np.shape, seed=2)
    _close(lin_np.backward(g), torch.autograd.grad(out_t, x_t, torch.from_numpy(g))[0])


@pytest.mark.parametrize("twin", [nnp, nnt], ids=["numpy", "torch"])
def test_bias_must_be_a_bool(twin) -> None:
    with pytest.raises(TypeError, match="bias must be True or False; got int"):
        twin.Linear(2, 2, 1)


@pytest.mark.parametrize("twin", [nnp, nnt], ids=["numpy", "torch"])
@pytest.mark.parametrize("kwargs", [{"dim": 0}, {"axis": 0}])
def test_softmax_takes_dim_or_axis(twin, kwargs) -> None:
    layer = twin.Softmax(**kwargs)
    x = _x((2, 3))
    out = layer(torch.from_numpy(x) if twin is nnt else x)
    expected = torch.nn.functional.softmax(torch.from_numpy(x), dim=0).numpy()
    np.testing.assert_allclose(np.asarray(out), expected, rtol=TOL, atol=TOL)
