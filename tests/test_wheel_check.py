"""The cheap half of tools/wheel_check.py (`make test-wheel`): the pages it runs, what it
copies, what it pins and how it judges a wheel. The slow run itself is not done here."""

from __future__ import annotations

import ast
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tools import mdpage, wheel_check

ROOT = Path(__file__).resolve().parent.parent


def _imports(code: str) -> set[str]:
    """The modules a piece of code imports (``a.b`` for ``import a.b``/``from a.b import``)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module)
    return found


def _page_imports(page: str) -> set[str]:
    blocks = mdpage.parse(ROOT / page).blocks
    assert blocks, page
    # A doctest block (>>>) is not plain Python; the two pages have none.
    assert not any(b.code.lstrip().startswith(">>>") for b in blocks), page
    return set().union(*(_imports(b.code) for b in blocks))


@pytest.mark.parametrize("page", wheel_check.PAGES)
def test_a_page_needs_only_what_the_fresh_venv_has(page):
    # The venv holds nnref[torch] (numpy, torch) and pytest/sybil, nothing else.
    tops = {name.split(".")[0] for name in _page_imports(page)}
    assert tops - {"nnref", "numpy", "torch"} <= sys.stdlib_module_names, (page, tops)


def test_the_pages_run_both_twins():
    numpy_page, torch_page = wheel_check.PAGES
    assert "nnref.numpy" in _page_imports(numpy_page)
    torch_imports = _page_imports(torch_page)
    assert {"nnref.torch", "torch"} <= torch_imports
    assert not any(name.startswith("nnref.numpy") for name in torch_imports)


def test_the_runner_files_are_all_the_docs_plugin_needs_from_the_checkout():
    copied = set(wheel_check.RUNNER_FILES)
    assert all((ROOT / name).is_file() for name in copied)
    for name in copied:
        for module in _imports((ROOT / name).read_text(encoding="utf-8")):
            if module == "tools" or module.startswith("tools."):
                path = "tools/__init__.py" if module == "tools" else module.replace(".", "/")
                assert path in copied or f"{path}.py" in copied, (name, module)
    # `from tools import mdpage` names the module in the alias, not in `module`.
    plugin = ast.parse((ROOT / "tools" / "docs_plugin.py").read_text(encoding="utf-8"))
    for node in ast.walk(plugin):
        if isinstance(node, ast.ImportFrom) and node.module == "tools":
            assert {f"tools/{a.name}.py" for a in node.names} <= copied


def test_the_build_frontend_is_the_one_the_release_workflow_pins():
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert f'"{wheel_check.BUILD_REQUIREMENT}"' in release


def test_torch_and_numpy_are_pinned():
    assert re.fullmatch(r"\d+\.\d+\.\d+", wheel_check.pinned("torch"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", wheel_check.pinned("numpy"))


def _wheel(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "nnref-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return path


GOOD_WHEEL = [
    "nnref/__init__.py",
    "nnref/py.typed",
    "nnref/numpy/__init__.py",
    "nnref/torch/__init__.py",
    "nnref-0.1.0.dist-info/METADATA",
]


def test_a_good_wheel_passes(tmp_path):
    assert wheel_check.wheel_problems(_wheel(tmp_path, GOOD_WHEEL)) == []


def test_a_wheel_with_tools_or_without_a_twin_fails(tmp_path):
    names = [n for n in GOOD_WHEEL if not n.startswith("nnref/torch/")] + ["tools/checks.py"]
    assert wheel_check.wheel_problems(_wheel(tmp_path, names)) == [
        "nnref-0.1.0-py3-none-any.whl: unexpected tools/",
        "nnref-0.1.0-py3-none-any.whl: nnref/torch/__init__.py is missing",
    ]


def test_an_sdist_with_junk_fails(tmp_path):
    path = tmp_path / "nnref-0.1.0.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name in ("nnref/__init__.py", "PKG-INFO", "node_modules/x.js", "tests/test_a.py"):
            info = tarfile.TarInfo(f"nnref-0.1.0/{name}")
            archive.addfile(info, io.BytesIO(b""))
    assert wheel_check.sdist_problems(path) == [
        "nnref-0.1.0.tar.gz: holds node_modules/",
        "nnref-0.1.0.tar.gz: holds tests/",
    ]
