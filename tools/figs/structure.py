"""Figures of the structure page: the worked 2-2-2 network with its weights and biases.

The words in it are the names of the three layers, one dict per language (docs/glossary.zh.md
gives the Chinese terms); the units, weights and biases are symbols and numbers.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from nnref import example

RADIUS = 0.36
#: Light fills behind dark labels; the kind of a unit is also told by its column and its name.
#: The bias units are the grey ones the page refers to.
UNIT_COLOURS = {"i": "#dbe4ff", "h": "#d3f9d8", "o": "#ffe3e3", "b": "#dee2e6"}
#: Weights: solid dark arrows; biases: dashed mid-grey arrows (6:1 on white, so they are not pale).
EDGE, BIAS_EDGE = "#343a40", "#5c636a"
LABELS = {
    "en": {"i": "input layer", "h": "hidden layer", "o": "output layer"},
    "zh": {"i": "输入层", "h": "隐藏层", "o": "输出层"},
}
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}


def _unit(ax, xy: tuple[float, float], name: str, kind: str, radius: float = RADIUS) -> None:
    ax.add_patch(Circle(xy, radius, facecolor=UNIT_COLOURS[kind], edgecolor=EDGE, lw=1.4, zorder=3))
    ax.text(*xy, name, ha="center", va="center", fontsize=13, zorder=4)


def _arrow(ax, start, end, *, dashed: bool = False, shrink: float = RADIUS) -> None:
    """An arrow between the rims of two units (`shrink` is the radius of the source)."""
    ax.add_patch(
        FancyArrowPatch(
            _towards(start, end, shrink),
            _towards(end, start, RADIUS),
            arrowstyle="-|>",
            mutation_scale=13,
            lw=1.2,
            color=BIAS_EDGE if dashed else EDGE,
            linestyle=(0, (4, 3)) if dashed else "-",
            shrinkA=0,
            shrinkB=0,
            zorder=2,
        )
    )


def _towards(a, b, distance: float) -> tuple[float, float]:
    """The point `distance` away from `a` on the segment from `a` to `b`."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = (dx * dx + dy * dy) ** 0.5
    return a[0] + dx * distance / length, a[1] + dy * distance / length


def _label(ax, start, end, t: float, text: str, dy: float = 0.0) -> None:
    x = start[0] + t * (end[0] - start[0])
    y = start[1] + t * (end[1] - start[1]) + dy
    ax.text(x, y, text, ha="center", va="center", fontsize=11, bbox=LABEL_BOX, zorder=5)


def draw_network(fig: Figure, lang: str = "en") -> None:
    """Inputs i1, i2 → hidden h1, h2 → outputs o1, o2, each arrow with its weight, each
    column headed by the name of its layer."""
    labels = LABELS[lang]
    ax = fig.subplots()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-0.6, 7.1)
    ax.set_ylim(-2.05, 3.0)

    pos = {
        "i1": (0.0, 2.0),
        "i2": (0.0, 0.0),
        "h1": (3.2, 2.0),
        "h2": (3.2, 0.0),
        "o1": (6.4, 2.0),
        "o2": (6.4, 0.0),
        "b1": (1.7, -1.5),
        "b2": (4.9, -1.5),
    }
    # Row j of a weight matrix holds the weights into unit j: W1[j][k] joins input k to
    # hidden unit j, W2[j][k] hidden unit k to output j (see nnref.example).
    (w1, w2), (w3, w4) = example.W1
    (w5, w6), (w7, w8) = example.W2
    weights = [
        ("i1", "h1", 1, w1, 0.5, 0.2),
        ("i2", "h1", 2, w2, 0.27, 0.0),
        ("i1", "h2", 3, w3, 0.27, 0.0),
        ("i2", "h2", 4, w4, 0.5, -0.2),
        ("h1", "o1", 5, w5, 0.5, 0.2),
        ("h2", "o1", 6, w6, 0.27, 0.0),
        ("h1", "o2", 7, w7, 0.27, 0.0),
        ("h2", "o2", 8, w8, 0.5, -0.2),
    ]
    for source, target, k, value, t, dy in weights:
        _arrow(ax, pos[source], pos[target])
        _label(ax, pos[source], pos[target], t, rf"$w_{k} = {value:.2f}$", dy)

    bias_radius = 0.26
    for bias, value, targets in (
        ("b1", example.B1[0], ("h1", "h2")),
        ("b2", example.B2[0], ("o1", "o2")),
    ):
        for target in targets:
            _arrow(ax, pos[bias], pos[target], dashed=True, shrink=bias_radius)
        _unit(ax, pos[bias], "1", "b", radius=bias_radius)
        x, y = pos[bias]
        ax.text(x, y - 0.5, rf"$b_{bias[1]} = {value:.2f}$", ha="center", va="center", fontsize=11)

    for name in ("i1", "i2", "h1", "h2", "o1", "o2"):
        _unit(ax, pos[name], rf"${name[0]}_{name[1]}$", name[0])
    for kind in ("i", "h", "o"):
        x, y = pos[f"{kind}1"]
        ax.text(x, y + 0.72, labels[kind], ha="center", va="center", fontsize=11, color=EDGE)


draw_network.size = (6.4, 4.2)

FIGURES = {"network-222": draw_network}
