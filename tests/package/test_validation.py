"""Input rules, identical in both twins: dtypes are kept or rejected, shapes are never
broadcast, bad values raise with messages naming what was expected and what was received,
and extreme inputs stay finite without warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
import nnref.torch as nnt

TWINS = [nnp, nnt]
TWIN_IDS = ["numpy", "torch"]
FLOAT_DTYPES = {nnp: (np.float32, np.float64), nnt: (torch.float32, torch.float64)}


def _array(twin, values, dtype=np.float64):
    array = np.asarray(values, dtype=dtype)
    return torch.from_numpy(array) if twin is nnt else array


def _dtype_name(result) -> str:
    return str(result.dtype).removeprefix("torch.")


def _values(result) -> np.ndarray:
    return result.detach().numpy() if isinstance(result, torch.Tensor) else np.asarray(result)


ELEMENTWISE = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "softmax",
    "softmax_jacobian",
]


# dtypes: kept, converted or rejected.


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_float_dtype_is_kept(twin, dtype: str, name: str) -> None:
    result = getattr(twin, name)(_array(twin, [[0.5, -1.0, 2.0]], dtype=dtype))
    assert _dtype_name(result) == dtype


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_integers_become_float64(twin, name: str) -> None:
    result = getattr(twin, name)(_array(twin, [[1, -2, 3]], dtype=np.int32))
    assert _dtype_name(result) == "float64"
    from_list = getattr(twin, name)([[1, -2, 3]])
    assert _dtype_name(from_list) == "float64"


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_lists_of_floats_become_float64(twin) -> None:
    assert _dtype_name(twin.sigmoid([0.5, 1.5])) == "float64"


BAD_ARRAYS = [
    (np.array([True, False]), "bool"),
    (np.array([1 + 2j]), "complex128"),
    (np.array([1.0, None], dtype=object), "object"),
    (np.array(["a", "b"]), "<U1"),
    (np.array([1.0], dtype=np.float16), "float16"),
]


@pytest.mark.parametrize(("bad", "received"), BAD_ARRAYS, ids=lambda v: str(v))
@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_unsupported_dtypes_raise_type_error(twin, name: str, bad, received: str) -> None:
    with pytest.raises(TypeError, match=rf"float32 or float64.*got dtype {received}"):
        getattr(twin, name)(bad)


@pytest.mark.parametrize(
    ("bad", "received"),
    [
        (torch.tensor([True]), "bool"),
        (torch.tensor([1 + 2j]), "complex64"),
        (torch.tensor([1.0], dtype=torch.float16), "float16"),
        (torch.tensor([1.0], dtype=torch.bfloat16), "bfloat16"),
    ],
    ids=str,
)
def test_unsupported_tensor_dtypes_raise_type_error(bad, received: str) -> None:
    for function in (nnt.sigmoid, nnt.sigmoid_grad, nnt.softmax_jacobian):
        with pytest.raises(TypeError, match=rf"float32 or float64.*got dtype {received}"):
            function(bad)
    with pytest.raises(TypeError, match=rf"output must have dtype.*got dtype {received}"):
        nnt.mse_loss(bad, torch.ones(1))


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_losses_reject_bad_dtypes_and_mixed_dtypes(twin) -> None:
    with pytest.raises(TypeError, match=r"target must have dtype .*got dtype bool"):
        twin.half_squared_error(_array(twin, [1.0]), _array(twin, [True], dtype=bool))
    with pytest.raises(TypeError, match="same dtype as output, float32; got dtype float64"):
        twin.mse_loss(_array(twin, [1.0], np.float32), _array(twin, [1.0], np.float64))


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_loss_dtypes_follow_the_input(twin) -> None:
    for dtype in ("float32", "float64"):
        output, target = _array(twin, [0.2, 0.8], dtype), _array(twin, [0.0, 1.0], dtype)
        for name in ("half_squared_error", "mse_loss", "half_squared_error_grad"):
            assert _dtype_name(getattr(twin, name)(output, target)) == dtype
        logits, labels = _array(twin, [[0.2, 0.8]], dtype), _array(twin, [1], np.int64)
        assert _dtype_name(twin.cross_entropy(logits, labels)) == dtype
        assert _dtype_name(twin.cross_entropy_grad(logits, labels)) == dtype
    integer_loss = twin.half_squared_error(_array(twin, [1, 2], np.int64), [0, 0])
    assert _dtype_name(integer_loss) == "float64"
    assert float(_values(integer_loss)) == 2.5


# Shapes: never broadcast.


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_linear_rejects_wrong_input_width(twin) -> None:
    layer = twin.Linear(2, 2, seed=0)
    with pytest.raises(
        ValueError, match=r"expects input of shape \(\.\.\., 2\); got shape \(1, 3\)"
    ):
        layer(_array(twin, np.zeros((1, 3))))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        layer(_array(twin, 1.0))


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_linear_rejects_other_dtype(twin) -> None:
    layer = twin.Linear(2, 2, seed=0)
    with pytest.raises(TypeError, match="Linear has dtype float64 but its input has dtype float32"):
        layer(_array(twin, np.zeros((1, 2)), np.float32))
    layer32 = twin.Linear(2, 2, dtype=FLOAT_DTYPES[twin][0], seed=0)
    assert _dtype_name(layer32(_array(twin, np.zeros((1, 2)), np.float32))) == "float32"


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_linear_constructor_checks(twin) -> None:
    with pytest.raises(ValueError, match="in_features must be at least 1; got 0"):
        twin.Linear(0, 2)
    with pytest.raises(TypeError, match="out_features must be an int; got float"):
        twin.Linear(2, 2.0)
    with pytest.raises(TypeError, match="in_features must be an int; got bool"):
        twin.Linear(True, 2)
    with pytest.raises(TypeError, match=r"dtype must be .*float32 or .*float64"):
        twin.Linear(2, 2, dtype="int32" if twin is nnp else torch.int32)
    with pytest.raises(TypeError, match="dtype must be"):
        twin.worked_network(dtype=np.float16 if twin is nnp else torch.float16)


@pytest.mark.parametrize(
    ("output_shape", "target_shape"), [((2,), (1, 2)), ((3, 1), (3,)), ((2, 2), (2,)), ((), (1,))]
)
@pytest.mark.parametrize(
    "name", ["half_squared_error", "half_squared_error_grad", "mse_loss", "mse_loss_grad"]
)
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_losses_never_broadcast(twin, name: str, output_shape, target_shape) -> None:
    output, target = _array(twin, np.zeros(output_shape)), _array(twin, np.zeros(target_shape))
    pattern = rf"same shape as output, {_re(output_shape)}; got shape {_re(target_shape)}"
    with pytest.raises(ValueError, match=pattern):
        getattr(twin, name)(output, target)


def _re(shape: tuple[int, ...]) -> str:
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("name", ["mse_loss", "mse_loss_grad"])
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_mean_of_nothing_is_rejected(twin, name: str) -> None:
    with pytest.raises(ValueError, match="at least one element"):
        getattr(twin, name)(_array(twin, np.zeros(0)), _array(twin, np.zeros(0)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=str)
@pytest.mark.parametrize(
    "name", ["half_squared_error", "half_squared_error_grad", "mse_loss", "mse_loss_grad"]
)
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_losses_reject_non_finite_values(twin, name: str, bad: float) -> None:
    fine = _array(twin, [0.5, 0.5])
    with pytest.raises(ValueError, match="output must be finite; got NaN or infinity"):
        getattr(twin, name)(_array(twin, [0.5, bad]), fine)
    with pytest.raises(ValueError, match="target must be finite"):
        getattr(twin, name)(fine, _array(twin, [bad, 0.5]))
    with pytest.raises(ValueError, match="logits must be finite"):
        twin.cross_entropy(_array(twin, [[0.5, bad]]), _array(twin, [0], np.int64))


# Cross-entropy: logits and labels.


@pytest.mark.parametrize("name", ["cross_entropy", "cross_entropy_grad"])
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_cross_entropy_checks(twin, name: str) -> None:
    function = getattr(twin, name)
    logits = _array(twin, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\).*got label 3"):
        function(logits, _array(twin, [0, 3], np.int64))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\).*got label -1"):
        function(logits, _array(twin, [-1, 0], np.int64))
    with pytest.raises(ValueError, match="labels must be integer class indices; got dtype float"):
        function(logits, _array(twin, [0.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels must be integer class indices"):
        function(logits, [0.5, 1.0])
    with pytest.raises(TypeError, match="labels must have an integer dtype; got dtype bool"):
        function(logits, _array(twin, [True, False], bool))
    with pytest.raises(ValueError, match=r"shape \(n_samples,\) = \(2,\).*got shape \(2, 1\)"):
        function(logits, _array(twin, [[0], [1]], np.int64))
    with pytest.raises(ValueError, match=r"got shape \(3,\)"):
        function(logits, _array(twin, [0, 1, 2], np.int64))
    # 1-D logits are one unbatched sample, as in PyTorch: their label is one index.
    with pytest.raises(ValueError, match=r"single class index \(shape \(\)\).*got shape \(1,\)"):
        function(_array(twin, np.zeros(3)), _array(twin, [0], np.int64))
    with pytest.raises(ValueError, match=r"logits must be 2-D .*got shape \(1, 2, 3\)"):
        function(_array(twin, np.zeros((1, 2, 3))), _array(twin, [0], np.int64))
    with pytest.raises(ValueError, match=r"at least one sample and one class; got shape \(0, 3\)"):
        function(_array(twin, np.zeros((0, 3))), _array(twin, np.zeros(0), np.int64))
    # Labels given as plain lists and unsigned integers are fine.
    assert _dtype_name(function(logits, [0, 2])) == "float64"
    assert _dtype_name(function(logits, np.array([0, 2], dtype=np.uint8))) == "float64"


# Softmax axes.


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_softmax_axis_checks(twin) -> None:
    with pytest.raises(ValueError, match=r"axis 2 is out of range for input of shape \(2, 3\)"):
        twin.softmax(_array(twin, np.zeros((2, 3))), axis=2)
    with pytest.raises(TypeError, match="axis must be an int; got float"):
        twin.softmax(_array(twin, np.zeros(3)), axis=0.0)
    with pytest.raises(TypeError, match="axis must be an int"):
        twin.Softmax(axis=1.5)
    with pytest.raises(TypeError, match="give axis or dim"):
        twin.Softmax(axis=1, dim=1)
    with pytest.raises(ValueError, match=r"at least one dimension; got shape \(\)"):
        twin.softmax(_array(twin, 1.0))
    with pytest.raises(ValueError, match=r"at least one dimension; got shape \(\)"):
        twin.softmax_jacobian(_array(twin, 1.0))
    with pytest.raises(ValueError, match=r"at least one entry along axis 1; got shape \(2, 0\)"):
        twin.softmax(_array(twin, np.zeros((2, 0))))


# State dicts and optimisers.


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_load_state_dict_names_mismatches_and_changes_nothing(twin) -> None:
    net = twin.worked_network()
    before = {key: _values(value).copy() for key, value in net.state_dict().items()}
    good = {key: np.zeros_like(value) for key, value in before.items()}

    missing = {key: value for key, value in good.items() if key != "2.bias"}
    with pytest.raises(ValueError, match=r"missing \['2.bias'\], unexpected \[\]"):
        net.load_state_dict(missing)
    extra = {**good, "4.weight": np.zeros((2, 2))}
    with pytest.raises(ValueError, match=r"missing \[\], unexpected \['4.weight'\]"):
        net.load_state_dict(extra)
    wrong_shape = {**good, "0.weight": np.zeros((2, 3))}
    with pytest.raises(
        ValueError, match=r"state_dict\['0.weight'\] must have shape \(2, 2\); got shape \(2, 3\)"
    ):
        net.load_state_dict(wrong_shape)
    with pytest.raises(TypeError, match=r"state_dict\['0.bias'\] must have dtype"):
        net.load_state_dict({**good, "0.bias": np.array([True, False])})

    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(_values(value), before[key])
    net.load_state_dict(good)
    for value in net.state_dict().values():
        assert not np.any(_values(value))


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_load_state_dict_casts_to_the_parameter_dtype(twin) -> None:
    net = twin.worked_network(FLOAT_DTYPES[twin][0])
    net.load_state_dict({key: np.ones(_values(v).shape) for key, v in net.state_dict().items()})
    assert {_dtype_name(value) for value in net.state_dict().values()} == {"float32"}


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_sgd_checks(twin) -> None:
    params = twin.Linear(2, 2, seed=0).parameters()
    with pytest.raises(ValueError, match=r"lr must be finite and >= 0; got -0\.1"):
        twin.SGD(params, lr=-0.1)
    with pytest.raises(ValueError, match="lr must be finite and >= 0; got nan"):
        twin.SGD(twin.Linear(2, 2, seed=0).parameters(), lr=float("nan"))
    with pytest.raises(TypeError, match="lr must be a real number; got str"):
        twin.SGD(twin.Linear(2, 2, seed=0).parameters(), lr="0.1")
    with pytest.raises(ValueError, match="empty parameter list"):
        twin.SGD([], lr=0.1)


def test_numpy_sgd_rejects_foreign_parameters() -> None:
    with pytest.raises(TypeError, match="entry 0 is ndarray"):
        nnp.SGD([np.zeros(2)], lr=0.1)


def test_numpy_sequential_rejects_foreign_layers() -> None:
    with pytest.raises(TypeError, match="layer 1 is function"):
        nnp.Sequential(nnp.Linear(2, 2, seed=0), nnp.sigmoid)


def test_torch_sequential_rejects_foreign_layers() -> None:
    with pytest.raises(TypeError, match="layer 1 is function"):
        nnt.Sequential(nnt.Linear(2, 2, seed=0), nnt.sigmoid)


@pytest.mark.parametrize(
    "layer",
    [
        nnp.Linear(2, 3, seed=0),
        nnp.Sigmoid(),
        nnp.Tanh(),
        nnp.ReLU(),
        nnp.Softmax(),
        nnp.Sequential(nnp.Linear(2, 3, seed=0)),
    ],
    ids=repr,
)
def test_numpy_backward_checks(layer) -> None:
    with pytest.raises(RuntimeError, match=r"backward\(\) has no forward pass left"):
        layer.backward(np.zeros(3))
    output = layer(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=rf"last forward output, {_re(output.shape)}; got shape"):
        layer.backward(np.zeros((4, 5)))
    with pytest.raises(TypeError, match="grad_output must have the same dtype"):
        layer.backward(np.zeros(output.shape, dtype=np.float32))


def test_numpy_linear_caches_a_copy_of_its_input() -> None:
    layer = nnp.Linear(2, 1, seed=0)
    x = np.array([[1.0, 2.0]])
    layer(x)
    x[:] = 100.0  # changing the caller's array must not change the gradient
    layer.backward(np.ones((1, 1)))
    np.testing.assert_array_equal(layer.weight.grad, [[1.0, 2.0]])


# Extreme inputs: finite, no overflow, no warnings.


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_extreme_inputs_are_finite_and_silent(twin, dtype: str) -> None:
    x = _array(twin, [[-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4]], dtype)
    labels = _array(twin, [0], np.int64)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        results = {name: _values(getattr(twin, name)(x)) for name in ELEMENTWISE}
        results["cross_entropy"] = _values(twin.cross_entropy(x, labels))
        results["cross_entropy_grad"] = _values(twin.cross_entropy_grad(x, labels))
        net = twin.Sequential(twin.Linear(7, 2, dtype=FLOAT_DTYPES[twin][dtype == "float64"]))
        results["network"] = _values(twin.Sigmoid()(net(x * 10)))
    for name, values in results.items():
        assert np.all(np.isfinite(values)), name
    sigmoid = results["sigmoid"][0]
    assert sigmoid[0] == 0.0
    assert sigmoid[-1] == 1.0
    assert results["tanh"][0, 0] == -1.0
    assert results["tanh"][0, -1] == 1.0
    assert results["softmax"][0, -1] == 1.0
    assert results["sigmoid_grad"][0, 0] == 0.0
    assert results["tanh_grad"][0, -1] == 0.0
    # The true class 0 has logit -1e4, the winner 1e4: the loss is 2e4, not inf.
    assert float(results["cross_entropy"]) == pytest.approx(2e4)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_confident_cross_entropy_is_zero_not_nan(twin) -> None:
    logits = _array(twin, [[1e4, -1e4]])
    loss = float(_values(twin.cross_entropy(logits, _array(twin, [0], np.int64))))
    assert loss == 0.0
    grad = _values(twin.cross_entropy_grad(logits, _array(twin, [1], np.int64)))
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])


def test_naive_softmax_would_overflow() -> None:
    # Why the max is subtracted: exp(1e4) is inf, and inf / inf is NaN.
    x = np.array([1e4, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(x) / np.sum(np.exp(x))
    assert np.isnan(naive[0])
    np.testing.assert_array_equal(nnp.softmax(x), [1.0, 0.0])
