"""Mathematical identities of the activations, checked by hypothesis on both twins."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnref.numpy as nnp
import nnref.torch as nnt

# Modest and reproducible: no example database is written, no deadline flakes on a busy CI.
PROFILE = settings(max_examples=40, deadline=None, database=None)

TWINS = [nnp, nnt]
TWIN_IDS = ["numpy", "torch"]

reals = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-100.0, max_value=100.0, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(min_value=1, max_value=8), elements=moderate)
shifts = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def _as_input(twin, x):
    return torch.from_numpy(np.array(x, dtype=np.float64)) if twin is nnt else np.asarray(x)


def _values(result) -> np.ndarray:
    return result.detach().numpy() if isinstance(result, torch.Tensor) else np.asarray(result)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=vectors)
def test_softmax_is_a_distribution(twin, x: np.ndarray) -> None:
    s = _values(twin.softmax(_as_input(twin, x)))
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert abs(float(np.sum(s)) - 1.0) <= 1e-12


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=vectors, c=shifts)
def test_softmax_ignores_a_constant_shift(twin, x: np.ndarray, c: float) -> None:
    shifted = _values(twin.softmax(_as_input(twin, x + c)))
    original = _values(twin.softmax(_as_input(twin, x)))
    np.testing.assert_allclose(shifted, original, rtol=0, atol=1e-12)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=reals)
def test_sigmoid_symmetry(twin, x: float) -> None:
    # sigma(-x) = 1 - sigma(x)
    left = _values(twin.sigmoid(_as_input(twin, -x)))
    right = 1.0 - _values(twin.sigmoid(_as_input(twin, x)))
    np.testing.assert_allclose(left, right, rtol=0, atol=1e-15)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=reals)
def test_tanh_is_a_rescaled_sigmoid(twin, x: float) -> None:
    # tanh(x) = 2 sigma(2x) - 1
    left = _values(twin.tanh(_as_input(twin, x)))
    right = 2.0 * _values(twin.sigmoid(_as_input(twin, 2.0 * x))) - 1.0
    np.testing.assert_allclose(left, right, rtol=0, atol=1e-15)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(z=reals)
def test_two_class_softmax_is_the_sigmoid(twin, z: float) -> None:
    # softmax([z, 0])[0] = e^z / (e^z + 1) = sigma(z)
    first = _values(twin.softmax(_as_input(twin, [z, 0.0])))[0]
    sigma = _values(twin.sigmoid(_as_input(twin, z)))
    np.testing.assert_allclose(first, sigma, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=reals)
def test_derivative_bounds(twin, x: float) -> None:
    assert 0.0 <= float(_values(twin.sigmoid_grad(_as_input(twin, x)))) <= 0.25
    assert 0.0 <= float(_values(twin.tanh_grad(_as_input(twin, x)))) <= 1.0
    assert float(_values(twin.relu_grad(_as_input(twin, x)))) == (1.0 if x > 0 else 0.0)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_derivative_maxima_at_zero(twin) -> None:
    assert float(_values(twin.sigmoid_grad(_as_input(twin, 0.0)))) == 0.25
    assert float(_values(twin.tanh_grad(_as_input(twin, 0.0)))) == 1.0
    assert float(_values(twin.relu_grad(_as_input(twin, 0.0)))) == 0.0


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(x=vectors)
def test_softmax_jacobian_rows_sum_to_zero(twin, x: np.ndarray) -> None:
    # The outputs always sum to 1, so no input change can move that sum.
    jacobian = _values(twin.softmax_jacobian(_as_input(twin, x)))
    np.testing.assert_allclose(jacobian.sum(axis=0), 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(jacobian, jacobian.T, rtol=0, atol=1e-15)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@PROFILE
@given(
    logits=arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=moderate),
    data=st.data(),
)
def test_cross_entropy_gradient_rows_sum_to_zero(twin, logits: np.ndarray, data) -> None:
    n, classes = logits.shape
    labels = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    labels_in = torch.from_numpy(labels) if twin is nnt else labels
    loss = float(_values(twin.cross_entropy(_as_input(twin, logits), labels_in)))
    assert loss >= 0.0
    grad = _values(twin.cross_entropy_grad(_as_input(twin, logits), labels_in))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, rtol=0, atol=1e-15)
