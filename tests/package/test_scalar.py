"""`nnref.scalar`, the scalar autograd engine: every operation's value and gradient against
PyTorch float64 autograd, the worked 2-2-2 network against `nnref.numpy`, large inputs, and
one script that must print the same bytes under MicroPython (`tools/micropython_run.mjs`)
as under CPython."""

from __future__ import annotations

import ast
import inspect
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import nnref.numpy as nnp
from nnref import example
from nnref.scalar import LCG, MLP, Layer, Neuron, Value

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tools" / "micropython_run.mjs"
MICROPYTHON = (
    ROOT / "node_modules" / "@micropython" / "micropython-webassembly-pyscript" / "micropython.mjs"
)
REL, ABS = 1e-12, 1e-13

# (name, domain of the inputs, expression in a, b, c): each is evaluated on Values and on
# float64 tensors, and written into the MicroPython script. Domains keep the inputs where
# the operation is smooth: "positive" for log and fractional powers, "nonzero" away from
# the kink of relu and the pole of 1/x.
OPERATIONS = (
    ("add", "any", "a + b"),
    ("sub", "any", "a - b"),
    ("mul", "any", "a * b"),
    ("div", "nonzero", "a / b"),
    ("neg", "any", "-a"),
    ("pow_2", "any", "a ** 2"),
    ("pow_3", "any", "a ** 3"),
    ("pow_minus_1", "nonzero", "a ** -1"),
    ("pow_minus_2", "nonzero", "a ** -2.0"),
    ("pow_half", "positive", "a ** 0.5"),
    ("pow_2_5", "positive", "a ** 2.5"),
    ("exp", "any", "a.exp()"),
    ("log", "positive", "a.log()"),
    ("tanh", "any", "a.tanh()"),
    ("sigmoid", "any", "a.sigmoid()"),
    ("relu", "nonzero", "a.relu()"),
    # Plain numbers on either side.
    ("float_plus", "any", "2.5 + a"),
    ("plus_int", "any", "a + 3"),
    ("int_minus", "any", "1 - a"),
    ("minus_float", "any", "a - 0.75"),
    ("int_times", "any", "2 * a"),
    ("times_float", "any", "a * -1.5"),
    ("int_over", "nonzero", "1 / a"),
    ("over_int", "any", "a / 4"),
    # A value used more than once: the gradients of its uses add up.
    ("square_by_mul", "any", "a * a"),
    ("used_three_times", "any", "a * a + a"),
    ("sum_then_mul", "any", "(a + a) * a"),
    ("b_reused", "any", "a * b + b.tanh() * b"),
    # Compositions.
    ("neuron", "any", "(a * b + c).tanh()"),
    ("softplus", "any", "(1 + a.exp()).log()"),
    ("chain", "any", "((a * b).sigmoid() - c / (1 + c * c)) ** 2"),
    ("relu_mix", "nonzero", "(a.relu() * b - (c * a).relu()).exp()"),
    ("log_sigmoid", "any", "a.sigmoid().log()"),
    ("rational", "positive", "(a - b) / (a * b + c) - 2 / (a + 1)"),
)
NAMES = [name for name, _, _ in OPERATIONS]
LARGE = (1e4, -1e4, 800.0, -800.0, 710.0, -710.0, 36.0, -36.0)


def _arity(expression: str) -> int:
    names = {node.id for node in ast.walk(ast.parse(expression)) if isinstance(node, ast.Name)}
    assert names in ({"a"}, {"a", "b"}, {"a", "b", "c"}), expression
    return len(names)


def _function(expression: str):
    return eval(f"lambda a, b=None, c=None: {expression}")


def _point(rng, domain):
    # No annotations: the MicroPython cross-check runs this very source (inspect.getsource).
    size = rng.uniform(0.2, 3.0)
    if domain == "positive":
        return size
    if domain == "nonzero":
        return size if rng.random() < 0.5 else -size
    return rng.uniform(-3.0, 3.0)


def _close(got: float, want: float) -> bool:
    return math.isclose(got, want, rel_tol=REL, abs_tol=ABS)


# --- every operation against PyTorch --------------------------------------------------


@pytest.mark.parametrize(("name", "domain", "expression"), OPERATIONS, ids=NAMES)
def test_value_and_gradients_match_torch(name: str, domain: str, expression: str) -> None:
    f, arity = _function(expression), _arity(expression)
    rng = random.Random(f"scalar-{name}")
    for _ in range(5):
        xs = [_point(rng, domain) for _ in range(arity)]
        values = [Value(x) for x in xs]
        tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        out, reference = f(*values), f(*tensors)
        out.backward()
        reference.backward()
        assert _close(out.data, reference.item()), (name, xs, out.data, reference.item())
        for value, tensor in zip(values, tensors, strict=True):
            assert _close(value.grad, tensor.grad.item()), (name, xs, value.grad, tensor.grad)


def test_all_operations_are_covered() -> None:
    source = (ROOT / "nnref" / "scalar.py").read_text(encoding="utf-8")
    for method in ("exp()", "log()", "tanh()", "sigmoid()", "relu()"):
        assert any(method in expression for _, _, expression in OPERATIONS), method
    for dunder in ("__add__", "__mul__", "__pow__", "__neg__", "__sub__", "__truediv__"):
        assert f"def {dunder}(" in source


def test_results_record_their_operation_and_inputs() -> None:
    a, b = Value(2.0, label="a"), Value(3.0)
    assert (a.op, a.label, b.label) == ("", "a", "")
    assert [(v.op, v._prev) for v in (a + b, a * b)] == [("+", (a, b)), ("*", (a, b))]
    assert [(a**2).op, (a**0.5).op, a.exp().op, a.sigmoid().op] == [
        "**2",
        "**0.5",
        "exp",
        "sigmoid",
    ]


def test_repr() -> None:
    v = Value(0.1) * 5
    v.backward()
    assert repr(v) == "Value(data=0.5, grad=1.0)"
    assert repr(Value(2)) == "Value(data=2.0, grad=0.0)"


def test_gradients_accumulate_across_backward_calls_as_in_torch() -> None:
    x = Value(1.5)
    t = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    for _ in range(2):
        (x * x).tanh().backward()
        (t * t).tanh().backward()
    assert _close(x.grad, t.grad.item())


# --- the order of the backward pass ---------------------------------------------------


def test_topological_order_lists_inputs_first_and_each_node_once() -> None:
    w, x, b = Value(0.5, label="w"), Value(2.0, label="x"), Value(-1.0, label="b")
    wx = w * x
    wx.label = "w*x"
    y = wx + b
    y.label = "w*x+b"
    out = y.tanh()
    assert [v.label or v.op for v in out.topological_order()] == [
        "w",
        "x",
        "w*x",
        "b",
        "w*x+b",
        "tanh",
    ]
    shared = x * x
    z = shared * shared + x
    order = z.topological_order()
    assert len(order) == len({id(v) for v in order}) == 4  # x, x*x, (x*x)^2, + ; no repeats
    position = {id(v): i for i, v in enumerate(order)}
    assert all(position[id(c)] < position[id(v)] for v in order for c in v._prev)
    assert order[-1] is z


def test_a_deep_graph_needs_no_recursion() -> None:
    # Far past CPython's recursion limit of 1000 (MicroPython's stack is smaller still).
    v = x = Value(0.3)
    for _ in range(5000):
        v = v * 1.0 + 0.0
    v.backward()
    assert len(v.topological_order()) == 1 + 4 * 5000
    assert x.grad == 1.0


# --- numerics and errors --------------------------------------------------------------


@pytest.mark.parametrize("x", LARGE)
def test_large_inputs_stay_finite(x: float) -> None:
    # filterwarnings = error: any overflow warning would fail the test as well.
    for method in ("sigmoid", "tanh", "relu"):
        v = Value(x)
        out = getattr(v, method)()
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        reference = getattr(t, method)()
        reference.backward()
        assert math.isfinite(out.data) and math.isfinite(v.grad), method
        assert _close(out.data, reference.item()) and _close(v.grad, t.grad.item()), method
    assert Value(-1e4).sigmoid().data == 0.0 and Value(1e4).sigmoid().data == 1.0
    assert Value(-1e4).exp().data == 0.0


def test_exp_overflow_raises_a_clear_error() -> None:
    assert math.isfinite(Value(709.78).exp().data)
    for x in (710.0, 1e4):
        with pytest.raises(OverflowError, match=rf"exp\({x!r}\) overflows"):
            Value(x).exp()


@pytest.mark.parametrize("x", [0.0, -1.0, -1e4])
def test_log_of_a_non_positive_number_names_it(x: float) -> None:
    with pytest.raises(ValueError, match=rf"log needs a positive input, got {x!r}"):
        Value(x).log()


def test_a_value_exponent_is_refused() -> None:
    with pytest.raises(TypeError, match=r"exponent must be a constant int or float, got a Value"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match=r"2 \*\* Value: the exponent must be a constant"):
        2 ** Value(3.0)
    with pytest.raises(TypeError, match="the exponent must be an int or float, got str"):
        Value(2.0) ** "3"
    with pytest.raises(ValueError, match="a negative base needs an integer power"):
        Value(-8.0) ** (1 / 3)
    assert (Value(-2.0) ** 3.0).data == -8.0


def test_bad_data_is_refused() -> None:
    for bad in ("1", None, True, [1.0]):
        with pytest.raises(TypeError, match="Value data must be an int or float"):
            Value(bad)
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError, match="must be finite"):
            Value(bad)
    with pytest.raises(ValueError, match="must be finite"):
        Value(1e200) * Value(1e200)  # an overflow never passes silently as inf
    with pytest.raises(TypeError):
        Value(1.0) + "x"


# --- the worked 2-2-2 network ---------------------------------------------------------


def _worked_mlp() -> MLP:
    return MLP(
        2,
        [2, 2],
        nonlin="sigmoid",
        output_nonlin="sigmoid",
        weights=(example.W1, example.W2),
        biases=(example.B1, example.B2),
    )


def test_worked_network_matches_nnref_numpy() -> None:
    net = _worked_mlp()
    outputs = net(example.INPUTS)
    error = sum(0.5 * (t - o) ** 2 for t, o in zip(example.TARGETS, outputs, strict=True))
    error.backward()

    reference = nnp.worked_network()
    x, target = nnp.worked_inputs(), nnp.worked_targets()
    expected_out = reference(x)
    expected_error = nnp.half_squared_error(expected_out, target)
    reference.backward(nnp.half_squared_error_grad(expected_out, target))

    np.testing.assert_allclose([o.data for o in outputs], expected_out, rtol=0, atol=1e-12)
    assert abs(error.data - float(expected_error)) <= 1e-12
    gradients = {}
    for index, layer in zip((0, 2), net.layers, strict=True):
        gradients[f"{index}.weight"] = [[w.grad for w in n.w] for n in layer.neurons]
        gradients[f"{index}.bias"] = [n.b.grad for n in layer.neurons]
    expected = {
        name: getattr(reference[int(name[0])], name[2:]).grad for name in reference.state_dict()
    }
    assert list(gradients) == list(expected) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    flat = [g for name in gradients for g in np.ravel(gradients[name])]
    assert len(flat) == 12  # w1..w8 and the four biases, one per unit
    for name in gradients:
        np.testing.assert_allclose(gradients[name], expected[name], rtol=0, atol=1e-12)


def test_worked_network_parameters_in_micrograd_order() -> None:
    net = _worked_mlp()
    w1, w2 = example.W1[0]
    assert [p.data for p in net.parameters()[:3]] == [w1, w2, example.B1[0]]
    assert len(net.parameters()) == 12
    net(example.INPUTS)[1].backward()
    assert any(p.grad for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


# --- Neuron, Layer, MLP and their random start ----------------------------------------


def test_lcg_is_the_documented_recurrence() -> None:
    rng, state = LCG(7), 7
    for _ in range(5):
        state = (1664525 * state + 1013904223) % 2**32
        assert rng.random() == state / 2**32
    draws = [LCG(3).uniform(-1.0, 1.0) for _ in range(2)]
    assert draws[0] == draws[1] and -1.0 <= draws[0] < 1.0
    with pytest.raises(TypeError, match="seed must be an int"):
        LCG(1.0)


def test_random_start_is_deterministic_and_seeded() -> None:
    def weights(seed):
        return [p.data for p in MLP(3, [4, 4, 1], seed=seed).parameters()]

    assert weights(0) == weights(0)
    assert weights(0) != weights(1)
    neurons = Layer(3, 4, seed=5).neurons
    assert len({tuple(w.data for w in n.w) for n in neurons}) == 4  # the symmetry is broken
    assert all(-1.0 <= w.data < 1.0 for n in neurons for w in n.w)
    assert all(n.b.data == 0.0 for n in neurons)
    first = Neuron(3, seed=LCG(5))
    assert [w.data for w in first.w] == [w.data for w in neurons[0].w]


def test_shapes_and_activations() -> None:
    net = MLP(3, [4, 1], seed=2)
    assert isinstance(net([1.0, 2.0, 3.0]), Value)  # one output: a Value, as in micrograd
    assert len(MLP(3, [1, 2], seed=2)([1.0, 2.0, 3.0])) == 2  # a hidden layer of width 1
    assert len(net.parameters()) == (3 + 1) * 4 + (4 + 1) * 1
    assert [n.nonlin for n in net.layers[0].neurons] == ["relu"] * 4
    assert net.layers[1].neurons[0].nonlin == ""  # the last layer is linear
    for nonlin, f in (("tanh", math.tanh), (False, lambda z: z), (True, lambda z: max(z, 0.0))):
        n = Neuron(2, nonlin=nonlin, weights=(0.5, -2.0), bias=0.25)
        assert n([1.0, 1.0]).data == f(0.5 - 2.0 + 0.25)
    with pytest.raises(ValueError, match="nonlin must be"):
        Neuron(2, nonlin="softmax")
    with pytest.raises(ValueError, match="weights: expected 2 entries, got 3"):
        Neuron(2, weights=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="inputs: expected 3 entries, got 2"):
        net([1.0, 2.0])
    with pytest.raises(ValueError, match="biases: expected 4 entries"):
        Layer(3, 4, biases=(0.0,))


def test_a_small_mlp_learns() -> None:
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    net = MLP(3, [4, 4, 1], nonlin="tanh", output_nonlin="tanh", seed=42)
    losses = []
    for _ in range(30):
        loss = sum((net(x) - y) ** 2 for x, y in zip(xs, ys, strict=True))
        net.zero_grad()
        loss.backward()
        for p in net.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.1 * losses[0]


def test_importing_scalar_loads_neither_numpy_nor_torch() -> None:
    code = "import nnref.scalar, sys; assert 'numpy' not in sys.modules, 'numpy'; "
    code += "assert 'torch' not in sys.modules, 'torch'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --- MicroPython ----------------------------------------------------------------------


def _micropython_or_skip(package: Path = MICROPYTHON) -> str:
    """The path of `node`; skips loudly when the runner cannot work (fails instead under
    NNREF_REQUIRE_MICROPYTHON=1)."""
    node = shutil.which("node")
    missing = [] if node else ["`node` is not on PATH"]
    if not package.is_file():
        missing.append(f"{package} is missing (run `npm ci`)")
    if missing:
        reason = "MICROPYTHON CROSS-CHECK NOT RUN: " + "; ".join(missing)
        if os.environ.get("NNREF_REQUIRE_MICROPYTHON") == "1":
            pytest.fail(f"{reason} (and NNREF_REQUIRE_MICROPYTHON=1)")
        pytest.skip(reason)
    return node


def _run_micropython(code: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    node = _micropython_or_skip()
    script = tmp_path / "script.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run(
        [node, str(RUNNER), str(script)], cwd=ROOT, capture_output=True, check=False, timeout=300
    )


def _run_cpython(code: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    script = tmp_path / "script_cpython.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
        timeout=300,
    )


def _cross_check_script() -> str:
    """A script that prints every operation's value and gradients with explicit formats:
    `repr` of a float may spend one digit more under MicroPython, `'{:.12e}'` agrees."""
    operations = ",\n".join(
        f"    ({name!r}, {domain!r}, {_arity(expression)}, lambda a, b=None, c=None: {expression})"
        for name, domain, expression in OPERATIONS
    )
    data = "".join(
        f"{name} = {getattr(example, name)!r}\n" for name in ("INPUTS", "TARGETS", "W1", "W2")
    )
    data += f"B1 = {example.B1!r}\nB2 = {example.B2!r}\nLARGE = {LARGE!r}\n"
    return f"""from nnref.scalar import LCG, MLP, Layer, Neuron, Value

{data}
OPERATIONS = (
{operations},
)


def fmt(x):
    return "{{:.12e}}".format(x)


{inspect.getsource(_point)}

rng = LCG(2024)
for name, domain, arity, f in OPERATIONS:
    for _ in range(3):
        values = [Value(_point(rng, domain)) for _ in range(arity)]
        out = f(*values)
        out.backward()
        print(name, fmt(out.data), " ".join(fmt(v.grad) for v in values))

for x in LARGE:
    for method in ("sigmoid", "tanh", "relu", "exp"):
        v = Value(x)
        try:
            out = getattr(v, method)()
            out.backward()
            print(method, fmt(x), fmt(out.data), fmt(v.grad))
        except OverflowError as error:
            print(method, fmt(x), "OverflowError", error)

tries = (
    lambda: Value(-1.0).log(),
    lambda: Value(0.0).log(),
    lambda: Value(2.0) ** Value(3.0),
    lambda: 2 ** Value(3.0),
    lambda: Value(-8.0) ** 0.5,
    lambda: Value("1"),
    lambda: Value(True),
    lambda: Neuron(2, nonlin="softmax"),
    lambda: Neuron(2, weights=(1.0,)),
    lambda: LCG(1.5),
)
for attempt in tries:
    try:
        attempt()
        print("no error")
    except (TypeError, ValueError, OverflowError) as error:
        print(type(error).__name__, error)

w, x, b = Value(0.5, label="w"), Value(2.0, label="x"), Value(-1.0, label="b")
wx = w * x
wx.label = "w*x"
y = (wx + b).sigmoid()
y.backward()
print([v.label or v.op for v in y.topological_order()])
print(repr(w), repr(x), repr(Value(0.1)), repr(Value(3)))

net = MLP(2, [2, 2], nonlin="sigmoid", output_nonlin="sigmoid", weights=(W1, W2), biases=(B1, B2))
outputs = net(INPUTS)
error = sum(0.5 * (t - o) ** 2 for t, o in zip(TARGETS, outputs))
error.backward()
print("worked", " ".join(fmt(o.data) for o in outputs), fmt(error.data))
print("gradients", " ".join(fmt(p.grad) for p in net.parameters()))

net = MLP(3, [4, 4, 1], nonlin="tanh", seed=7)
print("init", " ".join(fmt(p.data) for p in net.parameters()))
out = net([1.0, -2.0, 0.5])
out.backward()
print("mlp", fmt(out.data), " ".join(fmt(p.grad) for p in net.parameters()))
rng = LCG(123)
print("lcg", [rng.random() for _ in range(3)], LCG(-1).state, LCG(2**40 + 5).state)

v = start = Value(0.3)
for _ in range(1500):
    v = v * 1.0 + 0.0
v.backward()
print("deep", len(v.topological_order()), fmt(start.grad))
"""


def test_micropython_prints_what_cpython_prints(tmp_path: Path) -> None:
    code = _cross_check_script()
    micro = _run_micropython(code, tmp_path)
    assert micro.returncode == 0, micro.stderr.decode()
    assert micro.stderr == b""
    cpython = _run_cpython(code, tmp_path)
    assert cpython.returncode == 0, cpython.stderr.decode()
    assert cpython.stderr == b""
    lines = cpython.stdout.decode().splitlines()
    assert len(lines) == 3 * len(OPERATIONS) + 4 * len(LARGE) + 10 + 8  # everything ran
    assert micro.stdout == cpython.stdout


def test_runner_runs_micropython_and_reads_stdin(tmp_path: Path) -> None:
    node = _micropython_or_skip()
    code = b"import sys\nprint(sys.implementation.name, end='')\nprint()\nprint('x' * 3)\n"
    result = subprocess.run(
        [node, str(RUNNER)], input=code, cwd=ROOT, capture_output=True, check=False, timeout=300
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"micropython\nxxx\n", b"")


def test_runner_reports_a_python_error_with_its_traceback(tmp_path: Path) -> None:
    code = "print('before')\n\ndef fail():\n    raise ValueError('boom in micropython')\n\nfail()\n"
    result = _run_micropython(code, tmp_path)
    assert result.returncode == 1
    assert result.stdout == b"before\n"  # what was printed before the error still comes out
    stderr = result.stderr.decode()
    assert stderr.startswith("Traceback (most recent call last):\n")
    assert "line 4, in fail" in stderr
    assert stderr.endswith("ValueError: boom in micropython\n")


def test_runner_passes_on_the_exit_status(tmp_path: Path) -> None:
    assert _run_micropython("raise SystemExit(3)\n", tmp_path).returncode == 3
    assert _run_micropython("raise SystemExit\n", tmp_path).returncode == 0
    result = _run_micropython("import nnref.scalar\nnnref.scalar.Value(1.0).exp()\n", tmp_path)
    assert result.returncode == 0


def test_missing_micropython_skips_or_fails_when_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = tmp_path / "no-such-package" / "micropython.mjs"
    monkeypatch.delenv("NNREF_REQUIRE_MICROPYTHON", raising=False)
    with pytest.raises(pytest.skip.Exception, match="MICROPYTHON CROSS-CHECK NOT RUN"):
        _micropython_or_skip(absent)
    monkeypatch.setenv("NNREF_REQUIRE_MICROPYTHON", "1")
    with pytest.raises(pytest.fail.Exception, match="NNREF_REQUIRE_MICROPYTHON=1"):
        _micropython_or_skip(absent)
