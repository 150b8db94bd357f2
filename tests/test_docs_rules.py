"""The rules of the docs, checked over the whole site, and each shown failing on a bad page.

Running the code of every page is sybil's job (``tools/docs_plugin.py``); these tests
check what sybil cannot: fences that would escape it, English/Chinese parity, numbers in
prose, translations that went stale, and the update mode's round trip.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools import checks, mdpage

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [p for p in checks.sources(DOCS) if ".zh." not in p.name]
MD_PAGES = [p for p in checks.sources(DOCS) if p.suffix == ".md"]


def _ids(paths):
    return [p.name for p in paths]


def test_every_page_has_a_twin():
    assert checks.missing_twins(DOCS) == []


@pytest.mark.parametrize("page", MD_PAGES, ids=_ids(MD_PAGES))
def test_no_python_fence_escapes_collection(page):
    parsed = mdpage.parse(page)
    assert mdpage.escaped_fences(parsed) == []
    assert parsed.errors == []


@pytest.mark.parametrize("en", PAGES, ids=_ids(PAGES))
def test_english_and_chinese_twins_correspond(en):
    zh = checks.twin_of(en)
    assert checks.parity_problems(checks.load(en), checks.load(zh)) == []


@pytest.mark.parametrize("page", checks.sources(DOCS), ids=_ids(checks.sources(DOCS)))
def test_numbers_in_prose_are_printed_on_the_page(page):
    assert checks.prose_number_problems(checks.load(page)) == []


def test_translations_are_reviewed_against_the_current_english():
    assert checks.stale_translations(DOCS) == [], "run `make translations` to list them"


@pytest.mark.parametrize("en", PAGES, ids=_ids(PAGES))
def test_the_translation_is_reviewed(en):
    stale = [p for p in checks.stale_translations(DOCS) if checks.twin_of(en).name in p]
    assert stale == [], "run `make translations` to see what changed"


# --- each rule fails on a bad page ---------------------------------------------------------

GOOD = """\
# Title

Prose quotes 0.2984 and the formula below.

$$
E = \\tfrac12 (t - o)^2
$$

=== "NumPy"

    ```python
    x = 0.29837110876
    print(round(x, 6))
    ```

    ```output
    0.298371
    ```
"""


def _page(tmp_path: Path, name: str, text: str) -> mdpage.Page:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return mdpage.parse(path)


@pytest.mark.parametrize(
    "fence", ["```py", '```python title="x.py"', "```pycon", "```{.python}", "~~~python3"]
)
def test_escaping_fences_are_reported(tmp_path, fence):
    close = "~~~" if fence.startswith("~") else "```"
    page = _page(tmp_path, "bad.md", f"# T\n\n{fence}\nprint(1)\n{close}\n")
    (problem,) = mdpage.escaped_fences(page)
    assert "bad.md:3" in problem and "not executed" in problem


def test_a_fence_shown_inside_a_longer_fence_is_text(tmp_path):
    page = _page(tmp_path, "ok.md", "# T\n\n````markdown\n```py\nx\n```\n````\n")
    assert mdpage.escaped_fences(page) == []


def test_output_fence_without_code_is_an_error(tmp_path):
    page = _page(tmp_path, "bad.md", "# T\n\ntext\n\n```output\n1\n```\n")
    assert any("does not follow a python fence" in e for e in page.errors)


def test_skip_needs_a_reason(tmp_path):
    page = _page(tmp_path, "bad.md", '# T\n\n<!-- skip: next "" -->\n```python\nx\n```\n')
    assert any("needs a reason" in e for e in page.errors)


def test_parity_holds_for_translated_comments(tmp_path):
    en = _page(tmp_path, "p.md", GOOD)
    zh = _page(
        tmp_path,
        "p.zh.md",
        GOOD.replace("# Title", "# 标题")
        .replace("Prose quotes", "正文引用")
        .replace("round(x, 6))", "round(x, 6))  # 保留六位"),
    )
    assert checks.parity_problems(en, zh) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("round(x, 6)", "round(x, 5)"), "code block 1 differs"),
        (("    0.298371\n", "    0.298371 \n"), "output of block 1 differs"),
        (("# Title\n", "# Title\n\n## Extra\n"), "headings do not correspond"),
        (("(t - o)^2", "(o - t)^2"), "display formulas differ"),
        (('=== "NumPy"', '=== "numpy"'), "content tabs differ"),
        (("Prose quotes", "![fig](a.svg) Prose quotes"), "images differ"),
    ],
)
def test_parity_failures_name_the_problem(tmp_path, change, message):
    en = _page(tmp_path, "p.md", GOOD)
    zh = _page(tmp_path, "p.zh.md", GOOD.replace(*change))
    problems = checks.parity_problems(en, zh)
    assert any(message in p and "p.md / p.zh.md" in p for p in problems), problems


def test_prose_numbers_must_be_printed(tmp_path):
    assert checks.prose_number_problems(_page(tmp_path, "ok.md", GOOD)) == []
    bad = _page(tmp_path, "bad.md", GOOD.replace("quotes 0.2984", "quotes 0.2985"))
    (problem,) = checks.prose_number_problems(bad)
    assert "bad.md:3" in problem and "0.2985" in problem


def _translated_pair(tmp_path: Path) -> tuple[Path, list[str]]:
    """docs/p.md and its translation p.zh.md, and the translations tool pointed at them."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "p.md").write_text(GOOD, encoding="utf-8")
    (docs / "p.zh.md").write_text(GOOD.replace("# Title", "# 标题"), encoding="utf-8")
    return docs, [sys.executable, str(ROOT / "tools" / "translations.py"), "--docs", str(docs)]


def test_stale_translation_is_detected_and_recorded(tmp_path):
    docs, tool = _translated_pair(tmp_path)
    assert subprocess.run(tool, capture_output=True).returncode == 1
    subprocess.run([*tool, "--reviewed", str(docs / "p.zh.md")], check=True, capture_output=True)
    assert checks.stale_translations(docs) == []
    # An output change alone is not a new text to translate...
    (docs / "p.md").write_text(GOOD.replace("    0.298371\n", "    0.298372\n"), encoding="utf-8")
    assert checks.stale_translations(docs) == []
    # ...but a change of prose is.
    (docs / "p.md").write_text(GOOD.replace("Prose", "Text"), encoding="utf-8")
    (problem,) = checks.stale_translations(docs)
    assert "p.zh.md" in problem and "review" in problem


def test_the_site_checks_many_outputs():
    # A floor, so that a broken collector (or a mass deletion) cannot pass as "all green".
    english = [p for p in checks.sources(DOCS) if ".zh." not in p.name]
    checked = sum(1 for p in english for b in checks.load(p).blocks if b.output is not None)
    assert checked >= 60, f"only {checked} checked outputs in the English pages"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_the_translators_report_names_the_changed_blocks(tmp_path):
    docs, tool = _translated_pair(tmp_path)
    subprocess.run([*tool, "--reviewed", str(docs / "p.zh.md")], check=True, capture_output=True)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "reviewed")
    changed = GOOD.replace("Prose quotes", "The prose quotes").replace("round(x, 6)", "x")
    (docs / "p.md").write_text(changed + "\n## New part\n", encoding="utf-8")
    result = subprocess.run(tool, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    report = result.stdout
    assert "p.zh.md: translates" in report
    assert "changed paragraph (p.md line 3):" in report
    assert "    - Prose quotes 0.2984 and the formula below." in report
    assert "    + The prose quotes 0.2984 and the formula below." in report
    assert "changed code" in report and "+     print(x)" in report
    assert "added heading" in report and "+ ## New part" in report
    # The unchanged formula and heading are not shown.
    assert "E = " not in report and "# Title" not in report


def test_the_translators_report_without_the_reviewed_version(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "p.md").write_text(GOOD, encoding="utf-8")
    (docs / "p.zh.md").write_text("---\ntranslation_of: 0123456789abcdef\n---\n", encoding="utf-8")
    tool = [sys.executable, str(ROOT / "tools" / "translations.py"), "--docs", str(docs)]
    result = subprocess.run(tool, capture_output=True, text=True, cwd=tmp_path)
    assert "not in git history: compare the whole page" in result.stdout


LABELLED = '# T\n\n```python\nLABELS = {"epoch": "epoch"}\nprint(len(LABELS))\n```\n'


@pytest.mark.parametrize(
    ("zh_code", "passes"),
    [
        ('LABELS = {"epoch": "轮次"}', True),  # the words of a figure may be translated
        ('LABELS = {"epoche": "轮次"}', False),  # its keys may not
        ('LABELS = {"epoch": "轮" + "次"}', False),  # nor anything but plain string values
        ('WORDS = {"epoch": "轮次"}', False),  # only the dict named LABELS
    ],
)
def test_only_the_values_of_labels_may_be_translated(tmp_path, zh_code, passes):
    en = _page(tmp_path, "p.md", LABELLED)
    zh = _page(tmp_path, "p.zh.md", LABELLED.replace('LABELS = {"epoch": "epoch"}', zh_code))
    assert (checks.parity_problems(en, zh) == []) is passes


def test_masking_keeps_magics_and_multibyte_offsets():
    code = '%config X = 1\nLABELS = {\n    "a": "真实的数字",\n    "b": "b",\n}\nx = "kept"\n'
    assert checks.mask_labels(code) == (
        '%config X = 1\nLABELS = {\n    "a": "…",\n    "b": "…",\n}\nx = "kept"\n'
    )
