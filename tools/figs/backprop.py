"""Figures of the back-propagation page.

* ``backprop-deltas``: the worked 2-2-2 network with its forward values (net, out) and, in a
  second colour and line style, the backward pass: each unit's delta, and for a hidden unit
  the two paths back from the output units and their sum.
* ``backprop-error``: the error of the worked network over 10,000 steps for three update rules.

Both have words in them, so both are drawn in English and in Chinese (terms as in
docs/glossary.zh.md).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch

import nnref.numpy as nn_np
from nnref import example

STEPS = 10_000

#: Forward values in Okabe–Ito blue, solid; the backward pass in (darkened) vermillion, dashed.
#: Both keep a contrast of 5:1 on white, and the line styles tell them apart in greyscale.
FORWARD = "#0072B2"
BACKWARD = "#B84A00"
WIRE = "#343a40"
UNIT_COLOURS = {"i": "#dbe4ff", "h": "#d3f9d8", "o": "#ffe3e3", "E": "#f1f3f5"}
RADIUS = 0.42

#: The words of the figures, one dict per language (terms as in docs/glossary.zh.md).
LABELS = {
    "en": {
        "inputs": "inputs",
        "hidden": "hidden layer",
        "outputs": "output layer",
        "error": "error",
        "forward": "forward pass: net, out",
        "backward": "backward pass: ∂E/∂out and δ",
        "both": "weights and biases",
        "weights": "weights only",
        "blog": "weights only, blog's mistake",
        "step": "step",
        "E": r"error $E$",
        "lr": r"learning rate $\eta = 0.5$",
        "relative": r"relative difference of $E$",
        "versus": "blog's mistake vs. weights only",
    },
    "zh": {
        "inputs": "输入层",
        "hidden": "隐藏层",
        "outputs": "输出层",
        "error": "误差",
        "forward": "前向传播：net、out",
        "backward": "反向传播：∂E/∂out 与误差项 δ",
        "both": "权重和偏置都更新",
        "weights": "只更新权重",
        "blog": "只更新权重（博客的错误做法）",
        "step": "步数",
        # No mathtext next to Chinese: mathtext would set the Chinese in its own font, which
        # has no Chinese glyphs, and the browser would show empty boxes.
        "E": "误差 E",
        "lr": "学习率 η = 0.5",
        "relative": "E 的相对差异",
        "versus": "博客的错误做法与只更新权重相比",
    },
}


# --- the network with its forward values and deltas --------------------------------------


def _sig(value: float) -> str:
    """About four significant digits, trailing zeros kept, with a true minus sign."""
    return f"{value:#.4g}".replace("-", "−")


def worked_values() -> dict[str, np.ndarray | float]:
    """Forward values and deltas of the worked network, from `nnref.numpy`'s layers.

    The forward pass runs the layers one at a time, so that the net inputs (the outputs of
    the `Linear` layers) can be read; the backward pass hands each layer
    ∂E/∂(its output), last layer first, as `Sequential.backward` does.
    """
    net = nn_np.worked_network()
    x, t = nn_np.worked_inputs(), nn_np.worked_targets()
    linear1, sigmoid1, linear2, sigmoid2 = net
    net_h = linear1(x)
    out_h = sigmoid1(net_h)
    net_o = linear2(out_h)
    out_o = sigmoid2(net_o)
    dE_dout_o = nn_np.half_squared_error_grad(out_o, t)
    delta_o = sigmoid2.backward(dE_dout_o)
    dE_dout_h = linear2.backward(delta_o)
    delta_h = sigmoid1.backward(dE_dout_h)
    W2 = linear2.weight.data
    return {
        "x": x,
        "t": t,
        "net_h": net_h,
        "out_h": out_h,
        "net_o": net_o,
        "out_o": out_o,
        "E": float(nn_np.half_squared_error(out_o, t)),
        "dE_dout_o": dE_dout_o,
        "delta_o": delta_o,
        # paths[k, j] = w(h_j -> o_k) * delta_o[k]: what reaches h_j back from o_k
        "paths": W2 * delta_o[:, None],
        "dE_dout_h": dE_dout_h,
        "delta_h": delta_h,
        "sigmoid_grad_h": nn_np.sigmoid_grad(net_h),
        "sigmoid_grad_o": nn_np.sigmoid_grad(net_o),
    }


def _towards(a, b, distance: float) -> tuple[float, float]:
    """The point `distance` away from `a` on the segment from `a` to `b`."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = (dx * dx + dy * dy) ** 0.5
    return a[0] + dx * distance / length, a[1] + dy * distance / length


def _shifted(a, b, offset: float):
    """The segment a-b moved `offset` to its left (seen from a towards b)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = (dx * dx + dy * dy) ** 0.5
    nx, ny = -dy / length * offset, dx / length * offset
    return (a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny)


def _at(a, b, t: float, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    return a[0] + t * (b[0] - a[0]) + dx, a[1] + t * (b[1] - a[1]) + dy


def _arrow(ax, start, end, *, backward: bool = False, start_gap=RADIUS, end_gap=RADIUS) -> None:
    ax.add_patch(
        FancyArrowPatch(
            _towards(start, end, start_gap),
            _towards(end, start, end_gap),
            arrowstyle="-|>",
            mutation_scale=12 if backward else 13,
            lw=1.5 if backward else 1.2,
            color=BACKWARD if backward else WIRE,
            linestyle=(0, (4, 2.5)) if backward else "-",
            shrinkA=0,
            shrinkB=0,
            zorder=2,
        )
    )


def _unit(ax, xy, name: str, kind: str) -> None:
    ax.add_patch(Circle(xy, RADIUS, facecolor=UNIT_COLOURS[kind], edgecolor=WIRE, lw=1.4, zorder=3))
    ax.text(*xy, name, ha="center", va="center", fontsize=13, zorder=4)


def _box(ax, xy, text: str, *, backward: bool, va: str = "center", ha: str = "center") -> None:
    colour = BACKWARD if backward else FORWARD
    ax.text(
        *xy,
        text,
        ha=ha,
        va=va,
        fontsize=9.5,
        color=colour,
        linespacing=1.35,
        zorder=5,
        bbox={
            "boxstyle": "round,pad=0.3",
            "facecolor": "white",
            "edgecolor": colour,
            "linestyle": (0, (3, 2)) if backward else "-",
            "lw": 1.0,
        },
    )


def _tag(ax, xy, text: str, colour: str = WIRE, fontsize: float = 9.5, rotation=0.0) -> None:
    """A short label on a wire, on a white ground so that the wire does not cross it."""
    ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=colour,
        rotation=rotation,
        rotation_mode="anchor",
        zorder=6,
        bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none"},
    )


def draw_deltas(fig: Figure, lang: str = "en") -> None:
    """The 2-2-2 network: forward values outside the two rows, the backward pass between."""
    labels = LABELS[lang]
    v = worked_values()
    ax = fig.subplots()
    fig.subplots_adjust(left=0.0, right=1.0, bottom=0.0, top=1.0)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-0.9, 14.9)
    ax.set_ylim(-2.4, 6.3)

    top, bottom = 3.8, 0.0
    xi, xh, xj, xo, xe = 0.0, 3.8, 5.9, 10.4, 13.9
    pos = {
        "i1": (xi, top),
        "i2": (xi, bottom),
        "h1": (xh, top),
        "h2": (xh, bottom),
        "o1": (xo, top),
        "o2": (xo, bottom),
        "E": (xe, (top + bottom) / 2),
    }
    # Where out_h1 (out_h2) splits into its two wires: the backward paths add up here.
    junction = {"h1": (xj, top), "h2": (xj, bottom)}

    for x, key in ((xi, "inputs"), (xh, "hidden"), (xo, "outputs"), (xe, "error")):
        ax.text(x, 5.95, labels[key], ha="center", va="center", fontsize=11, color=WIRE)
    ax.text(xh, 5.5, rf"$b_1 = {example.B1[0]:.2f}$", ha="center", va="center", fontsize=9.5)
    ax.text(xo, 5.5, rf"$b_2 = {example.B2[0]:.2f}$", ha="center", va="center", fontsize=9.5)

    # Input -> hidden: weights as in nnref.example (row j of W1 feeds hidden unit j).
    (w1, w2), (w3, w4) = example.W1
    for source, target, k, value, t in (
        ("i1", "h1", 1, w1, 0.5),
        ("i2", "h1", 2, w2, 0.25),
        ("i1", "h2", 3, w3, 0.25),
        ("i2", "h2", 4, w4, 0.5),
    ):
        _arrow(ax, pos[source], pos[target])
        _tag(ax, _at(pos[source], pos[target], t), rf"$w_{k} = {value:.2f}$")

    # Hidden -> junction -> output: forward wires, and dashed backward paths beside them.
    W2 = np.array(example.W2)
    paths = v["paths"]
    for j, h in enumerate(("h1", "h2")):
        start = junction[h]
        outward = 1.0 if j == 0 else -1.0  # up for the upper row, down for the lower one
        ax.plot([pos[h][0] + RADIUS, start[0]], [start[1]] * 2, color=WIRE, lw=1.2, zorder=2)
        ax.add_patch(Circle(start, 0.07, facecolor=WIRE, edgecolor=WIRE, zorder=3))
        for k, o in enumerate(("o1", "o2")):
            number = 5 + 2 * k + j  # w5, w6 into o1; w7, w8 into o2
            straight = k == j
            _arrow(ax, start, pos[o], start_gap=0.0)
            # The backward path from o_k to the junction, on the outer side of its wire.
            side = 0.16 * outward
            back_end, back_start = _shifted(start, pos[o], side)
            _arrow(ax, back_start, back_end, backward=True, start_gap=RADIUS + 0.02, end_gap=0.2)
            product = rf"$w_{number}\,\delta_{{o_{k + 1}}} = {_sig(paths[k, j])}$"
            if straight:
                _tag(ax, _at(start, pos[o], 0.5, dy=0.45 * outward), product, colour=BACKWARD)
                _tag(ax, _at(start, pos[o], 0.5), rf"$w_{number} = {W2[k, j]:.2f}$")
            else:
                # The weight near the junction; the product where the path leaves o_k,
                # in the free space between the two output units.
                _tag(ax, _at(start, pos[o], 0.3), rf"$w_{number} = {W2[k, j]:.2f}$")
                _tag(ax, (xo + 0.35, pos[o][1] + 1.3 * outward), product, colour=BACKWARD)
        # Sigma at the junction: the two paths add up to dE/dout_h, which goes on to h.
        _tag(ax, (start[0], start[1] + 0.45 * outward), "Σ", colour=BACKWARD, fontsize=12)
        _arrow(
            ax,
            (start[0], start[1] + 0.16 * outward),
            (pos[h][0], start[1] + 0.16 * outward),
            backward=True,
            start_gap=0.15,
        )

    # Output -> error: the targets beside the wires, and the backward paths that start at E.
    for k, o in enumerate(("o1", "o2")):
        _arrow(ax, pos[o], pos["E"])
        # The target beside its wire, beyond the backward path.
        a, b = _shifted(pos[o], pos["E"], 0.48 if k == 0 else -0.48)
        _tag(ax, _at(a, b, 0.45), rf"$t_{k + 1} = {v['t'][k]:.2f}$")
        back_end, back_start = _shifted(pos[o], pos["E"], 0.16 if k == 0 else -0.16)
        _arrow(ax, back_start, back_end, backward=True)

    # Forward values outside the rows: above the upper units, below the lower ones.
    def forward_box(xy, text: str, upper: bool) -> None:
        y = xy[1] + (RADIUS + 0.2 if upper else -RADIUS - 0.2)
        _box(ax, (xy[0], y), text, backward=False, va="bottom" if upper else "top")

    for k, i in enumerate(("i1", "i2")):
        forward_box(pos[i], f"out = {v['x'][k]:.2f}", k == 0)
    for k, h in enumerate(("h1", "h2")):
        forward_box(pos[h], f"net = {_sig(v['net_h'][k])}\nout = {_sig(v['out_h'][k])}", k == 0)
    for k, o in enumerate(("o1", "o2")):
        forward_box(pos[o], f"net = {_sig(v['net_o'][k])}\nout = {_sig(v['out_o'][k])}", k == 0)
    xE, yE = pos["E"]
    _box(ax, (xE, yE + RADIUS + 0.2), f"E = {_sig(v['E'])}", backward=False, va="bottom")

    # The backward values of each unit, between the two rows.
    def backward_box(xy, dE_dout: str, sigma_grad: float, delta: float, upper: bool) -> None:
        y = xy[1] + (-RADIUS - 0.25 if upper else RADIUS + 0.25)
        text = f"∂E/∂out = {dE_dout}\n× σ′(net) = {_sig(sigma_grad)}\nδ = {_sig(delta)}"
        _box(ax, (xy[0], y), text, backward=True, va="top" if upper else "bottom")

    for k, h in enumerate(("h1", "h2")):
        dE_dout = f"Σ = {_sig(v['dE_dout_h'][k])}"
        delta = v["delta_h"][k]
        backward_box((pos[h][0] + 1.15, pos[h][1]), dE_dout, v["sigmoid_grad_h"][k], delta, k == 0)
    for k, o in enumerate(("o1", "o2")):
        # Right of the unit (above o1, below o2), by the backward path that starts at E.
        text = (
            f"∂E/∂out = {_sig(v['dE_dout_o'][k])}\n× σ′(net) = {_sig(v['sigmoid_grad_o'][k])}"
            f"\nδ = {_sig(v['delta_o'][k])}"
        )
        y = pos[o][1] + (0.05 if k == 0 else -0.05)
        _box(ax, (xo + 2.55, y), text, backward=True, va="bottom" if k == 0 else "top")

    for name, xy in pos.items():
        _unit(ax, xy, rf"${name[0]}_{name[1]}$" if len(name) == 2 else "$E$", name[0])

    dashed = (0, (4, 2.5))
    ax.legend(
        handles=[
            # The forward values are in solid blue boxes (the wires themselves are grey).
            Patch(facecolor="white", edgecolor=FORWARD, lw=1.0, label=labels["forward"]),
            Line2D([], [], color=BACKWARD, lw=1.5, linestyle=dashed, label=labels["backward"]),
        ],
        loc="lower left",
        frameon=False,
        fontsize=10,
        ncols=2,
    )


draw_deltas.size = (10.0, 5.5)


# --- the error over 10,000 steps -----------------------------------------------------------


def _errors() -> np.ndarray:
    """E before each step and after the last, shape (3, STEPS + 1), one row per rule.

    The three networks are trained side by side, stacked along a first axis k, as the page
    does: k = 0 updates the weights only, k = 1 the weights only with the hidden deltas taken
    from the already-updated W2 (the blog's first script), k = 2 weights and biases.
    """
    x, t = nn_np.worked_inputs(), nn_np.worked_targets()
    lr = example.LEARNING_RATE
    blog_mistake = np.array([0.0, 1.0, 0.0])[:, None, None]
    update_biases = np.array([0.0, 0.0, 1.0])[:, None]
    w1, w2 = np.stack([np.array(example.W1)] * 3), np.stack([np.array(example.W2)] * 3)
    b1, b2 = np.stack([np.array(example.B1)] * 3), np.stack([np.array(example.B2)] * 3)
    errors = np.empty((3, STEPS + 1))
    for k in range(STEPS + 1):
        out_h = nn_np.sigmoid(w1 @ x + b1)
        out_o = nn_np.sigmoid(np.einsum("kij,kj->ki", w2, out_h) + b2)
        errors[:, k] = 0.5 * np.sum((t - out_o) ** 2, axis=1)
        if k == STEPS:
            break
        delta_o = (out_o - t) * out_o * (1 - out_o)
        dE_dw2 = delta_o[:, :, None] * out_h[:, None, :]
        w2_for_delta_h = w2 - blog_mistake * lr * dE_dw2
        delta_h = np.einsum("kij,ki->kj", w2_for_delta_h, delta_o) * out_h * (1 - out_h)
        w1 = w1 - lr * delta_h[:, :, None] * x
        w2 = w2 - lr * dE_dw2
        b1 = b1 - update_biases * lr * delta_h
        b2 = b2 - update_biases * lr * delta_o
    return errors


def draw_error(fig: Figure, lang: str = "en") -> None:
    labels = LABELS[lang]
    weights, blog, full = _errors()
    steps = np.arange(STEPS + 1)

    left, right = fig.subplots(1, 2)
    # Okabe–Ito colours and three line styles, so that the curves read in greyscale too; the
    # thin dashed curve of the mistake lies on the thick one of the correct weights-only rule.
    left.semilogy(steps, full, label=labels["both"], color=FORWARD, linestyle="-.", lw=1.5)
    left.semilogy(steps, weights, label=labels["weights"], color="#D55E00", lw=3.0)
    left.semilogy(steps, blog, label=labels["blog"], color="black", linestyle="--", lw=1.2)
    left.set_xlabel(labels["step"])
    left.set_ylabel(labels["E"])
    left.set_title(labels["lr"])
    left.legend()

    right.plot(steps, np.abs(blog - weights) / weights, color="black")
    right.set_xlabel(labels["step"])
    right.set_ylabel(labels["relative"])
    right.set_title(labels["versus"])
    right.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    fig.set_layout_engine("tight")  # laid out when saved, with the words of either language


draw_error.size = (8.0, 3.2)

FIGURES = {"backprop-deltas": draw_deltas, "backprop-error": draw_error}
