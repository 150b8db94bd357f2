"""Fixtures shared by the tests of the built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per test session with ``mkdocs build --strict``.

    The build's log must be free of warnings; the fixture fails the first test that asks
    for it otherwise, showing the log.
    """
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0 or "WARNING" in log:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{log}")
    return site


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
