"""The committed figures are exactly what `make figures` draws from the package now."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest

from tools import checks, figures

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def drawn():
    # Drawing every figure takes seconds; the two checks below compare with one drawing.
    return MappingProxyType(figures.drawn())


def test_every_committed_figure_is_current(drawn):
    assert figures.registry(), "no figure is defined in tools/figs/"
    assert figures.stale(figures=drawn) == []


def test_drawing_is_deterministic():
    _, draw = sorted(figures.registry().items())[0]
    assert figures.render(draw) == figures.render(draw)


def test_a_stale_or_missing_figure_is_reported(tmp_path, drawn):
    shutil.copytree(figures.OUT, tmp_path, dirs_exist_ok=True)
    victim = sorted(tmp_path.glob("*.svg"))[0]
    victim.write_bytes(victim.read_bytes().replace(b"<svg", b"<svg data-old='1'", 1))
    missing = sorted(tmp_path.glob("*.svg"))[-1]
    missing.unlink()
    problems = figures.stale(tmp_path, drawn)
    assert any(victim.name in p and "stale" in p for p in problems)
    assert any(missing.name in p and "missing" in p for p in problems)


# --- one figure per language ------------------------------------------------------------

FIGURE_SRC = re.compile(r"assets/figures/(?P<stem>[\w.-]+?)\.svg")
CJK = re.compile(r"[\u3400-\u9fff]")


def _figure_references(page: Path) -> list[str]:
    # The images of the page's text (an example inside a code fence is not one).
    return [m.group("stem") for src in checks.load(page).images if (m := FIGURE_SRC.search(src))]


def test_each_page_shows_the_figures_of_its_language():
    stems = set(figures.registry())
    wrong = []
    for page in checks.sources(DOCS):
        chinese = ".zh." in page.name
        for stem in _figure_references(page):
            if stem not in stems:
                wrong.append(f"{page.name}: {stem}.svg is no figure of tools/figs/")
            elif chinese and f"{stem}.zh" in stems:
                wrong.append(f"{page.name}: shows {stem}.svg, but {stem}.zh.svg exists")
            elif not chinese and stem.endswith(".zh"):
                wrong.append(f"{page.name}: an English page shows the Chinese {stem}.svg")
    assert wrong == []


def _variants() -> list[str]:
    return sorted(stem.removesuffix(".zh") for stem in figures.registry() if stem.endswith(".zh"))


@pytest.mark.parametrize("name", _variants())
def test_both_languages_draw_the_same_data(name):
    found = figures.registry()
    en, zh = figures.drawing(found[name]), figures.drawing(found[f"{name}.zh"])
    assert figures.data_of(en) == figures.data_of(zh)


@pytest.mark.parametrize("name", _variants())
def test_the_chinese_variant_is_labelled_in_chinese(drawn, name):
    assert CJK.search(drawn[f"{name}.zh"].decode("utf-8"))
    assert not CJK.search(drawn[name].decode("utf-8"))


def test_text_stays_text_and_no_font_is_embedded(drawn):
    for name, svg in drawn.items():
        text = svg.decode("utf-8")
        # With svg.fonttype "path" matplotlib would define every glyph as a path instead.
        assert "@font-face" not in text and 'id="DejaVuSans-' not in text, name
        # Only the site's font list: a mathtext font such as cmsy10, which readers do not
        # have, would show σ′ as "σ⁰".
        families = set(re.findall(r"font-family: [^;\"]*", text))
        assert families <= {figures.FONT_FAMILY}, f"{name}: {families}"
        # ¤ is mathtext's stand-in for a glyph it lacks: Chinese inside $…$ turns into it.
        assert "\u00a4" not in text, f"{name}: Chinese text inside $…$ comes out as ¤"


def test_the_data_check_bites():
    def plot(fig, lang="en", shift=0.0):
        ax = fig.subplots()
        ax.plot([0, 1, 2], [1.0, 2.0 + shift, 3.0])
        ax.bar([0, 1], [1.0, 2.0])
        ax.set_xlabel("epoch" if lang == "en" else "轮次")

    same = figures.data_of(figures.drawing(lambda f: plot(f, "en")))
    assert same == figures.data_of(figures.drawing(lambda f: plot(f, "zh")))
    assert same != figures.data_of(figures.drawing(lambda f: plot(f, "zh", shift=0.5)))
