"""The committed figures are exactly what `make figures` draws from the package now."""

from __future__ import annotations

import shutil

from tools import figures


def test_every_committed_figure_is_current():
    assert figures.registry(), "no figure is defined in tools/figs/"
    assert figures.stale() == []


def test_drawing_is_deterministic():
    _, draw = sorted(figures.registry().items())[0]
    assert figures.render(draw) == figures.render(draw)


def test_a_stale_or_missing_figure_is_reported(tmp_path):
    shutil.copytree(figures.OUT, tmp_path, dirs_exist_ok=True)
    victim = sorted(tmp_path.glob("*.svg"))[0]
    victim.write_bytes(victim.read_bytes().replace(b"<svg", b"<svg data-old='1'", 1))
    missing = sorted(tmp_path.glob("*.svg"))[-1]
    missing.unlink()
    problems = figures.stale(tmp_path)
    assert any(victim.name in p and "stale" in p for p in problems)
    assert any(missing.name in p and "missing" in p for p in problems)
