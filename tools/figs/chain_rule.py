"""Figure of the chain-rule page: y = σ(w·x + b) as a circuit of elementary gates.

The gates are those of the page's Exercise 1 (×, +, −, exp, +1, 1/·). Each wire carries its
forward value above it (upright, blue) and, below it, the gradient ∂y/∂(that value) that
flows back to it (italic, vermilion, behind a ← arrow); under each gate stands its local
derivative. The numbers are computed here from the page's own w, x and b (read from
docs/chain-rule.md), so the figure goes stale when the page changes them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from nnref.numpy import sigmoid, sigmoid_grad

PAGE = Path(__file__).resolve().parents[2] / "docs" / "chain-rule.md"
ASSIGNMENT = re.compile(r"^\s*w, x, b = (?P<values>[^#\n]+)", re.M)

#: Okabe–Ito blue and vermilion, darkened to a contrast of at least 5:1 on white.
FORWARD = "#0b5ea8"
GRADIENT = "#b8400a"
WIRE = "#495057"
RADIUS = 0.22
SIZE = (9.0, 3.0)
LABELS = {
    "en": {
        "forward": "forward value, above the wire",
        "gradient": "gradient ∂y/∂u flowing back, below the wire",
        "local": "local derivative, under the gate",
    },
    "zh": {
        "forward": "前向值，标在连线上方",
        "gradient": "回传的梯度 ∂y/∂u，标在连线下方",
        "local": "局部导数，标在门的下方",
    },
}


def page_values(page: Path = PAGE) -> tuple[float, float, float]:
    """The (w, x, b) that every code block of the page assigns; they must agree."""
    found = {
        ast.literal_eval(m.group("values").strip())
        for m in ASSIGNMENT.finditer(page.read_text("utf-8"))
    }
    if len(found) != 1:
        raise ValueError(f"{page}: expected one `w, x, b = ...` value, found {sorted(found)}")
    w, x, b = (float(v) for v in found.pop())
    return w, x, b


def circuit(w: float, x: float, b: float) -> dict[str, dict[str, float]]:
    """Forward values, local derivatives and gradients ∂y/∂(value) of every wire."""
    u = w * x
    z = u + b
    n = -z
    e = float(np.exp(n))
    d = 1.0 + e
    y = 1.0 / d
    local = {"d": -1.0 / d**2, "e": 1.0, "n": e, "z": -1.0, "u": 1.0, "b": 1.0, "w": x, "x": w}
    grad = {"y": 1.0}
    grad["d"] = grad["y"] * local["d"]
    grad["e"] = grad["d"] * local["e"]
    grad["n"] = grad["e"] * local["n"]
    grad["z"] = grad["n"] * local["z"]
    grad["u"] = grad["z"] * local["u"]
    grad["b"] = grad["z"] * local["b"]
    grad["w"] = grad["u"] * local["w"]
    grad["x"] = grad["u"] * local["x"]
    # The four gates from z to y are the sigmoid: the package must agree.
    if not (
        np.isclose(y, sigmoid(z), rtol=0, atol=1e-15)
        and np.isclose(grad["z"], sigmoid_grad(z), rtol=0, atol=1e-15)
    ):
        raise ValueError("the gates from z to y disagree with nnref's sigmoid")
    value = {"w": w, "x": x, "b": b, "u": u, "z": z, "n": n, "e": e, "d": d, "y": y}
    return {"value": value, "local": local, "grad": grad}


def _num(v: float) -> str:
    """Three decimals, or fewer when they are exact (0.75, 1); a true minus sign."""
    text = f"{v:.3f}"
    if abs(float(text) - v) < 1e-12:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _wire(ax, points) -> None:
    """A wire through `points`, with an arrow head on its last segment."""
    xs, ys = zip(*points[:-1], strict=True)
    ax.plot(xs, ys, color=WIRE, lw=1.4, zorder=1, solid_capstyle="butt")
    ax.add_patch(
        FancyArrowPatch(
            points[-2],
            points[-1],
            arrowstyle="-|>",
            mutation_scale=12,
            lw=1.4,
            color=WIRE,
            shrinkA=0,
            shrinkB=0,
            zorder=1,
        )
    )


def _rim(centre, towards, radius: float = RADIUS) -> tuple[float, float]:
    """The point of a gate's rim that faces `towards`."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    length = (dx * dx + dy * dy) ** 0.5
    return centre[0] + dx * radius / length, centre[1] + dy * radius / length


def _forward(ax, x: float, y: float, text: str, **kw) -> None:
    ax.text(x, y, text, color=FORWARD, fontsize=10, **kw)


def _gradient(ax, x: float, y: float, text: str, **kw) -> None:
    ax.text(x, y, text, color=GRADIENT, fontsize=10, fontstyle="italic", **kw)


def _local(ax, x: float, y: float, text: str, **kw) -> None:
    ax.text(x, y, text, color=GRADIENT, fontsize=9, linespacing=1.3, **kw)


def _labels(ax, x: float, y: float, name: str, value: float, grad: float) -> None:
    """Forward value above a wire, the gradient flowing back below it."""
    _forward(ax, x, y + 0.08, f"{name} = {_num(value)}", ha="center", va="bottom")
    _gradient(ax, x, y - 0.08, f"← {_num(grad)}", ha="center", va="top")


def draw_circuit(fig: Figure, lang: str = "en") -> None:
    words = LABELS[lang]
    c = circuit(*page_values())
    value, local, grad = c["value"], c["local"], c["grad"]

    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 9.0)
    ax.set_ylim(0.3, 3.3)
    ax.set_aspect("equal")

    main = 1.45
    gates = {
        "mul": ((1.4, 2.3), "×"),
        "add": ((2.8, main), "+"),
        "neg": ((4.07, main), "−"),
        "exp": ((5.34, main), "exp"),
        "one": ((6.61, main), "+1"),
        "rec": ((7.88, main), "1/·"),
    }
    at = {k: xy for k, (xy, _) in gates.items()}
    start = 0.08

    # The inputs run level where their labels sit, then turn into their gate.
    for name, gate, knee in (
        ("w", "mul", (0.85, 2.8)),
        ("x", "mul", (0.85, 1.8)),
        ("b", "add", (1.9, 0.7)),
    ):
        _wire(ax, [(start, knee[1]), knee, _rim(at[gate], knee)])
        _labels(ax, (start + knee[0]) / 2, knee[1], name, value[name], grad[name])

    # u leaves the multiply gate level, then turns down into the add gate.
    knee = (2.4, at["mul"][1])
    _wire(ax, [_rim(at["mul"], knee), knee, _rim(at["add"], knee)])
    _labels(ax, (at["mul"][0] + RADIUS + knee[0]) / 2, knee[1], "u", value["u"], grad["u"])

    # The chain z → n → e → d → y along the main line.
    order = ["add", "neg", "exp", "one", "rec"]
    for a, b, name in zip(order, order[1:], "zned", strict=False):
        left, right = _rim(at[a], at[b]), _rim(at[b], at[a])
        _wire(ax, [left, right])
        _labels(ax, (left[0] + right[0]) / 2, main, name, value[name], grad[name])
    end = (8.93, main)
    left = _rim(at["rec"], end)
    _wire(ax, [left, end])
    _labels(ax, (left[0] + end[0]) / 2 - 0.03, main, "y", value["y"], grad["y"])

    for xy, symbol in gates.values():
        ax.add_patch(Circle(xy, RADIUS, facecolor="white", edgecolor="#212529", lw=1.4, zorder=3))
        size = 12 if len(symbol) == 1 else 9.5
        ax.text(*xy, symbol, ha="center", va="center", fontsize=size, zorder=4)

    # Under each gate, its local derivative(s).
    notes = {
        "mul": f"∂u/∂w = x = {_num(local['w'])}\n∂u/∂x = w = {_num(local['x'])}",
        "add": f"∂z/∂u = {_num(local['u'])}\n∂z/∂b = {_num(local['b'])}",
        "neg": f"∂n/∂z\n= {_num(local['z'])}",
        "exp": f"∂e/∂n = exp(n)\n= e = {_num(local['n'])}",
        "one": f"∂d/∂e\n= {_num(local['e'])}",
        "rec": f"∂y/∂d = −1/d²\n= {_num(local['d'])}",
    }
    for gate, text in notes.items():
        x, y = at[gate]
        _local(ax, x, y - RADIUS - 0.3, text, ha="center", va="top")

    # The legend: a sample of each kind of label, then what it is.
    sample, words_at = 5.2, 5.75
    for y, kind, draw, text in (
        (3.08, "forward", _forward, f"u = {_num(value['u'])}"),
        (2.78, "gradient", _gradient, f"← {_num(grad['u'])}"),
        (2.48, "local", _local, f"∂z/∂u = {_num(local['u'])}"),
    ):
        draw(ax, sample, y, text, ha="center", va="center")
        ax.text(words_at, y, words[kind], ha="left", va="center", fontsize=9, color="#343a40")


draw_circuit.size = SIZE

FIGURES = {"chain-rule-circuit": draw_circuit}
