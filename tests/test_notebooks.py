"""The notebooks in docs/ run without error and still print what they show.

Each notebook is executed from top to bottom in a fresh ``python3`` kernel, with docs/ as
its working directory. Any error fails the test, and so does any text output that differs
from the output committed in the notebook: printed streams (stdout and stderr) and the
plain-text form of results and displays. Images are left out of the comparison; they are
drawn from the numbers that the printed lines show.

To refresh the committed outputs after changing a notebook::

    .venv/bin/python -m tests.test_notebooks docs/training.ipynb docs/training.zh.ipynb
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode
from traitlets.config import Config

from hooks.notebooks import figures

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTEBOOKS = sorted(DOCS.glob("*.ipynb"))
CELL_TIMEOUT_S = 300
REFRESH = "python -m tests.test_notebooks"


def execute(nb: NotebookNode, cwd: Path) -> NotebookNode:
    """Run every cell of a copy of `nb` in a fresh kernel; raise on the first error."""
    run = copy.deepcopy(nb)
    config = Config()
    # Encrypt the kernel's sockets (the kernelspec declares CurveZMQ support); without
    # keys, ipykernel logs a warning about plain-text TCP at every start.
    config.KernelManager.transport_encryption = "auto"
    NotebookClient(
        run,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        record_timing=False,
        coalesce_streams=True,
        resources={"metadata": {"path": str(cwd)}},
        config=config,
    ).execute()
    return run


def text_outputs(nb: NotebookNode) -> list[list[tuple[str, str]]]:
    """The text outputs of each code cell as ``(kind, text)`` pairs; images left out.

    Consecutive chunks of one stream are joined: how a kernel splits a stream into
    messages depends on timing, not on what was printed.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs: list[tuple[str, str]] = []
        for out in cell.outputs:
            if out.output_type == "stream":
                if outputs and outputs[-1][0] == out.name:
                    outputs[-1] = (out.name, outputs[-1][1] + out.text)
                    continue
                outputs.append((out.name, out.text))
            elif out.output_type == "error":
                outputs.append(("error", f"{out.ename}: {out.evalue}"))
            elif "text/plain" in out.get("data", {}):
                outputs.append((out.output_type, out.data["text/plain"]))
        cells.append(outputs)
    return cells


def stale_outputs(committed: NotebookNode, fresh: NotebookNode, name: str) -> list[str]:
    """Name each code cell whose committed text outputs differ from a fresh run's."""
    problems = []
    pairs = zip(text_outputs(committed), text_outputs(fresh), strict=True)
    for number, (old, new) in enumerate(pairs, start=1):
        if old != new:
            problems.append(
                f"{name}: code cell {number} printed {new!r}, but the notebook shows {old!r}; "
                f"refresh it with `{REFRESH} {name}`"
            )
    return problems


def check(path: Path) -> list[str]:
    """Execute the notebook at `path` and list its stale outputs (errors raise)."""
    committed = nbformat.read(path, as_version=4)
    return stale_outputs(committed, execute(committed, path.parent), path.name)


def unexecuted_cells(nb: NotebookNode) -> list[str]:
    """Code cells that were not run in one pass from the top, or that show an error."""
    problems = []
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code, start=1):
        if cell.execution_count != number:
            problems.append(f"code cell {number} has execution count {cell.execution_count}")
        for out in cell.outputs:
            if out.output_type == "error" or out.get("name") == "stderr":
                problems.append(f"code cell {number} shows {out.output_type} output")
    return problems


# --- the notebooks of the site --------------------------------------------------------------


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebook in {DOCS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebook_was_executed_cleanly(path):
    assert unexecuted_cells(nbformat.read(path, as_version=4)) == []


# Each notebook takes about 10 s: the root conftest.py lets the two run on two workers.
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_and_prints_its_committed_outputs(path):
    assert check(path) == []


# --- the figures speak the notebook's language ---------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff]")


def _figures(path: Path) -> list[tuple[str, str]]:
    """(alt text, SVG) of every figure a notebook draws: what hooks/notebooks.py reads."""
    return [(alt or "", "".join(data.get("image/svg+xml", ""))) for alt, data in figures(path)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_figure_is_svg_with_alt_text_in_the_notebooks_language(path):
    figures = _figures(path)
    assert figures, f"{path.name} draws no figure"
    chinese = ".zh." in path.name
    for k, (alt, svg) in enumerate(figures, 1):
        assert svg, f"{path.name}: figure {k} is no SVG (text would be pixels, not text)"
        # A sentence that says what the figure shows (Chinese needs fewer characters).
        assert len(alt) > (15 if chinese else 40), f"{path.name}: figure {k}: alt text {alt!r}"
        assert bool(CJK.search(alt)) is chinese, f"{path.name}: figure {k}: {alt!r}"
        assert "@font-face" not in svg, f"{path.name}: figure {k} embeds a font"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if ".zh." in p.name])
def test_the_chinese_notebook_labels_its_figures_in_chinese(path):
    english = path.with_name(path.name.replace(".zh.", "."))
    zh_words = [bool(CJK.search(svg)) for _, svg in _figures(path)]
    en_words = [bool(CJK.search(svg)) for _, svg in _figures(english)]
    assert not any(en_words)
    # Every figure with words (all but the first, whose titles are digits) is in Chinese.
    assert zh_words == [False] + [True] * (len(zh_words) - 1)


# --- the check fails on a bad notebook --------------------------------------------------------


def _notebook(tmp_path: Path, *cells: tuple[str, list[NotebookNode]]) -> Path:
    nb = nbformat.v4.new_notebook()
    for number, (source, outputs) in enumerate(cells, start=1):
        nb.cells.append(nbformat.v4.new_code_cell(source, execution_count=number, outputs=outputs))
    path = tmp_path / "synthetic.ipynb"
    nbformat.write(nb, path)
    return path


def _stream(text: str) -> NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _result(text: str, count: int) -> NotebookNode:
    return nbformat.v4.new_output("execute_result", {"text/plain": text}, execution_count=count)


def test_an_altered_committed_output_is_reported(tmp_path):
    cells = [
        ("for k in range(3):\n    print(k * 7)", [_stream("0\n"), _stream("7\n14\n")]),
        ("6 * 7", [_result("42", 2)]),
    ]
    assert check(_notebook(tmp_path, *cells)) == []

    cells[0] = (cells[0][0], [_stream("0\n7\n15\n")])
    (problem,) = check(_notebook(tmp_path, *cells))
    assert "synthetic.ipynb: code cell 1 printed" in problem
    assert "'0\\n7\\n14\\n'" in problem and "'0\\n7\\n15\\n'" in problem


def test_an_error_in_a_cell_fails(tmp_path):
    path = _notebook(tmp_path, ("print(1 / 0)", []))
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        check(path)


def test_an_unexecuted_or_failing_notebook_is_reported():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_code_cell("print(x)"),
        nbformat.v4.new_code_cell(
            "1 / 0",
            execution_count=3,
            outputs=[nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="")],
        ),
    ]
    assert unexecuted_cells(nb) == [
        "code cell 2 has execution count None",
        "code cell 3 shows error output",
    ]


# --- refreshing the committed outputs -------------------------------------------------------


def refresh(path: Path) -> None:
    """Execute the notebook at `path` and write it back with its new outputs."""
    nb = execute(nbformat.read(path, as_version=4), path.parent)
    # The kernel reports its exact Python version; keep it out of the committed file.
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        refresh(Path(arg).resolve())
        print(f"executed {arg}")
