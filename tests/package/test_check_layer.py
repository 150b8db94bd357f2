"""`nnref.gradcheck.check_layer`, the self-check grader: nnref's own layers and the reference
solutions of the site's two implementation exercises pass; seeded wrong answers FAIL on the
right line; ReLU's kink behaves as documented; the output is deterministic and the layer is
left as found; misuse raises clear errors.

Every layer is built inside its test, so the tests run in any order."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import nnref.numpy as nnp
from nnref.gradcheck import check_layer, numerical_gradient
from tests.package.nets import every_layer_type


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([4242, *key])


def _away_from_zero(x: np.ndarray, margin: float = 1e-2) -> np.ndarray:
    # ReLU-like kinks at 0: keep every entry at least `margin` (far more than eps) away.
    return np.where(np.abs(x) < margin, np.copysign(margin, x), x)


def _verdicts(text: str) -> dict[str, str]:
    """{line name: PASS or FAIL} for check_layer's printout."""
    return {line.split()[0]: line.split()[-1] for line in text.splitlines()}


# --- the site's implementation exercise 1: a LeakyReLU layer --------------------------------


class LeakyReLU(nnp.Module):
    """Reference solution: out = x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = negative_slope
        self._x: np.ndarray | None = None

    def forward(self, x):
        self._x = np.array(x, dtype=np.float64, copy=True)
        return np.where(self._x > 0, self._x, self.negative_slope * self._x)

    def backward(self, grad_output):
        slope = np.where(self._x > 0, 1.0, self.negative_slope)
        return grad_output * slope


class LeakyReLUSignFlip(LeakyReLU):
    def backward(self, grad_output):
        slope = np.where(self._x > 0, 1.0, self.negative_slope)
        return -grad_output * slope  # wrong: the minus sign


class LeakyReLUForgetsSlope(LeakyReLU):
    def backward(self, grad_output):
        return grad_output * (self._x > 0)  # wrong: 0 for negatives, not negative_slope


class LeakyReLUWrongCache(LeakyReLU):
    def forward(self, x):
        self._out = super().forward(x)
        return self._out

    def backward(self, grad_output):
        return grad_output * self._out  # wrong: the cached output, not the slope


# --- the site's implementation exercise 2: a Linear layer written by hand ---------------


def _add(parameter: nnp.Parameter, gradient: np.ndarray) -> None:
    parameter.grad = gradient if parameter.grad is None else parameter.grad + gradient


class MyLinear(nnp.Module):
    """Reference solution: z = x W^T + b with a hand-written backward."""

    def __init__(self, in_features: int, out_features: int, *, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(in_features)
        self.weight = nnp.Parameter(rng.uniform(-bound, bound, size=(out_features, in_features)))
        self.bias = nnp.Parameter(rng.uniform(-bound, bound, size=out_features))
        self._x: np.ndarray | None = None

    def forward(self, x):
        self._x = np.array(x, dtype=np.float64, copy=True)
        return self._x @ self.weight.data.T + self.bias.data

    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, delta.T @ self._x)
        _add(self.bias, delta.sum(axis=0))
        return delta @ self.weight.data

    def named_parameters(self):
        yield "weight", self.weight
        yield "bias", self.bias


class MyLinearSignFlip(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, -(delta.T @ self._x))  # wrong: the minus sign
        _add(self.bias, delta.sum(axis=0))
        return delta @ self.weight.data


class MyLinearBiasFirstSampleOnly(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, delta.T @ self._x)
        _add(self.bias, delta[0])  # wrong: the other samples' terms are missing
        return delta @ self.weight.data


class MyLinearInputMissesWeight(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, delta.T @ self._x)
        _add(self.bias, delta.sum(axis=0))
        return delta  # wrong: the factor W of dE/dx is missing


class MyLinearTransposedWeight(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, self._x.T @ delta)  # wrong: (delta^T x)^T; fits only a square W
        _add(self.bias, delta.sum(axis=0))
        return delta @ self.weight.data


class MyLinearBiasWrongAxis(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, delta.T @ self._x)
        _add(self.bias, delta.sum(axis=1))  # wrong axis; fits only when batch == out_features
        return delta @ self.weight.data


# --- nnref's own layers pass ---------------------------------------------------------------


def _every_layer_net() -> tuple[nnp.Sequential, np.ndarray]:
    net = every_layer_type(nnp, (3, 5, 4, 4, 3))
    x = _rng(9).normal(size=(6, 3))
    # The ReLU (layer 3) must see pre-activations far from its kink at 0.
    assert np.min(np.abs(net[:3](x))) > 1e-3
    return net, x


LAYERS: dict[str, Callable[[], tuple[object, np.ndarray]]] = {
    "Linear": lambda: (nnp.Linear(3, 2, seed=0), _rng(0).normal(size=(4, 3))),
    "Linear-1d": lambda: (nnp.Linear(3, 2, seed=1), _rng(1).normal(size=3)),
    "Linear-3d": lambda: (nnp.Linear(2, 3, seed=2), _rng(2).normal(size=(2, 4, 2))),
    "Sigmoid": lambda: (nnp.Sigmoid(), _rng(3).normal(scale=2.0, size=(4, 3))),
    "Tanh": lambda: (nnp.Tanh(), _rng(4).normal(scale=2.0, size=(4, 3))),
    "ReLU": lambda: (nnp.ReLU(), _away_from_zero(_rng(5).normal(size=(4, 3)))),
    "Softmax": lambda: (nnp.Softmax(), _rng(6).normal(size=(4, 3))),
    "Softmax-axis0": lambda: (nnp.Softmax(axis=0), _rng(7).normal(size=(4, 3))),
    "Sequential": lambda: (
        nnp.Sequential(nnp.Linear(4, 5, seed=3), nnp.Sigmoid(), nnp.Linear(5, 2, seed=4)),
        _rng(8).normal(size=(3, 4)),
    ),
    "every-layer-type": _every_layer_net,
}


@pytest.mark.parametrize("build", LAYERS.values(), ids=LAYERS.keys())
def test_nnref_layers_pass(build, capsys) -> None:
    layer, x = build()
    assert check_layer(layer, x) is True
    verdicts = _verdicts(capsys.readouterr().out)
    assert list(verdicts) == ["input", *(name for name, _ in layer.named_parameters())]
    assert set(verdicts.values()) == {"PASS"}


class _TiedScale(nnp.Module):
    """y = x * w * w with one parameter listed under two names, as tied weights are."""

    def __init__(self) -> None:
        self.w = nnp.Parameter([0.5, -2.0])

    def forward(self, x):
        self._x = np.array(x, dtype=np.float64, copy=True)
        return self._x * self.w.data * self.w.data

    def backward(self, grad_output):
        g = np.sum(grad_output * self._x, axis=0) * self.w.data
        _add(self.w, g)  # the two uses add up
        _add(self.w, g)
        return grad_output * self.w.data * self.w.data

    def named_parameters(self):
        yield "w", self.w
        yield "tied", self.w


def test_a_parameter_listed_twice_is_checked_once(capsys) -> None:
    assert check_layer(_TiedScale(), _rng(10).normal(size=(3, 2))) is True
    assert _verdicts(capsys.readouterr().out) == {"input": "PASS", "w": "PASS"}


def test_a_layer_used_twice_is_graded_as_autograd_sees_it(capsys) -> None:
    # Sequential(lin, Tanh(), lin): check_layer's verdict must agree with autograd's, both
    # while the NumPy twin caches only a layer's last input (wrong weight gradient) and
    # after it keeps one cache per use.
    torch = pytest.importorskip("torch")
    shared = nnp.Linear(3, 3, seed=5)
    net = nnp.Sequential(shared, nnp.Tanh(), shared)
    x = _rng(10).normal(size=(2, 3))
    weights = _rng(20).normal(size=(2, 3))
    net.forward(x)
    net.backward(weights)
    w = torch.tensor(shared.weight.data, requires_grad=True)
    b = torch.tensor(shared.bias.data, requires_grad=True)
    hidden = torch.tanh(torch.from_numpy(x) @ w.T + b)
    ((hidden @ w.T + b) * torch.from_numpy(weights)).sum().backward()
    matches = bool(np.allclose(shared.weight.grad, w.grad.numpy(), rtol=1e-9, atol=1e-12))
    net.zero_grad()
    assert check_layer(net, x) is matches
    verdicts = _verdicts(capsys.readouterr().out)
    assert verdicts == {
        "input": "PASS",
        "0.weight": "PASS" if matches else "FAIL",
        "0.bias": "PASS",
    }


# --- the exercises: references pass, seeded wrong answers fail on the right line -------------


def _leaky_input() -> np.ndarray:
    return _away_from_zero(_rng(11).normal(size=(4, 3)))


def _square_input() -> np.ndarray:
    # Square everything (batch = in = out = 3) so the transposed and wrong-axis answers
    # have the right shapes and only the values can give them away.
    return _rng(12).normal(size=(3, 3))


def test_leaky_relu_reference_passes(capsys) -> None:
    assert check_layer(LeakyReLU(negative_slope=0.01), _leaky_input()) is True
    assert _verdicts(capsys.readouterr().out) == {"input": "PASS"}


@pytest.mark.parametrize(
    ("in_features", "out_features", "batch"), [(3, 3, 3), (4, 2, 5), (1, 1, 1)], ids=str
)
def test_my_linear_reference_passes(in_features: int, out_features: int, batch: int, capsys):
    x = _rng(13, batch).normal(size=(batch, in_features))
    assert check_layer(MyLinear(in_features, out_features), x) is True
    assert _verdicts(capsys.readouterr().out) == {"input": "PASS", "weight": "PASS", "bias": "PASS"}


WRONG_ANSWERS = [
    (LeakyReLUSignFlip, _leaky_input, "input"),
    (LeakyReLUForgetsSlope, _leaky_input, "input"),
    (LeakyReLUWrongCache, _leaky_input, "input"),
    (lambda: MyLinearSignFlip(3, 3), _square_input, "weight"),
    (lambda: MyLinearBiasFirstSampleOnly(3, 3), _square_input, "bias"),
    (lambda: MyLinearInputMissesWeight(3, 3), _square_input, "input"),
    (lambda: MyLinearTransposedWeight(3, 3), _square_input, "weight"),
    (lambda: MyLinearBiasWrongAxis(3, 3), _square_input, "bias"),
]


@pytest.mark.parametrize(
    ("build", "make_input", "wrong"),
    WRONG_ANSWERS,
    ids=[
        "leaky-sign-flip",
        "leaky-missing-slope",
        "leaky-wrong-cache",
        "linear-sign-flip",
        "linear-missing-bias-terms",
        "linear-missing-input-factor",
        "linear-transposed-weight",
        "linear-bias-wrong-axis",
    ],
)
def test_wrong_answers_fail_on_the_right_line(build, make_input, wrong: str, capsys) -> None:
    layer = build()
    assert check_layer(layer, make_input()) is False
    verdicts = _verdicts(capsys.readouterr().out)
    assert verdicts[wrong] == "FAIL"
    assert all(verdict == "PASS" for name, verdict in verdicts.items() if name != wrong)


def test_output_format_is_exact(capsys) -> None:
    class DoubledBias(nnp.Linear):
        def backward(self, grad_output):
            dE_dx = super().backward(grad_output)
            self.bias.grad = 2.0 * self.bias.grad
            return dE_dx

    # |2g - g| / (|2g| + |g|) = 1/3 whatever g is: a FAIL value no rounding noise can move.
    assert check_layer(DoubledBias(3, 2, seed=0), _rng(14).normal(size=(4, 3))) is False
    assert capsys.readouterr().out == (
        "input   relative error <= 1e-06  PASS\n"
        "weight  relative error <= 1e-06  PASS\n"
        "bias    relative error  3.3e-01  FAIL\n"
    )


def test_tolerance_sets_the_verdict_and_is_printed_exactly(capsys) -> None:
    x = _rng(15).normal(size=(4, 3))
    assert check_layer(nnp.Linear(3, 2, seed=0), x, tol=1.5e-6) is True
    assert capsys.readouterr().out.splitlines()[0] == "input   relative error <= 1.5e-06  PASS"
    assert check_layer(nnp.Linear(3, 2, seed=0), x, tol=0.0) is False
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in lines] == ["FAIL"] * 3
    assert all(float(line.split()[3]) < 1e-8 for line in lines)  # rounding-level errors


def test_nan_gradients_fail() -> None:
    class NaNGradient(nnp.Tanh):
        def backward(self, grad_output):
            return np.full_like(super().backward(grad_output), np.nan)

    assert check_layer(NaNGradient(), np.ones(3)) is False


# --- kinks -----------------------------------------------------------------------------------


def test_relu_finite_difference_at_its_kink_is_one_half_numpy() -> None:
    # (relu(eps) - relu(-eps)) / (2 eps) = 0.5, exactly: neither one-sided slope.
    numeric = numerical_gradient(lambda z: np.sum(nnp.relu(z)), np.zeros(3))
    assert numeric.tolist() == [0.5, 0.5, 0.5]
    assert nnp.relu_grad(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert nnp.ReLU().forward(np.zeros(1)).tolist() == [0.0]


def test_relu_finite_difference_at_its_kink_is_one_half_torch() -> None:
    torch = pytest.importorskip("torch")
    import nnref.torch as nnt

    numeric = numerical_gradient(
        lambda z: float(nnt.relu(torch.from_numpy(z.copy())).sum()), np.zeros(3)
    )
    assert numeric.tolist() == [0.5, 0.5, 0.5]
    assert nnt.relu_grad(torch.zeros(3, dtype=torch.float64)).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("value", "passes"), [(0.0, False), (1e-7, False), (-1e-7, False), (1e-3, True)]
)
def test_check_layer_at_and_near_relus_kink(value: float, passes: bool, capsys) -> None:
    # One entry at (or within eps of) the kink spoils the check; 1e-3 away it passes.
    x = np.array([[value, 1.0], [-1.0, 2.0]])
    assert check_layer(nnp.ReLU(), x) is passes
    assert _verdicts(capsys.readouterr().out) == {"input": "PASS" if passes else "FAIL"}


# --- determinism and leaving the layer as found ---------------------------------------------


def test_same_arguments_print_the_same_text(capsys) -> None:
    x = _square_input()
    texts = []
    for _ in range(2):
        check_layer(MyLinearTransposedWeight(3, 3), x, seed=3)
        texts.append(capsys.readouterr().out)
    assert texts[0] == texts[1]
    assert "FAIL" in texts[0]


def test_parameters_input_and_gradients_are_restored_bit_exactly(capsys) -> None:
    net = nnp.Sequential(nnp.Linear(3, 4, seed=6), nnp.Tanh(), nnp.Linear(4, 2, seed=7))
    x = _rng(16).normal(size=(5, 3))
    x_before = x.copy()
    params = dict(net.named_parameters())
    arrays = {name: p.data for name, p in params.items()}
    values = {name: p.data.tobytes() for name, p in params.items()}
    existing = np.arange(8.0).reshape(4, 2)
    params["2.weight"].grad = existing  # one parameter already holds a gradient
    assert check_layer(net, x, points=6) is True
    capsys.readouterr()
    for name, p in params.items():
        assert p.data is arrays[name]
        assert p.data.tobytes() == values[name]
    assert params["2.weight"].grad is existing
    assert existing.tolist() == np.arange(8.0).reshape(4, 2).tolist()
    assert [p.grad for name, p in params.items() if name != "2.weight"] == [None] * 3
    assert x.tobytes() == x_before.tobytes()


class _NotCopyable(nnp.Linear):
    """Refuses deep copies, so check_layer nudges its own parameters and restores them."""

    def __deepcopy__(self, memo):
        raise TypeError("this layer cannot be copied")


def test_a_layer_that_cannot_be_copied_is_nudged_and_restored(capsys) -> None:
    layer = _NotCopyable(3, 2, seed=8)
    arrays = {name: p.data for name, p in layer.named_parameters()}
    before = {name: p.data.tobytes() for name, p in layer.named_parameters()}
    assert check_layer(layer, _rng(17).normal(size=(2, 3))) is True
    assert set(_verdicts(capsys.readouterr().out).values()) == {"PASS"}
    for name, p in layer.named_parameters():
        assert p.data is arrays[name]
        assert p.data.tobytes() == before[name]


@pytest.mark.parametrize("copyable", [True, False], ids=["copy", "in-place"])
def test_parameters_are_restored_when_the_layer_raises(copyable: bool, capsys) -> None:
    class BreaksLater(nnp.Linear if copyable else _NotCopyable):
        calls = 0

        def forward(self, x):
            self.calls += 1
            if self.calls == 7:  # in the middle of the finite differences
                raise RuntimeError("boom")
            return super().forward(x)

    layer = BreaksLater(3, 2, seed=8)
    before = {name: p.data.tobytes() for name, p in layer.named_parameters()}
    with pytest.raises(RuntimeError, match="boom"):
        check_layer(layer, _rng(17).normal(size=(2, 3)))
    for name, p in layer.named_parameters():
        assert p.data.tobytes() == before[name]
        assert p.grad is None


def test_the_layer_itself_runs_one_forward_and_backward_per_point(capsys) -> None:
    class Counting(nnp.Linear):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.forwards = self.backwards = 0

        def forward(self, x):
            self.forwards += 1
            return super().forward(x)

        def backward(self, grad_output):
            self.backwards += 1
            return super().backward(grad_output)

    layer = Counting(3, 2, seed=9)
    x = _rng(21).normal(size=(2, 3))
    assert check_layer(layer, x, points=6) is True
    assert (layer.forwards, layer.backwards) == (6, 6)


def test_duck_typed_layers_without_module(capsys) -> None:
    class Param:
        def __init__(self, data):
            self.data = np.asarray(data, dtype=np.float64)
            self.grad = None

    class Scale:  # no zero_grad: check_layer clears .grad itself
        def __init__(self):
            self.scale = Param([2.0, -3.0])

        def forward(self, x):
            self._x = np.array(x, dtype=np.float64)
            return self._x * self.scale.data

        def backward(self, grad_output):
            self.scale.grad = np.sum(grad_output * self._x, axis=0) + (
                0.0 if self.scale.grad is None else self.scale.grad
            )
            return grad_output * self.scale.data

        def named_parameters(self):
            yield "scale", self.scale

    class Square:  # no parameters at all
        def forward(self, x):
            self._x = np.array(x)
            return self._x**2

        def backward(self, grad_output):
            return 2.0 * self._x * grad_output

    layer = Scale()
    assert check_layer(layer, _rng(18).normal(size=(3, 2))) is True
    assert layer.scale.grad is None
    assert check_layer(Square(), _rng(19).normal(size=4), points=7) is True
    assert capsys.readouterr().out.splitlines() == [
        "input  relative error <= 1e-06  PASS",
        "scale  relative error <= 1e-06  PASS",
        "input  relative error <= 1e-06  PASS",
    ]


# --- errors ----------------------------------------------------------------------------------


class _NoBackward:
    def forward(self, x):
        return x


class _ReturnsNone(nnp.Tanh):
    def backward(self, grad_output):
        super().backward(grad_output)


class _ReturnsTransposed(nnp.Tanh):
    def backward(self, grad_output):
        return super().backward(grad_output).T


class _ForgetsBias(MyLinear):
    def backward(self, grad_output):
        delta = np.asarray(grad_output, dtype=np.float64)
        _add(self.weight, delta.T @ self._x)
        return delta @ self.weight.data


class _Random(nnp.Tanh):
    def forward(self, x):
        return super().forward(x) + np.random.default_rng().normal(size=np.shape(x))


class _BadNamedParameters(nnp.Tanh):
    def named_parameters(self):
        yield nnp.Parameter([1.0])


class _SameName(nnp.Module):
    def forward(self, x):
        return x

    def backward(self, grad_output):
        return grad_output

    def named_parameters(self):
        yield "w", nnp.Parameter([1.0])
        yield "w", nnp.Parameter([2.0])


class _NamedInput(_SameName):
    def named_parameters(self):
        yield "input", nnp.Parameter([1.0])


class _Float32Output(nnp.Tanh):
    def forward(self, x):
        return super().forward(x).astype(np.float32)


X43 = np.arange(12.0).reshape(4, 3) / 10.0 + 0.05


@pytest.mark.parametrize(
    ("build", "x", "error", "match"),
    [
        (object, X43, TypeError, "forward.*backward.*object without forward and backward"),
        (_NoBackward, X43, TypeError, "without backward"),
        (_ReturnsNone, X43, TypeError, r"input's shape \(4, 3\); got None"),
        (_ReturnsTransposed, X43, ValueError, r"input's shape \(4, 3\); got shape \(3, 4\)"),
        (lambda: _ForgetsBias(3, 2), X43, ValueError, r"did not fill bias\.grad"),
        (
            lambda: MyLinearTransposedWeight(3, 2),
            X43,
            ValueError,
            r"weight\.grad must have the shape of weight\.data, \(2, 3\); got shape \(3, 2\)",
        ),
        (
            lambda: nnp.Linear(3, 2, dtype=np.float32, seed=0),
            X43,
            TypeError,
            "needs float64 throughout; parameter 'weight' has dtype float32",
        ),
        (_Float32Output, X43, TypeError, r"forward\(x\) has dtype float32"),
        (nnp.Tanh, X43.astype(np.float32), TypeError, "x has dtype float32"),
        (nnp.Tanh, X43.astype(bool), TypeError, "dtype bool"),
        (_Random, X43, ValueError, "deterministic"),
        (_BadNamedParameters, X43, TypeError, r"\(name, parameter\) pairs"),
        (_SameName, X43, ValueError, "'w'"),
        (_NamedInput, X43, ValueError, "'input'"),
    ],
    ids=[
        "no-methods",
        "no-backward",
        "backward-returns-none",
        "backward-wrong-shape",
        "grad-not-filled",
        "grad-wrong-shape",
        "float32-layer",
        "float32-output",
        "float32-input",
        "bool-input",
        "random-forward",
        "bad-named-parameters",
        "duplicate-names",
        "parameter-named-input",
    ],
)
def test_errors_name_expected_and_received(build, x, error, match: str, capsys) -> None:
    with pytest.raises(error, match=match):
        check_layer(build(), x)


def test_torch_modules_are_pointed_to_autograd() -> None:
    pytest.importorskip("torch")
    import nnref.torch as nnt

    with pytest.raises(TypeError, match="autograd"):
        check_layer(nnt.Linear(3, 2, seed=0), X43)


@pytest.mark.parametrize(
    ("keyword", "value", "error"),
    [
        ("points", 0, ValueError),
        ("points", 2.5, TypeError),
        ("points", True, TypeError),
        ("eps", 0.0, ValueError),
        ("eps", -1e-6, ValueError),
        ("eps", float("nan"), ValueError),
        ("tol", -1e-6, ValueError),
        ("tol", float("inf"), ValueError),
        ("tol", "1e-6", TypeError),
        ("tol", True, TypeError),
    ],
)
def test_bad_settings_are_rejected(keyword: str, value: object, error, capsys) -> None:
    with pytest.raises(error, match=keyword):
        check_layer(nnp.Tanh(), X43, **{keyword: value})
    assert capsys.readouterr().out == ""
