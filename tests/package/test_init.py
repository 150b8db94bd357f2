"""The initialisation functions: `torch.nn.init`'s formulas and arguments in both twins.

The same seed fills bit-identical values in `nnref.numpy` and `nnref.torch`; the bounds and
standard deviations are torch's, checked both exactly (the formula) and on torch's own output
(the statistics); without a seed the PyTorch twin is `torch.nn.init` itself; the fill is in
place; and bad arguments raise with messages naming what was expected."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
import nnref.torch as nnt

TWINS = [nnp, nnt]
TWIN_IDS = ["numpy", "torch"]
FUNCTIONS = ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_"]
UNIFORM = {"xavier_uniform_", "kaiming_uniform_"}
# Weights of a Linear layer (out, in), of a square one, of 1-D, 2-D and 3-D convolutions.
SHAPES = [(3, 5), (7, 7), (1, 1), (4, 2, 3), (6, 3, 2, 2), (2, 3, 2, 1, 2)]
XAVIER_ARGUMENTS = [{}, {"gain": 5.0 / 3}, {"gain": 0.25}, {"gain": 0.0}]
KAIMING_ARGUMENTS = [
    {},
    {"mode": "fan_out"},
    {"a": 0.2},
    {"a": -0.5, "mode": "fan_out"},
    {"nonlinearity": "relu"},
    {"nonlinearity": "relu", "mode": "fan_out"},
    {"nonlinearity": "tanh"},
    {"nonlinearity": "sigmoid", "mode": "fan_out"},
    {"nonlinearity": "selu"},
    {"nonlinearity": "linear", "a": 3.0},
]
CASES = [
    (name, kwargs)
    for name in FUNCTIONS
    for kwargs in (XAVIER_ARGUMENTS if name.startswith("xavier") else KAIMING_ARGUMENTS)
]
CASE_IDS = [f"{name}-{kwargs}" for name, kwargs in CASES]
TORCH_DTYPES = {np.float32: torch.float32, np.float64: torch.float64}
# Every name torch.nn.init.calculate_gain knows.
NONLINEARITIES = [
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]


def _empty(twin, shape, dtype=np.float64):
    # A parameter of each twin, filled with a marker value so an untouched entry shows.
    if twin is nnp:
        return nnp.Parameter(np.full(shape, 123.0, dtype=dtype))
    return torch.nn.Parameter(torch.full(shape, 123.0, dtype=TORCH_DTYPES[dtype]))


def _values(param) -> np.ndarray:
    return param.data if isinstance(param, nnp.Parameter) else param.detach().numpy()


def _fans(shape):
    # Written out here rather than taken from the package: (out, in, k1, k2, ...).
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _torch_std(name: str, shape, kwargs) -> float:
    # torch.nn.init's expressions, to the last bit (checked against torch below).
    fan_in, fan_out = _fans(shape)
    if name.startswith("xavier"):
        return kwargs.get("gain", 1.0) * math.sqrt(2.0 / float(fan_in + fan_out))
    fan = fan_in if kwargs.get("mode", "fan_in") == "fan_in" else fan_out
    gain = torch.nn.init.calculate_gain(
        kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0.0)
    )
    return gain / math.sqrt(fan)


# The same seed, the same values.


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_same_seed_gives_bit_identical_twins(name, kwargs, shape, dtype) -> None:
    numpy_param = getattr(nnp, name)(_empty(nnp, shape, dtype), **kwargs, seed=7)
    torch_param = getattr(nnt, name)(_empty(nnt, shape, dtype), **kwargs, seed=7)
    numpy_values, torch_values = _values(numpy_param), _values(torch_param)
    assert numpy_values.dtype == torch_values.dtype == dtype
    assert numpy_values.shape == torch_values.shape == shape
    assert numpy_values.tobytes() == torch_values.tobytes()
    assert not np.any(numpy_values == 123.0)  # every entry was drawn


@pytest.mark.parametrize("name", FUNCTIONS)
def test_generator_seed_gives_identical_twins_and_advances(name) -> None:
    rng_numpy, rng_torch = np.random.default_rng(3), np.random.default_rng(3)
    first = [
        getattr(twin, name)(_empty(twin, (4, 5)), seed=rng)
        for twin, rng in ((nnp, rng_numpy), (nnt, rng_torch))
    ]
    second = [
        getattr(twin, name)(_empty(twin, (4, 5)), seed=rng)
        for twin, rng in ((nnp, rng_numpy), (nnt, rng_torch))
    ]
    assert np.array_equal(_values(first[0]), _values(first[1]))
    assert np.array_equal(_values(second[0]), _values(second[1]))
    assert not np.array_equal(_values(first[0]), _values(second[0]))  # the generator moved on


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_same_int_seed_repeats_and_different_seeds_differ(twin, name) -> None:
    function = getattr(twin, name)
    a = _values(function(_empty(twin, (5, 4)), seed=1))
    b = _values(function(_empty(twin, (5, 4)), seed=1))
    c = _values(function(_empty(twin, (5, 4)), seed=2))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_numpy_twin_without_seed_draws_fresh_values(name) -> None:
    function = getattr(nnp, name)
    assert not np.array_equal(
        function(_empty(nnp, (6, 6))).data, function(_empty(nnp, (6, 6))).data
    )


# torch.nn.init's formulas, exactly.


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_formula_is_torch_nn_init_formula(name, kwargs, shape) -> None:
    std = _torch_std(name, shape, kwargs)
    bound = math.sqrt(3.0) * std
    # 1. The formula above is torch's: torch.nn.init draws exactly what uniform_/normal_
    #    draw with it from the same generator state (float64, so a last-bit change shows).
    torch.manual_seed(0)
    expected = getattr(torch.nn.init, name)(torch.empty(shape, dtype=torch.float64), **kwargs)
    torch.manual_seed(0)
    redrawn = torch.empty(shape, dtype=torch.float64)
    redrawn = redrawn.uniform_(-bound, bound) if name in UNIFORM else redrawn.normal_(0.0, std)
    assert torch.equal(expected, redrawn)
    # 2. Both twins draw NumPy's values with that same bound or standard deviation.
    rng = np.random.default_rng(11)
    drawn = (
        rng.uniform(-bound, bound, size=shape)
        if name in UNIFORM
        else rng.normal(0.0, std, size=shape)
    )
    for twin in TWINS:
        assert np.array_equal(
            _values(getattr(twin, name)(_empty(twin, shape), **kwargs, seed=11)), drawn
        )


# torch.nn.init's distributions, statistically: a large weight of a 2-D convolution.

LARGE = (64, 48, 3, 3)  # fan_in 432, fan_out 576, 27 648 entries


# gain 0 fills zeros: nothing to compare statistically.
STATISTICAL_CASES = [(name, kwargs) for name, kwargs in CASES if kwargs.get("gain") != 0.0]


@pytest.mark.parametrize(
    ("name", "kwargs"), STATISTICAL_CASES, ids=[f"{n}-{k}" for n, k in STATISTICAL_CASES]
)
@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_bounds_and_std_match_torch_nn_init_output(twin, name, kwargs) -> None:
    torch.manual_seed(0)
    reference = getattr(torch.nn.init, name)(torch.empty(LARGE, dtype=torch.float64), **kwargs)
    reference = reference.numpy()
    ours = _values(getattr(twin, name)(_empty(twin, LARGE), **kwargs, seed=0))
    std = _torch_std(name, LARGE, kwargs)
    assert ours.std() == pytest.approx(reference.std(), rel=0.03)
    assert ours.std() == pytest.approx(std, rel=0.02)
    assert abs(ours.mean()) < 0.02 * std
    if name in UNIFORM:
        bound = math.sqrt(3.0) * std
        for values in (ours, reference):
            assert np.abs(values).max() <= bound
            assert np.abs(values).max() > 0.999 * bound
        assert np.abs(ours).max() == pytest.approx(np.abs(reference).max(), rel=1e-3)
    else:
        # A normal sample reaches past 3 std about 0.27% of the time, as torch's does.
        assert np.mean(np.abs(ours) > 3 * std) == pytest.approx(
            np.mean(np.abs(reference) > 3 * std), abs=0.002
        )


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_documented_bounds_in_closed_form(twin) -> None:
    # The docstrings' a = gain * sqrt(6 / (fan_in + fan_out)) and b = gain * sqrt(3 / fan).
    w = _values(twin.xavier_uniform_(_empty(twin, (300, 200)), gain=2.0, seed=0))
    assert np.abs(w).max() <= 2.0 * math.sqrt(6 / 500) * (1 + 1e-12)
    assert np.abs(w).max() > 0.999 * 2.0 * math.sqrt(6 / 500)
    w = _values(twin.kaiming_uniform_(_empty(twin, (300, 200)), mode="fan_out", seed=0))
    assert np.abs(w).max() <= math.sqrt(2) * math.sqrt(3 / 300) * (1 + 1e-12)
    assert np.abs(w).max() > 0.999 * math.sqrt(6 / 300)


# calculate_gain.


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_calculate_gain_equals_torch(twin, nonlinearity) -> None:
    gain = twin.calculate_gain(nonlinearity)
    assert isinstance(gain, float)
    assert gain == torch.nn.init.calculate_gain(nonlinearity)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("param", [None, 0, 0.0, 0.01, 0.2, 1, -0.5, 3.0])
def test_calculate_gain_leaky_relu_slope_equals_torch(twin, param) -> None:
    assert twin.calculate_gain("leaky_relu", param) == torch.nn.init.calculate_gain(
        "leaky_relu", param
    )


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_calculate_gain_values(twin) -> None:
    assert twin.calculate_gain("linear") == 1.0
    assert twin.calculate_gain("tanh") == 5.0 / 3
    assert twin.calculate_gain("relu") == math.sqrt(2.0)
    assert twin.calculate_gain("leaky_relu") == math.sqrt(2.0 / (1 + 0.01**2))
    assert twin.calculate_gain("selu") == 0.75
    assert twin.calculate_gain("tanh", 0.3) == 5.0 / 3  # param only matters for leaky_relu


# Without a seed the PyTorch twin is torch.nn.init.


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_torch_twin_without_seed_is_torch_nn_init(name, kwargs, dtype) -> None:
    torch.manual_seed(0)
    ours = getattr(nnt, name)(torch.empty(6, 3, 2, dtype=dtype), **kwargs)
    after_ours = torch.rand(3)
    torch.manual_seed(0)
    theirs = getattr(torch.nn.init, name)(torch.empty(6, 3, 2, dtype=dtype), **kwargs)
    after_theirs = torch.rand(3)
    assert torch.equal(ours, theirs)
    assert torch.equal(after_ours, after_theirs)  # the global generator advanced alike


@pytest.mark.parametrize("name", FUNCTIONS)
def test_seed_leaves_torch_global_generator_alone(name) -> None:
    torch.manual_seed(0)
    getattr(nnt, name)(torch.empty(4, 4), seed=5)
    after = torch.rand(3)
    torch.manual_seed(0)
    assert torch.equal(after, torch.rand(3))


# In place: the argument itself is filled and returned.


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_numpy_parameter_filled_in_place(name, dtype) -> None:
    param = _empty(nnp, (4, 3), dtype)
    array = param.data
    view = array[1]
    result = getattr(nnp, name)(param, seed=0)
    assert result is param
    assert param.data is array
    assert array.dtype == dtype
    assert not np.any(array == 123.0)
    assert np.array_equal(view, array[1])
    assert param.grad is None


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_numpy_array_filled_in_place(name, dtype) -> None:
    array = np.full((4, 3, 2), 123.0, dtype=dtype)
    result = getattr(nnp, name)(array, seed=0)
    assert result is array
    assert array.dtype == dtype
    assert not np.any(array == 123.0)
    # A non-contiguous view writes through to its base.
    base = np.full((5, 6), 123.0, dtype=dtype)
    getattr(nnp, name)(base.T, seed=0)
    assert not np.any(base == 123.0)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("seed", [None, 0], ids=["torch-rng", "seed"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_torch_parameter_filled_in_place(name, seed, dtype) -> None:
    param = torch.nn.Parameter(torch.full((4, 3), 123.0, dtype=dtype))
    pointer = param.data_ptr()
    result = getattr(nnt, name)(param, seed=seed)
    assert result is param
    assert param.data_ptr() == pointer
    assert param.dtype == dtype
    assert param.requires_grad and param.is_leaf and param.grad_fn is None
    assert not torch.any(param == 123.0)
    base = torch.full((5, 6), 123.0, dtype=dtype)
    getattr(nnt, name)(base.T, seed=seed)
    assert not torch.any(base == 123.0)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_layer_weights_initialised_alike(name) -> None:
    numpy_layer = nnp.Linear(3, 2, seed=0)
    torch_layer = nnt.Linear(3, 2, seed=0)
    getattr(nnp, name)(numpy_layer.weight, seed=4)
    getattr(nnt, name)(torch_layer.weight, seed=4)
    # The biases (1-D: no fan_in and fan_out) come from each twin's own generator.
    numpy_layer.bias.data[...] = 0.5
    torch.nn.init.constant_(torch_layer.bias, 0.5)
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(
        numpy_layer(x), torch_layer(torch.from_numpy(x)).detach().numpy(), rtol=1e-12
    )


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("seed", [None, 0], ids=["no-seed", "seed"])
def test_empty_parameter_is_a_silent_no_op(twin, name, seed) -> None:
    # torch.nn.init warns (kaiming) or divides by zero (xavier on (0, 0)); nnref does neither.
    for shape in [(0, 3), (3, 0), (0, 0), (2, 0, 3)]:
        param = _empty(twin, shape)
        assert getattr(twin, name)(param, seed=seed) is param
        assert _values(param).shape == shape


# Errors: the same message in both twins.


def _message(twin, function, *args, error, **kwargs) -> str:
    with pytest.raises(error) as info:
        getattr(twin, function)(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("shape", [(5,), ()], ids=["1-D", "0-D"])
def test_fewer_than_two_dimensions(name, shape) -> None:
    messages = {_message(twin, name, _empty(twin, shape), error=ValueError) for twin in TWINS}
    (message,) = messages
    assert "at least 2 dimensions" in message and "fan_in" in message
    assert str(shape) in message and name in message


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
@pytest.mark.parametrize("mode", ["fan_avg", "FAN_IN", "", None])
def test_bad_mode(name, mode) -> None:
    (message,) = {
        _message(twin, name, _empty(twin, (2, 3)), mode=mode, error=ValueError) for twin in TWINS
    }
    assert "'fan_in'" in message and "'fan_out'" in message and repr(mode) in message


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
@pytest.mark.parametrize("nonlinearity", ["gelu", "ReLU", "softmax", ""])
def test_bad_nonlinearity(twin, nonlinearity) -> None:
    for call in (
        lambda: twin.calculate_gain(nonlinearity),
        lambda: twin.kaiming_uniform_(_empty(twin, (2, 3)), nonlinearity=nonlinearity),
        lambda: twin.kaiming_normal_(_empty(twin, (2, 3)), nonlinearity=nonlinearity),
    ):
        with pytest.raises(ValueError, match="nonlinearity must be one of") as info:
            call()
        assert repr(nonlinearity) in str(info.value)
        for name in NONLINEARITIES:
            assert repr(name) in str(info.value)


@pytest.mark.parametrize("twin", TWINS, ids=TWIN_IDS)
def test_calculate_gain_argument_types(twin) -> None:
    with pytest.raises(TypeError, match=r"nonlinearity must be a string.*got int"):
        twin.calculate_gain(3)
    with pytest.raises(TypeError, match="must be a real number; got str"):
        twin.calculate_gain("leaky_relu", "0.1")
    with pytest.raises(TypeError, match="must be a real number; got bool"):
        twin.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="must be finite"):
        twin.calculate_gain("leaky_relu", math.nan)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize(
    "dtype", ["int64", "int32", "bool", "complex128", "float16"], ids=lambda d: d
)
def test_unsupported_dtype(name, dtype) -> None:
    numpy_value = np.zeros((2, 3), dtype=dtype)
    torch_value = torch.from_numpy(numpy_value)
    param = nnp.Parameter(np.zeros((2, 3)))
    param.data = numpy_value  # a Parameter never converts to this itself; check anyway
    messages = {
        _message(nnp, name, numpy_value, error=TypeError),
        _message(nnp, name, param, error=TypeError),
        _message(nnt, name, torch_value, error=TypeError),
    }
    (message,) = messages
    assert "float32 or float64" in message and f"got dtype {dtype}" in message


@pytest.mark.parametrize("name", FUNCTIONS)
def test_wrong_parameter_type(name) -> None:
    for value in ([[0.0, 0.0], [0.0, 0.0]], 1.0, None):
        message = _message(nnp, name, value, error=TypeError)
        assert "nnref.numpy.Parameter or a NumPy array" in message
        assert type(value).__name__ in message
        message = _message(nnt, name, value, error=TypeError)
        assert "torch.Tensor or torch.nn.Parameter" in message
    # Each twin rejects the other's parameter.
    message = _message(nnp, name, torch.zeros(2, 3), error=TypeError)
    assert "got Tensor" in message
    message = _message(nnt, name, nnp.Parameter(np.zeros((2, 3))), error=TypeError)
    assert "got Parameter" in message


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize(
    ("seed", "received"),
    [("0", "str"), (1.5, "float"), (True, "bool"), (torch.Generator(), "Generator")],
)
def test_bad_seed(name, seed, received) -> None:
    (message,) = {
        _message(twin, name, _empty(twin, (2, 3)), seed=seed, error=TypeError) for twin in TWINS
    }
    assert "int, a numpy.random.Generator or None" in message and f"got {received}" in message


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_"])
def test_bad_gain(name) -> None:
    for gain, error, text in [
        (-1.0, ValueError, "gain must be >= 0; got -1.0"),
        (math.inf, ValueError, "gain must be finite"),
        ("1", TypeError, "gain must be a real number; got str"),
    ]:
        (message,) = {
            _message(twin, name, _empty(twin, (2, 3)), gain=gain, error=error) for twin in TWINS
        }
        assert text in message


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_bad_negative_slope(name) -> None:
    for a, error in [("0", TypeError), (math.nan, ValueError), (None, TypeError)]:
        (message,) = {
            _message(twin, name, _empty(twin, (2, 3)), a=a, error=error) for twin in TWINS
        }
        assert message.startswith("a must be")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_failed_call_changes_nothing(name) -> None:
    for twin in TWINS:
        param = _empty(twin, (2, 3))
        with pytest.raises((TypeError, ValueError)):
            getattr(twin, name)(param, seed="bad")
        assert np.all(_values(param) == 123.0)
