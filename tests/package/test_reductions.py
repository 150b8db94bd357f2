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
    for twin in TWINS:
        a, b = _as(twin, o), _as(twin, t)
        twice = 2 * float(twin.half_squared_error(a, b))
        assert float(twin.mse_loss(a, b, reduction="sum")) == pytest.approx(twice, rel=TOL)


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


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("function", ["mse_loss", "mse_loss_grad", "cross_entropy"])
def test_reduction_is_keyword_only(twin, function) -> None:
    # torch.nn.functional's third positional slot is size_average or weight, not reduction:
    # a positional "sum" would mean something else there.
    a = _as(twin, np.zeros((2, 2)))
    b = _as(twin, np.zeros(2, dtype=np.int64)) if function == "cross_entropy" else a
    with pytest.raises(TypeError):
        getattr(twin, function)(a, b, "sum")


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_reduced_losses_keep_shape_and_float32(twin, reduction) -> None:
    o = _as(twin, _logits((4, 3)).astype(np.float32))
    t = _as(twin, _logits((4, 3), seed=2).astype(np.float32))
    loss = twin.mse_loss(o, t, reduction=reduction)
    assert tuple(loss.shape) == () and str(loss.dtype).endswith("float32")
    z, y = o, _as(twin, np.array([0, 1, 2, 0]))
    assert str(twin.cross_entropy_grad(z, y, reduction=reduction).dtype).endswith("float32")


@pytest.mark.parametrize("twin", TWINS, ids=IDS)
def test_the_sum_gradient_is_each_entrys_own(twin) -> None:
    # What the error for reduction="none" promises: backward(ones) of the per-sample losses.
    z, y = _logits((5, 3)), np.array([0, 2, 1, 1, 0])
    z_t = torch.from_numpy(z).requires_grad_()
    per_sample = F.cross_entropy(z_t, torch.from_numpy(y), reduction="none")
    per_sample.backward(torch.ones_like(per_sample))
    ours = twin.cross_entropy_grad(_as(twin, z), _as(twin, y), reduction="sum")
    np.testing.assert_allclose(_np(ours), z_t.grad.numpy(), rtol=TOL, atol=TOL)


def test_a_plain_int_label_works_with_unbatched_logits_in_both_twins() -> None:
    z = _logits((3,))
    expected = F.cross_entropy(torch.from_numpy(z), torch.tensor(2)).item()
    assert float(nnp.cross_entropy(z, 2)) == pytest.approx(expected, rel=TOL)
    assert nnt.cross_entropy(torch.from_numpy(z), 2).item() == pytest.approx(expected, rel=TOL)
