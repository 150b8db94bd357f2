"""The glossary: one Chinese translation per term, the same rows in both languages, and no
Chinese page using a variant the glossary says to avoid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import glossary

ROOT = Path(__file__).resolve().parent.parent
EN = ROOT / "docs" / "glossary.md"
ZH = ROOT / "docs" / "glossary.zh.md"
TERMS = glossary.read_terms(EN)
ZH_PAGES = glossary.zh_pages(ROOT / "docs")


def test_the_glossary_has_at_least_40_terms():
    assert len(TERMS) >= 40


def test_one_english_term_has_one_chinese_translation():
    assert glossary.term_problems(TERMS) == []


def test_the_site_terms_are_in_the_glossary():
    pairs = {(t.english, t.chinese) for t in TERMS}
    for pair in [
        ("neural network", "神经网络"),
        ("bias", "偏置"),
        ("weight", "权重"),
        ("activation function", "激活函数"),
        ("back-propagation", "反向传播"),
        ("forward pass", "前向传播"),
        ("epoch", "轮次"),
        ("batch", "批量"),
    ]:
        assert pair in pairs
    assert "偏差" in next(t.avoid for t in TERMS if t.english == "bias")


def test_the_chinese_glossary_lists_the_same_rows():
    assert glossary.compare(TERMS, glossary.read_terms(ZH)) == []


def test_every_chinese_page_is_scanned():
    names = {p.name for p in ZH_PAGES}
    assert {"glossary.zh.md", "index.zh.md", "training.zh.ipynb"} <= names


@pytest.mark.parametrize("page", ZH_PAGES, ids=[p.name for p in ZH_PAGES])
def test_no_chinese_page_uses_an_avoided_variant(page):
    assert glossary.scan([page], TERMS) == []


MENTION_PAGES = [p for p in ZH_PAGES if p.name != "glossary.zh.md"]


def test_every_term_is_used_on_some_chinese_page():
    # A term that no page uses is either a gap in the teaching or a row to remove.
    text = "\n".join(line for page in MENTION_PAGES for _, line in glossary.text_of(page))
    assert [t.chinese for t in TERMS if t.chinese not in text] == []


@pytest.mark.parametrize("page", MENTION_PAGES, ids=[p.name for p in MENTION_PAGES])
def test_the_first_mention_of_a_term_gives_its_english(page):
    assert glossary.first_mention_problems(page, TERMS) == []


# --- each check fails on a bad input -----------------------------------------------------

ROWS = """\
# T

| Term | 中文 | Avoid | Taught on | Meaning |
| --- | --- | --- | --- | --- |
| bias | 偏置 | `偏差` | [Structure](structure.md) | b |
| weight | 权重 | `权值`、`权数` | [Structure](structure.md) | w |
| layer | 层 | — | [Structure](structure.md) | a `|` stays in code |
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_read_with_their_variants(tmp_path):
    terms = glossary.read_terms(_write(tmp_path, "g.md", ROWS))
    assert [(t.english, t.chinese, t.avoid) for t in terms] == [
        ("bias", "偏置", ("偏差",)),
        ("weight", "权重", ("权值", "权数")),
        ("layer", "层", ()),
    ]
    assert terms[0].where.endswith("g.md:5")


def test_an_avoid_cell_must_be_code_or_a_dash(tmp_path):
    with pytest.raises(ValueError, match=r"g\.md:5"):
        glossary.read_terms(_write(tmp_path, "g.md", ROWS.replace("`偏差`", "偏差")))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("| weight | 权重 |", "| bias | 权重 |"), "English term 'bias' is already used"),
        (("| weight | 权重 |", "| weight | 偏置 |"), "Chinese translation '偏置' is already"),
        (("`权数`", "`层`"), "occurs in the translation '层'"),
    ],
)
def test_duplicates_and_clashes_are_reported(tmp_path, change, message):
    terms = glossary.read_terms(_write(tmp_path, "g.md", ROWS.replace(*change)))
    assert any(message in p for p in glossary.term_problems(terms))


def test_a_changed_chinese_row_is_reported(tmp_path):
    en = glossary.read_terms(_write(tmp_path, "g.md", ROWS))
    zh = glossary.read_terms(_write(tmp_path, "g.zh.md", ROWS.replace("| 权重 |", "| 权值 |")))
    (problem,) = glossary.compare(en, zh)
    assert "g.zh.md:6" in problem


def test_the_scan_names_page_and_line_of_a_bad_page(tmp_path):
    terms = glossary.read_terms(_write(tmp_path, "g.md", ROWS))
    bad = _write(
        tmp_path,
        "bad.zh.md",
        "---\ndescription: 说明\n---\n\n# 标题\n\n"
        "每个神经元都有一个偏差。\n\n"  # line 7: the prose uses the variant
        "行内代码 `偏差` 不算。\n\n"
        "```python\nbias = 0.35  # 偏差\n```\n\n"
        "<!-- invisible-code-block: python\nx = '权值'\n-->\n\n"
        "| 权值 | 表格也要检查 |\n",  # line 19
    )
    problems = glossary.scan([bad], terms)
    assert len(problems) == 2, problems
    assert f"{bad}:7: '偏差'" in problems[0] and "'bias' as '偏置'" in problems[0]
    assert f"{bad}:19: '权值'" in problems[1]


def test_the_scan_reads_the_markdown_cells_of_a_notebook(tmp_path):
    terms = glossary.read_terms(_write(tmp_path, "g.md", ROWS))
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# 训练\n", "\n", "更新权值。"]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["bias = 0.35  # 偏差"],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    bad = _write(tmp_path, "bad.zh.ipynb", json.dumps(notebook, ensure_ascii=False))
    (problem,) = glossary.scan([bad], terms)
    assert f"{bad}: cell 1, line 3: '权值'" in problem


MENTION_ROWS = (
    ROWS
    + """| gradient | 梯度 | — | [Structure](structure.md) | g |
| gradient descent | 梯度下降 | — | [Structure](structure.md) | gd |
"""
)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("每个权重（weight）都有梯度（gradient）。\n\n权重再次出现。\n", []),
        ("每个**权重**（weight）都有偏置（bias）。\n", []),
        ("先有权重，\n再有权重（weight）。\n", ["权重"]),  # the first mention counts
        ("梯度下降（gradient descent）用到梯度。\n", ["梯度"]),  # a longer term hides 梯度
        ("梯度下降（Gradient-Descent，GD）。\n", []),  # case, hyphen, an abbreviation
        ("# 权重\n\n权重（weight）。\n", []),  # headings are excepted
        ('!!! note "预告：权重"\n\n    权重（weight）。\n', []),  # so are admonition titles
        ("见[权重的一页](structure.md)。权重（weight）。\n", []),  # a page link is a title
        ("`权重` 是代码，层也不算。\n", []),  # inline code; a one-character term
        ("偏置（weight）。\n", ["偏置"]),  # the wrong English
    ],
)
def test_the_first_mention_check_bites(tmp_path, text, missing):
    terms = glossary.read_terms(_write(tmp_path, "g.md", MENTION_ROWS))
    page = _write(tmp_path, "p.zh.md", f"---\ndescription: 权重\n---\n\n{text}")
    problems = glossary.first_mention_problems(page, terms)
    assert [p.split("first mention of ")[1].split("'")[1] for p in problems] == missing


def test_the_drifts_of_the_chinese_review_are_caught(tmp_path):
    # Issue 12 found bare "Epoch" and "Batch" in body text, and "PyTorch 版本" for a twin.
    bad = _write(
        tmp_path,
        "drift.zh.md",
        "# 标题\n\n每个 Epoch 结束后打印损失。\n\n一个 Batch 有 32 个样本。\n\n"
        "PyTorch 版本给出同样的梯度。\n",
    )
    problems = glossary.scan([bad], TERMS)
    assert [p.split(": ")[1].split(" ")[0] for p in problems] == [
        "'Epoch'",
        "'Batch'",
        "'PyTorch",
    ], problems


def test_a_page_title_may_keep_its_english_words(tmp_path):
    # The course's page list names the page 梯度下降、Epoch 与 Batch: its H1 and the links
    # that quote it pass; the same words elsewhere on the line do not.
    title = glossary.page_title(ROOT / "docs" / "gradient-descent.zh.md")
    assert title == "梯度下降、Epoch 与 Batch"
    ok = _write(tmp_path, "ok.zh.md", f"# 标题\n\n下一页：[{title}](gradient-descent.md)。\n")
    assert glossary.scan([ok], TERMS) == []
    bad = _write(tmp_path, "bad.zh.md", f"# 标题\n\n[{title}](gradient-descent.md) 讲 Epoch。\n")
    assert len(glossary.scan([bad], TERMS)) == 1
