"""Generate the site's figures from the nnref package: ``make figures``.

Every module in ``tools/figs/`` exposes ``FIGURES``, a dict from a file name to a function
that draws on a matplotlib ``Figure`` it is given. This script renders each one to
``docs/assets/figures/NAME.svg``. The output is byte-for-byte deterministic (fixed hash
salt, no date, glyphs drawn as paths with the font matplotlib ships), so
``tests/test_figures.py`` can regenerate every figure and fail when a committed one is
stale. Labels are language-neutral (σ(x), x, w₁ …) or, in legends, English words that the
pages explain: one figure serves both languages.

    python tools/figures.py            # write every figure
    python tools/figures.py --check    # exit 1 if any committed figure differs
    python tools/figures.py --out DIR  # write them somewhere else
"""

from __future__ import annotations

import argparse
import importlib
import io
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402  (the backend must be chosen before pyplot is imported)

matplotlib.use("svg")
from matplotlib.figure import Figure  # noqa: E402  (after matplotlib.use)

OUT = ROOT / "docs" / "assets" / "figures"
STYLE = {
    "svg.hashsalt": "nnref",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.bbox": "standard",
}


def registry() -> dict[str, Callable[[Figure], None]]:
    import tools.figs as figs

    found: dict[str, Callable[[Figure], None]] = {}
    for info in sorted(pkgutil.iter_modules(figs.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tools.figs.{info.name}")
        for name, draw in getattr(module, "FIGURES", {}).items():
            if name in found:
                raise ValueError(f"figure {name} is defined twice (in tools/figs/{info.name}.py)")
            found[name] = draw
    return found


def render(draw: Callable[[Figure], None], size: tuple[float, float] = (6.4, 3.6)) -> bytes:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=size)
        draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def build(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, draw in registry().items():
        size = getattr(draw, "size", (6.4, 3.6))
        data = render(draw, size)
        (out / f"{name}.svg").write_bytes(data)
        written[f"{name}.svg"] = data
    return written


def stale(out: Path = OUT) -> list[str]:
    problems = []
    for name, draw in registry().items():
        path = out / f"{name}.svg"
        data = render(draw, getattr(draw, "size", (6.4, 3.6)))
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
