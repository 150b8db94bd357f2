"""`reduction=` and unbatched logits, as `torch.nn.functional` has them, in both twins."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import nnref.numpy as nnp
import nnref.torch as nnt

TOL = 1e-12
REDUCTIONS = ["mean", "sum", "none"]
TWINS = [nnp, nnt]
IDS = ["numpy", "torch"]


def _logits(shape, seed=0):
    return np.random.default_rng(seed).normal(scale=3.0, size=shape)


def _as(twin, value):
    return torch.from_numpy(np.asarray(value)) if twin is nnt else np.asarray(value)


def _np(value):
    return value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5, 3), (3,)])
def test_cross_entropy_matches_torch_nn_functional(twin, reduction, shape) -> None:
    z = _logits(shape)
    y = np.random.default_rng(1).integers(0, shape[-1], size=shape[:-1])
    ours = twin.cross_entropy(_as(twin, z), _as(twin, y), reduction=reduction)
    theirs = F.cross_entropy(
        torch.from_numpy(z), torch.from_numpy(np.asarray(y)), reduction=reduction
    )
    assert _np(ours).shape == tuple(theirs.shape)
    np.testing.assert_allclose(_np(ours), theirs.numpy(), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shape", [(5, 3), (3,)])
def test_cross_entropy_grad_matches_autograd(twin, reduction, shape) -> None:
    z = _logits(shape)
    y = np.random.default_rng(1).integers(0, shape[-1], size=shape[:-1])
    z_t = torch.from_numpy(z).requires_grad_()
    F.cross_entropy(z_t, torch.from_numpy(np.asarray(y)), reduction=reduction).backward()
    ours = twin.cross_entropy_grad(_as(twin, z), _as(twin, y), reduction=reduction)
    np.testing.assert_allclose(_np(ours), z_t.grad.numpy(), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_matches_torch_nn_functional(twin, reduction) -> None:
    o, t = _logits((4, 3)), _logits((4, 3), seed=2)
    ours = twin.mse_loss(_as(twin, o), _as(twin, t), reduction=reduction)
    theirs = F.mse_loss(torch.from_numpy(o), torch.from_numpy(t), reduction=reduction)
    np.testing.assert_allclose(_np(ours), theirs.numpy(), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_loss_grad_matches_autograd(twin, reduction) -> None:
    o, t = _logits((4, 3)), _logits((4, 3), seed=2)
    o_t = torch.from_numpy(o).requires_grad_()
    F.mse_loss(o_t, torch.from_numpy(t), reduction=reduction).backward()
    ours = twin.mse_loss_grad(_as(twin, o), _as(twin, t), reduction=reduction)
    np.testing.assert_allclose(_np(ours), o_t.grad.numpy(), rtol=TOL, atol=TOL)


def test_the_sum_is_twice_the_half_squared_error() -> None:
    o, t = _logits((4, 3)), _logits((4, 3), seed=2)
    assert nnp.mse_loss(o, t, "sum") == pytest.approx(2 * nnp.half_squared_error(o, t), rel=TOL)


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
def test_a_wrong_reduction_is_named(twin) -> None:
    z, y = _as(twin, _logits((2, 3))), _as(twin, np.array([0, 1]))
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'; got 'avg'"):
        twin.cross_entropy(z, y, reduction="avg")
    with pytest.raises(ValueError, match="reduction='none' gives one loss per entry"):
        twin.cross_entropy_grad(z, y, reduction="none")
    with pytest.raises(ValueError, match="reduction='none' gives one loss per entry"):
        twin.mse_loss_grad(z, z, reduction="none")


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
def test_unbatched_logits_need_one_label(twin) -> None:
    with pytest.raises(ValueError, match=r"a single class index \(shape \(\)\) for 1-D logits"):
        twin.cross_entropy(_as(twin, _logits((3,))), _as(twin, np.array([1])))
    with pytest.raises(ValueError, match=r"logits must be 2-D .* or 1-D"):
        twin.cross_entropy(_as(twin, _logits((2, 2, 3))), _as(twin, np.zeros((2, 2), int)))
