"""The footer stamp names the environment whose checks passed, and only that one."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
from importlib import metadata
from pathlib import Path

import pytest

from hooks import stamp

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tree(tmp_path):
    # A scratch copy of what the fingerprint covers, so that records never touch the repo.
    for name in stamp.INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.svg"))
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_the_environment_is_read_from_the_running_interpreter():
    env = stamp.environment()
    assert env["python"] == platform.python_version()
    assert env["numpy"] == metadata.version("numpy")
    assert env["torch"] == metadata.version("torch")


def test_a_record_of_this_environment_and_these_files_gives_the_stamp(tree):
    entry = stamp.record(tree, today=dt.date(2026, 12, 2))
    assert stamp.verified(tree) == entry
    env = stamp.environment()
    text = stamp.stamp("en", stamp.verified(tree))
    assert text == (
        f"Verified with Python {env['python']}, NumPy {env['numpy']} and PyTorch "
        f"{env['torch']} on 2026-12-02: every Python block printed the output shown."
    )
    assert f"Python {env['python']}、NumPy {env['numpy']}" in stamp.stamp("zh", entry)


def test_another_environment_or_changed_files_void_the_record(tree):
    stamp.record(tree)
    path = tree / stamp.RECORD
    entry = json.loads(path.read_text())
    path.write_text(json.dumps({**entry, "numpy": "0.0.1"}))
    assert stamp.verified(tree) is None
    path.write_text(json.dumps(entry))
    assert stamp.verified(tree) == entry
    page = tree / "docs" / "loss.md"
    page.write_text(page.read_text() + "\n")  # a page changed after its checks passed
    assert stamp.verified(tree) is None
    assert "the checks were not run for this build" in stamp.stamp("en", None)
    assert "但未运行检查" in stamp.stamp("zh", None)


def test_without_a_record_nothing_claims_verification(tmp_path):
    assert stamp.verified(tmp_path) is None


def test_every_built_page_carries_a_stamp_in_its_language(built_site):
    from tests.conftest import NOT_FOUND, html_pages

    env = stamp.environment()
    for page in html_pages(built_site):
        rel = page.relative_to(built_site)
        if rel.parts[0] == "assets" or rel.as_posix() in NOT_FOUND:  # no page of the docs
            continue
        text = page.read_text("utf-8")
        assert text.count('class="nnref-stamp"') == 1, page
        assert f"Python {env['python']}" in text, page
        zh = page.relative_to(built_site).parts[0] == "zh"
        assert ("本站于" in text or "本次构建" in text) is zh, page
