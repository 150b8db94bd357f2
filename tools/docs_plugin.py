"""pytest plugin: run every ```python block of the docs and compare it with its ```output.

Loaded by the root ``conftest.py``. Each page is one sybil document: its blocks run in page
order in one namespace, so a later block sees what an earlier one defined.

* A ```python fence followed (only blank lines between) by an ```output fence must print
  exactly that output (trailing whitespace aside). A block that prints nothing has no
  output fence; a block that prints something must have one.
* A block whose code starts with ``>>>`` runs as a doctest.
* ``<!-- invisible-code-block: python ... -->`` runs setup the reader need not see.
* ``<!-- skip: next "reason" -->`` skips the next block; pytest lists it with the reason.
* Fences that name Python but are not exactly ``python`` fail the page's structure check.

``pytest --update-outputs`` rewrites every output fence from what the code now prints
(``make update-outputs``). ``--docs-dir`` points the plugin at another docs folder (the
tests use it on scratch copies).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import unittest
from dataclasses import dataclass
from pathlib import Path

import pytest
from sybil import Region, Sybil
from sybil.parsers.rest import DocTestParser

from tools import mdpage

_EDITS_KEY = pytest.StashKey[dict]()


@dataclass
class _Check:
    page: mdpage.Page
    block: mdpage.Block | None
    config: pytest.Config


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nnref docs")
    group.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite every ```output fence from what its ```python block prints now",
    )
    group.addoption(
        "--page",
        default=None,
        metavar="SLUG",
        help="keep only the tests of one page pair (docs/SLUG.md and its translation): "
        "its code, outputs, parity, glossary, order and trailer (`make check PAGE=SLUG`)",
    )
    group.addoption(
        "--docs-dir",
        default=None,
        help="folder of Markdown pages to verify (default: <rootdir>/docs)",
    )


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def _run(code: str, namespace: dict, filename: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, filename, "exec"), namespace)
    return buffer.getvalue()


def _run_doctest(check: _Check, namespace: dict) -> str | None:
    block = check.block
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.code, namespace, str(check.page.path), str(check.page.path), 0)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=out.write, clear_globs=False)
    if runner.failures:
        return f"{check.page.where(block.lineno)}: doctest failed\n{out.getvalue()}"
    return None


def _structure(example) -> str | None:
    check: _Check = example.region.parsed
    problems = check.page.errors + mdpage.escaped_fences(check.page)
    return "\n".join(problems) or None


def _evaluate(example) -> str | None:
    check: _Check = example.region.parsed
    page, block = check.page, check.block
    if block.skip_reason is not None:
        raise unittest.SkipTest(f"{page.where(block.lineno)}: {block.skip_reason}")
    if block.code.lstrip().startswith(">>>"):
        return _run_doctest(check, example.namespace)
    printed = _run(block.code, example.namespace, f"{page.path}:{block.lineno}")
    if block.invisible:
        if printed:
            return f"{page.where(block.lineno)}: an invisible block must print nothing"
        return None
    got = mdpage.normalise_output(printed)
    shown = mdpage.normalise_output(block.output.text) if block.output else None
    if got == (shown or ""):
        return None
    if check.config.getoption("update_outputs"):
        _record_update(check, got)
        return None
    if shown is None:
        return (
            f"{page.where(block.lineno)}: the block prints output but the page shows none; "
            f"add an ```output fence below it (or run `make update-outputs`):\n{got}"
        )
    return _diff_message(page, block, shown, got)


def _diff_message(page: mdpage.Page, block: mdpage.Block, shown: str, got: str) -> str:
    shown_lines, got_lines = shown.split("\n"), got.split("\n")
    first = next(
        (
            k
            for k in range(max(len(shown_lines), len(got_lines)))
            if k >= len(shown_lines) or k >= len(got_lines) or shown_lines[k] != got_lines[k]
        ),
        0,
    )
    line = block.output.start + 2 + first if block.output else block.lineno
    page_says = shown_lines[first] if first < len(shown_lines) else "<nothing>"
    code_says = got_lines[first] if first < len(got_lines) else "<nothing>"
    return (
        f"{page.where(line)}: the output shown on the page differs from what the block at "
        f"line {block.lineno} prints\n"
        f"  page shows: {page_says}\n"
        f"  code prints: {code_says}\n"
        "Run `make update-outputs` if the change is intended.\n"
        f"--- whole output now ---\n{got}"
    )


def _record_update(check: _Check, got: str) -> None:
    block = check.block
    edits = check.config.stash.setdefault(_EDITS_KEY, {})
    indent = block.code_fence.indent
    body = [indent + line if line else "" for line in got.split("\n")] if got else []
    if block.output is not None:
        fence = block.output
        if got:
            edits.setdefault(check.page.path, []).append((fence.start + 1, fence.end, body))
        else:
            # Printing nothing means no output fence at all; drop it and the blank line before.
            start = fence.start
            while start > 0 and not check.page.lines[start - 1].strip():
                start -= 1
            start = max(start, block.code_fence.end + 1)
            edits.setdefault(check.page.path, []).append((start, fence.end + 1, []))
    else:
        fence = block.code_fence
        new = ["", f"{indent}```output", *body, f"{indent}```"]
        edits.setdefault(check.page.path, []).append((fence.end + 1, fence.end + 1, new))


def _parse_page(document, config: pytest.Config):
    page = mdpage.parse(Path(document.path), document.text)
    offsets = _line_offsets(document.text)
    yield Region(0, 0, _Check(page, None, config), _structure)
    for block in page.blocks:
        end_line = block.lineno
        if block.code_fence is not None:
            end_line = (block.output or block.code_fence).end
        start = offsets[block.lineno - 1]
        end = offsets[min(end_line + 1, len(offsets) - 1)] - 1
        yield Region(max(start, 1), max(end, start + 1), _Check(page, block, config), _evaluate)


def pytest_configure(config: pytest.Config) -> None:
    docs = Path(config.getoption("docs_dir") or Path(config.rootpath, "docs")).resolve()
    package = Path(config.rootpath, "nnref")
    config._nnref_sybils = [
        Sybil(
            parsers=[lambda document: _parse_page(document, config)],
            patterns=["*.md"],
            path=str(docs),
            name="docs",
        ),
        Sybil(
            parsers=[DocTestParser(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)],
            patterns=["*.py"],
            path=str(package),
            name="docstrings",
        ),
    ]


def pytest_collect_file(file_path: Path, parent):
    sybils = getattr(parent.config, "_nnref_sybils", [])
    for sybil in sybils:
        if sybil.should_parse(file_path):
            return sybil.pytest()(file_path, parent)
    return None


def _page_names(slug: str) -> tuple[str, ...]:
    return tuple(f"{slug}{lang}{ext}" for lang in ("", ".zh") for ext in (".md", ".ipynb"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slug = config.getoption("page")
    if not slug:
        return
    names = _page_names(slug)
    if not any(Path(config.rootpath, "docs", name).is_file() for name in names):
        raise pytest.UsageError(f"--page {slug}: no docs/{slug}.md or docs/{slug}.ipynb")

    def concerns_the_page(item: pytest.Item) -> bool:
        # A page's own blocks (docs/SLUG.md::line:…) or a rule parametrised by the page
        # (test_…[SLUG.md]).
        file_name = Path(str(item.path)).name
        param = item.nodeid.rpartition("[")[2].rstrip("]") if "[" in item.nodeid else ""
        return file_name in names or param in names

    keep = [item for item in items if concerns_the_page(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def pytest_sessionfinish(session: pytest.Session) -> None:
    edits = session.config.stash.get(_EDITS_KEY, {})
    for path, changes in edits.items():
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        for start, end, new in sorted(changes, reverse=True):
            lines[start:end] = new
        Path(path).write_text("\n".join(lines), encoding="utf-8")
    if edits:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"updated outputs in {len(edits)} page(s): "
                + ", ".join(sorted(str(p) for p in edits))
            )
