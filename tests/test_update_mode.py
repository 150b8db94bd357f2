"""The update mode: a changed digit fails, naming page and line, and one command repairs it.

Each test runs pytest with the docs plugin in a subprocess on a scratch copy of a page,
so the real pages are never rewritten.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs_rules import GOOD
from tools import mdpage

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tools.docs_plugin",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            "-q",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )


def _mutate_first_output_digit(text: str) -> tuple[str, int]:
    page = mdpage.parse(Path("x.md"), text)
    fence = next(b.output for b in page.blocks if b.output and re.search(r"\d", b.output.text))
    lines = text.split("\n")
    for n in range(fence.start + 1, fence.end):
        if re.search(r"\d", lines[n]):
            digit = re.search(r"\d", lines[n])
            new = str((int(digit.group(0)) + 1) % 10)
            lines[n] = lines[n][: digit.start()] + new + lines[n][digit.end() :]
            return "\n".join(lines), n + 1
    raise AssertionError("no digit in the output fence")


# A real page takes 7 to 9 s (its blocks run twice): those two run under `make test-slow`.
@pytest.mark.parametrize(
    "name",
    [
        "synthetic.md",
        pytest.param("backprop.md", marks=pytest.mark.slow),
        pytest.param("backprop.zh.md", marks=pytest.mark.slow),
    ],
)
def test_a_changed_digit_fails_and_update_mode_repairs_it(tmp_path, name):
    if name == "synthetic.md":
        original = GOOD
    elif (DOCS / name).exists():
        original = (DOCS / name).read_text(encoding="utf-8")
    else:
        pytest.fail(f"{name} is missing")
    scratch = tmp_path / "docs"
    scratch.mkdir()
    assets = DOCS / "assets"
    if assets.is_dir():
        shutil.copytree(assets, scratch / "assets")
    page = scratch / name
    broken, line = _mutate_first_output_digit(original)
    page.write_text(broken, encoding="utf-8")

    # -x: the changed digit is in the page's first output, so nothing after it needs to run.
    failed = _pytest(str(page), "--docs-dir", str(scratch), "-x")
    assert failed.returncode == 1, failed.stdout
    assert f"{page}:{line}: the output shown on the page differs" in failed.stdout

    repaired = _pytest(str(page), "--docs-dir", str(scratch), "--update-outputs")
    assert repaired.returncode == 0, repaired.stdout
    # The repaired page is the committed one, which the docs checks run and pass.
    assert page.read_text(encoding="utf-8") == original


def test_update_mode_adds_a_missing_output_fence(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# T\n\n```python\nprint(6 * 7)\n```\n", encoding="utf-8")
    assert _pytest(str(page), "--docs-dir", str(tmp_path)).returncode == 1
    assert _pytest(str(page), "--docs-dir", str(tmp_path), "--update-outputs").returncode == 0
    assert page.read_text(encoding="utf-8") == (
        "# T\n\n```python\nprint(6 * 7)\n```\n\n```output\n42\n```\n"
    )
