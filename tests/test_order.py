"""Teaching order: a page of the learning path never uses a term a later page teaches, unless
it sits in a note titled as a preview. Each check is also shown biting on a bad page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import checks, glossary, order

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PATH_PAGES = [p for p in checks.sources(DOCS) if order.page_of(p) in order.learning_path()]


def test_the_learning_path_is_the_briefs_order():
    assert order.learning_path() == [
        "structure",
        "activations",
        "loss",
        "gradient-descent",
        "chain-rule",
        "backprop",
        "vanishing-gradients",
        "pytorch-example",
        "training",
    ]


def test_every_term_is_taught_on_a_page_of_the_path():
    terms = glossary.read_terms(DOCS / "glossary.md")
    assert order.order_problems([], terms, order.learning_path()) == []


@pytest.mark.parametrize("page", PATH_PAGES, ids=[p.name for p in PATH_PAGES])
def test_no_page_uses_a_term_before_the_path_teaches_it(page):
    terms = glossary.read_terms(DOCS / "glossary.md")
    assert order.order_problems([page], terms, order.learning_path()) == []


# --- the guard bites --------------------------------------------------------------------

GLOSSARY = """\
# G

| Term | 中文 | Avoid | Taught on | Meaning |
| --- | --- | --- | --- | --- |
| gradient | 梯度 | — | [Early](early.md) | g |
| vanishing gradient | 梯度消失 | — | [Early](early.md) | v |
| back-propagation | 反向传播 | — | [Late](late.md) | b |
| delta | 误差项 | — | [Late](late.md) | d |
"""
PATH = ["early", "late"]


def _terms(tmp_path: Path) -> list[glossary.Term]:
    (tmp_path / "g.md").write_text(GLOSSARY, encoding="utf-8")
    return glossary.read_terms(tmp_path / "g.md")


def _problems(tmp_path: Path, name: str, text: str) -> list[str]:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return order.order_problems([page], _terms(tmp_path), PATH)


def test_a_later_term_used_early_fails(tmp_path):
    (problem,) = _problems(tmp_path, "early.md", "# E\n\nThen Back-Propagation runs.\n")
    assert "early.md:3" in problem and "'back-propagation'" in problem and "'late'" in problem


@pytest.mark.parametrize(
    "text",
    [
        "Errors flow backwards by backpropagation.\n",  # no hyphen
        "The back propagation pass.\n",  # a space
        "$$\nx = \\delta_1\n$$\n",  # notation in a display formula
        "Each $δ$ is local.\n",  # notation inline
        "```python\nx = 1  # run back-propagation here\n```\n",  # a code comment
        "| a | back-propagation |\n| --- | --- |\n",  # a table
        '!!! note "Why"\n\n    Back-propagation again.\n',  # an admonition, not a preview
    ],
)
def test_every_kind_of_use_is_found(tmp_path, text):
    assert len(_problems(tmp_path, "early.md", f"# E\n\n{text}")) == 1


@pytest.mark.parametrize(
    "text",
    [
        '!!! note "Preview: what comes later"\n\n    Back-propagation uses each $\\delta$.\n',
        '??? note "Preview"\n    Back-propagation.\n',
        "Read [back-propagation](late.md) next.\n",  # link text to the page that teaches it
        "```python\nbackprop = 1\ndelta = 2\n```\n",  # code itself is not prose
        "Inline `back-propagation` is code.\n",
        "A vanishing gradient and a gradient.\n",  # taught here
    ],
)
def test_previews_links_and_code_are_allowed(tmp_path, text):
    assert _problems(tmp_path, "early.md", f"# E\n\n{text}") == []


def test_the_preview_ends_with_its_indentation(tmp_path):
    text = '# E\n\n!!! note "Preview"\n\n    Back-propagation.\n\nBack-propagation.\n'
    (problem,) = _problems(tmp_path, "early.md", text)
    assert "early.md:7" in problem


def test_a_link_to_another_page_does_not_excuse_the_term(tmp_path):
    assert len(_problems(tmp_path, "early.md", "# E\n\nSee [back-propagation](x.md).\n")) == 1


def test_a_longer_term_hides_the_shorter_one_inside_it(tmp_path):
    (tmp_path / "g.md").write_text(
        GLOSSARY.replace("| [Early](early.md) | g |", "| [Late](late.md) | g |"), encoding="utf-8"
    )
    page = tmp_path / "early.md"
    page.write_text("# E\n\nA vanishing gradient.\n", encoding="utf-8")
    assert order.order_problems([page], glossary.read_terms(tmp_path / "g.md"), PATH) == []
    page.write_text("# E\n\nA gradient.\n", encoding="utf-8")
    assert len(order.order_problems([page], glossary.read_terms(tmp_path / "g.md"), PATH)) == 1


def test_chinese_pages_are_searched_for_the_chinese_term(tmp_path):
    (problem,) = _problems(tmp_path, "early.zh.md", "# 早\n\n接着运行反向传播。\n")
    assert "early.zh.md:3" in problem
    assert (
        _problems(tmp_path, "early.zh.md", '# 早\n\n!!! note "预告：后面"\n\n    反向传播。\n')
        == []
    )


def test_the_page_that_teaches_a_term_and_later_pages_may_use_it(tmp_path):
    assert _problems(tmp_path, "late.md", "# L\n\nBack-propagation and a gradient.\n") == []


def test_notebook_cells_and_code_comments_are_searched(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# E\n", "\n", "Back-propagation."]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["x = 1  # the delta of unit 1"],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    problems = _problems(tmp_path, "early.ipynb", json.dumps(notebook))
    assert len(problems) == 2
    assert "cell 1, line 3" in problems[0] and "cell 2, line 1" in problems[1]


def test_a_term_taught_off_the_path_is_reported(tmp_path):
    (tmp_path / "g.md").write_text(
        GLOSSARY.replace("[Late](late.md) | d", "[Nowhere](nowhere.md) | d"), encoding="utf-8"
    )
    (problem,) = order.order_problems([], glossary.read_terms(tmp_path / "g.md"), PATH)
    assert "'delta' is taught on 'nowhere'" in problem


def test_a_glossary_row_without_its_page_is_rejected(tmp_path):
    bad = GLOSSARY.replace("| [Early](early.md) | g |", "| early | g |")
    (tmp_path / "g.md").write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match="fourth cell must link the page"):
        glossary.read_terms(tmp_path / "g.md")


def test_a_notation_matches_only_as_written(tmp_path):
    assert _problems(tmp_path, "early.md", "# E\n\nA small change $\\Delta x$.\n") == []


def test_a_link_address_is_not_prose(tmp_path):
    assert _problems(tmp_path, "early.md", "# E\n\nSee [this](back-propagation.md).\n") == []
