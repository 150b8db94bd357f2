"""The implementation exercises of the site, graded by `nnref.gradcheck.check_layer`: the
solution printed on the page passes, and seeded wrong answers built on it fail on the line
that names what is wrong. The classes are read from the pages themselves, so a solution
that changes on the site is the one tested here."""

from __future__ import annotations

import ast
import contextlib
import io
from pathlib import Path

import numpy as np
import pytest

import nnref.numpy as nn_np
from nnref.gradcheck import check_layer
from tools import checks, mdpage

DOCS = Path(__file__).resolve().parent.parent / "docs"


def page_class(page: Path, name: str) -> tuple[type, str]:
    """The class ``name`` defined in a code block of ``page``, and its source."""
    for block in mdpage.parse(page).blocks:
        tree = ast.parse(block.code)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                source = ast.get_source_segment(block.code, node)
                namespace = {
                    "np": np,
                    "nn_np": nn_np,
                    "Module": nn_np.Module,
                    "Parameter": nn_np.Parameter,
                }
                exec(compile(source, f"{page}:{block.lineno}", "exec"), namespace)
                return namespace[name], source
    raise LookupError(f"{page} defines no class {name}")


def _grade(layer, x) -> tuple[bool, str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        verdict = check_layer(layer, x)
    return verdict, printed.getvalue()


def _verdicts(text: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[-1] for line in text.splitlines()}


EXERCISES = [("backprop.md", "MyLinear"), ("vanishing-gradients.md", "LeakyReLU")]


@pytest.mark.parametrize(("page", "name"), EXERCISES)
def test_both_languages_show_the_same_solution(page, name):
    en = DOCS / page
    _, english = page_class(en, name)
    _, chinese = page_class(checks.twin_of(en), name)
    assert checks.code_without_comments(english) == checks.code_without_comments(chinese)


def _my_linear():
    MyLinear, _ = page_class(DOCS / "backprop.md", "MyLinear")

    class SignFlip(MyLinear):
        def backward(self, grad_output):
            dE_dx = super().backward(grad_output)
            self.weight.grad = -self.weight.grad
            return dE_dx

    class ForgetsTheBias(MyLinear):
        def backward(self, grad_output):
            dE_dx = super().backward(grad_output)
            self.bias.grad = np.zeros_like(self.bias.grad)
            return dE_dx

    class TransposedWeightGradient(MyLinear):
        def backward(self, grad_output):
            dE_dx = super().backward(grad_output)
            self.weight.grad = self.weight.grad.T.copy()
            return dE_dx

    class BiasSummedOnTheWrongAxis(MyLinear):
        def backward(self, grad_output):
            dE_dx = super().backward(grad_output)
            self.bias.grad = np.asarray(grad_output).sum(axis=1)
            return dE_dx

    class ForgetsTheWeights(MyLinear):
        def backward(self, grad_output):
            super().backward(grad_output)
            return np.asarray(grad_output).copy()  # dE/dx without the W

    return MyLinear, [
        (SignFlip, "weight"),
        (ForgetsTheBias, "bias"),
        (TransposedWeightGradient, "weight"),
        (BiasSummedOnTheWrongAxis, "bias"),
        (ForgetsTheWeights, "input"),
    ]


def test_my_linear_solution_passes_and_wrong_answers_fail():
    MyLinear, wrong = _my_linear()
    # Square shapes: a transposed or wrong-axis gradient still has the right shape.
    x = np.random.default_rng(3).normal(size=(3, 3))
    verdict, printed = _grade(MyLinear(3, 3), x)
    assert verdict, printed
    assert set(_verdicts(printed).values()) == {"PASS"}
    for Wrong, name in wrong:
        verdict, printed = _grade(Wrong(3, 3), x)
        assert not verdict, f"{Wrong.__name__} passed:\n{printed}"
        assert _verdicts(printed)[name] == "FAIL", f"{Wrong.__name__}:\n{printed}"


def _leaky_relu():
    LeakyReLU, _ = page_class(DOCS / "vanishing-gradients.md", "LeakyReLU")

    class SignFlip(LeakyReLU):
        def backward(self, grad_output):
            return -super().backward(grad_output)

    class ForgetsTheSlope(LeakyReLU):
        def forward(self, x):
            self.seen = np.asarray(x, dtype=np.float64)
            return super().forward(x)

        def backward(self, grad_output):
            return super().backward(grad_output) * (self.seen > 0)  # 0 for negatives

    class UsesTheOutput(LeakyReLU):
        def forward(self, x):
            self.out = super().forward(x)
            return self.out

        def backward(self, grad_output):
            return np.asarray(grad_output) * self.out  # the output, not the slope

    return LeakyReLU, [SignFlip, ForgetsTheSlope, UsesTheOutput]


def test_leaky_relu_solution_passes_and_wrong_answers_fail():
    LeakyReLU, wrong = _leaky_relu()
    # Points well away from the kink at 0, where a central difference would average the
    # two slopes.
    x = np.array([[-2.0, -0.5, 0.3, 1.5], [0.7, -1.2, 2.0, -0.1]])
    verdict, printed = _grade(LeakyReLU(), x)
    assert verdict and _verdicts(printed) == {"input": "PASS"}, printed
    for Wrong in wrong:
        verdict, printed = _grade(Wrong(), x)
        assert not verdict and _verdicts(printed) == {"input": "FAIL"}, Wrong.__name__
