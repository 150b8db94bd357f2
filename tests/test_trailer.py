"""Every content page, in both languages, ends with Summary, Check yourself and Further
reading; every exercise has a collapsed solution whose code the docs tests execute."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import trailer

PAGES = trailer.content_pages()


def test_every_page_of_the_path_is_checked_in_both_languages():
    names = {p.name for p in PAGES}
    assert {"structure.md", "structure.zh.md", "training.ipynb", "training.zh.ipynb"} <= names
    assert len(PAGES) == 2 * len({p.name.replace(".zh.", ".") for p in PAGES})


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_page_ends_with_its_trailer(page):
    assert trailer.trailer_problems(page) == []


# --- the check bites --------------------------------------------------------------------

GOOD = """\
# P

## Summary {#summary}

- one
- two
- three

## Check yourself {#exercises}

**Exercise 1.** Do a.

??? success "Solution"

    ```python
    print(1)
    ```

    ```output
    1
    ```

**Exercise 2.** Do b.

??? success "Solution"

    ```python
    print(2)
    ```

    ```output
    2
    ```

**Exercise 3.** Do c.

??? success "Solution"

    ```python
    print(3)
    ```

    ```output
    3
    ```

## Further reading {#further-reading}

- [One](https://example.org/one)
- [Two](loss.md)
"""


def _check(tmp_path: Path, text: str, name: str = "p.md") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return trailer.trailer_problems(path)


def test_a_good_trailer_passes(tmp_path):
    assert _check(tmp_path, GOOD) == []


def test_a_chinese_trailer_uses_chinese_titles(tmp_path):
    zh = (
        GOOD.replace("Summary", "小结")
        .replace("Check yourself", "练一练")
        .replace("Further reading", "延伸阅读")
        .replace('"Solution"', '"参考答案"')
    )
    for n in (1, 2, 3):
        zh = zh.replace(f"**Exercise {n}.** ", f"**练习 {n}：**")
    assert _check(tmp_path, zh, "p.zh.md") == []
    assert "last level-2 headings" in _check(tmp_path, GOOD, "p.zh.md")[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("## Further reading {#further-reading}", "## Reading {#reading}"), "last level-2"),
        (("- three\n", ""), "2 bullets"),
        (("**Exercise 3.** Do c.", "Do c."), "2 exercises"),
        (("**Exercise 2.**", "**Exercise 4.**"), "numbered [1, 4, 3]"),
        (
            (
                '??? success "Solution"\n\n    ```python\n    print(2)',
                "    ```python\n    print(2)",
            ),
            "has no",
        ),
        (("    ```output\n    3\n    ```\n", ""), "needs an executed python block"),
        (("- [Two](loss.md)\n", ""), "at least two links"),
        (
            (
                GOOD[GOOD.index("## Check") :],
                "## Other {#other}\n\n" + GOOD[GOOD.index("## Check") :],
            ),
            "last level-2",
        ),
    ],
)
def test_each_rule_bites(tmp_path, change, message):
    problems = _check(tmp_path, GOOD.replace(*change))
    assert any(message in p for p in problems), problems


def test_a_skipped_solution_does_not_count(tmp_path):
    text = GOOD.replace(
        "    ```python\n    print(1)", '    <!-- skip: next "slow" -->\n    ```python\n    print(1)'
    )
    assert any("needs an executed" in p for p in _check(tmp_path, text))
