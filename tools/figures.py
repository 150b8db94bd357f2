"""Generate the site's figures from the nnref package: ``make figures``.

Every module in ``tools/figs/`` exposes ``FIGURES``, a dict from a file name to a function
that draws on a matplotlib ``Figure`` it is given. This script renders each one to
``docs/assets/figures/NAME.svg``. The output is byte-for-byte deterministic (fixed hash
salt, no date, glyphs drawn as paths with the font matplotlib ships), so
``tests/test_figures.py`` can regenerate every figure and fail when a committed one is
stale.

A figure with words in it is drawn once per language: its function takes a keyword ``lang``
(``"en"`` or ``"zh"``) and writes ``NAME.svg`` and ``NAME.zh.svg``; Chinese pages show the
second (``tests/test_figures.py`` checks both that they do and that both variants draw the
same data). A figure whose labels are all symbols (σ(x), w₁) takes no ``lang`` and serves
both languages. Text stays text in the SVG (``svg.fonttype: none``), set in the reader's
own fonts, so no font is embedded; the layout is measured with the DejaVu Sans matplotlib
ships, which makes the output the same on every machine.

    python tools/figures.py            # write every figure
    python tools/figures.py --check    # exit 1 if any committed figure differs
    python tools/figures.py --out DIR  # write them somewhere else
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import inspect
import io
import pkgutil
import re
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402  (the backend must be chosen before pyplot is imported)

matplotlib.use("svg")
from matplotlib.figure import Figure  # noqa: E402  (after matplotlib.use)

OUT = ROOT / "docs" / "assets" / "figures"
STYLE = {
    "svg.hashsalt": "nnref",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.bbox": "standard",
}


LANGUAGES = ("en", "zh")
#: The SVG names the layout font; the reader's browser takes each glyph from the first of
#: these fonts that has it (Chinese text from the system's Chinese font).
FONT_FAMILY = (
    "font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', "
    "'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
)


def speaks(draw: Callable) -> bool:
    """Whether a drawing function has words to translate (a ``lang`` keyword)."""
    return "lang" in inspect.signature(draw).parameters


def registry() -> dict[str, Callable[[Figure], None]]:
    """Every figure by file stem; a figure with words appears as ``NAME`` and ``NAME.zh``."""
    import tools.figs as figs

    found: dict[str, Callable[[Figure], None]] = {}
    for info in sorted(pkgutil.iter_modules(figs.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tools.figs.{info.name}")
        for name, draw in getattr(module, "FIGURES", {}).items():
            variants = (
                {
                    name: functools.partial(draw, lang="en"),
                    f"{name}.zh": functools.partial(draw, lang="zh"),
                }
                if speaks(draw)
                else {name: draw}
            )
            for stem, variant in variants.items():
                if stem in found:
                    raise ValueError(
                        f"figure {stem} is defined twice (in tools/figs/{info.name}.py)"
                    )
                found[stem] = variant
    return found


def _size(draw: Callable) -> tuple[float, float]:
    return getattr(draw, "size", getattr(getattr(draw, "func", None), "size", (6.4, 3.6)))


@contextlib.contextmanager
def _style():
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        # The layout font has no Chinese glyphs; the SVG keeps the text, and the reader's
        # browser draws it in a Chinese font (FONT_FAMILY).
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def drawing(draw: Callable[[Figure], None], size: tuple[float, float] | None = None) -> Figure:
    """The matplotlib figure a drawing function makes, not yet saved."""
    with _style():
        fig = Figure(figsize=size or _size(draw))
        draw(fig)
    return fig


def render(draw: Callable[[Figure], None], size: tuple[float, float] | None = None) -> bytes:
    with _style():
        fig = Figure(figsize=size or _size(draw))
        draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return re.sub(rb"font-family: 'DejaVu Sans'", FONT_FAMILY.encode(), buffer.getvalue())


def data_of(fig: Figure) -> list:
    """What a figure plots, without its words: per axes, the data of its lines, collections,
    patches and images, and its limits and scales. Two language variants must agree."""
    import numpy as np

    found = []
    for ax in fig.axes:
        found.append(
            {
                "lines": [np.asarray(line.get_xydata()).round(12).tolist() for line in ax.lines],
                "collections": [
                    np.asarray(c.get_offsets()).round(12).tolist() for c in ax.collections
                ],
                # In data coordinates: the layout (which the words move) does not count.
                "patches": [
                    p.get_patch_transform().transform(p.get_path().vertices).round(12).tolist()
                    for p in ax.patches
                ],
                "images": [np.asarray(i.get_array()).round(12).tolist() for i in ax.images],
                "limits": [list(ax.get_xlim()), list(ax.get_ylim())],
                "scales": [ax.get_xscale(), ax.get_yscale()],
            }
        )
    return found


def build(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, draw in registry().items():
        data = render(draw)
        (out / f"{name}.svg").write_bytes(data)
        written[f"{name}.svg"] = data
    return written


def drawn() -> dict[str, bytes]:
    """Every figure as ``make figures`` would write it, by file stem."""
    return {name: render(draw) for name, draw in registry().items()}


def stale(out: Path = OUT, figures: Mapping[str, bytes] | None = None) -> list[str]:
    """The figures in ``out`` that differ from (or lack) what is drawn now; ``figures`` is
    what :func:`drawn` returned, when the caller has it already."""
    problems = []
    for name, data in (drawn() if figures is None else figures).items():
        path = out / f"{name}.svg"
        if not path.exists():
            problems.append(f"{path}: missing; run `make figures`")
        elif path.read_bytes() != data:
            problems.append(f"{path}: stale; run `make figures` and commit the result")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.check:
        problems = stale(args.out)
        print("\n".join(problems) or "every figure is up to date")
        return 1 if problems else 0
    for name in build(args.out):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
