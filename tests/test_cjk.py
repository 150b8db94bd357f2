"""The CJK line-join extension: a line break between two Chinese characters disappears, a
break next to Latin text stays a space, and code, formulas and block syntax are untouched."""

from __future__ import annotations

import markdown
import pytest

from hooks.cjk import CJKLineJoinExtension, join_cjk_lines


def _html(source: str) -> str:
    return markdown.markdown(source, extensions=[CJKLineJoinExtension(), "fenced_code"])


@pytest.mark.parametrize(
    ("source", "joined"),
    [
        ("每个术语\n只有一个译名。", "每个术语只有一个译名。"),
        ("第一句，\nPython 第二句", "第一句，Python 第二句"),  # full-width punctuation
        ("称为“隐藏”\n所以", "称为“隐藏”所以"),  # curly quotes next to an ideograph
        ("- 列表项，\n  续行", "- 列表项，续行"),  # a list item's continuation
        ("    标签页里，\n    缩进的段落", "    标签页里，缩进的段落"),
    ],
)
def test_cjk_line_breaks_are_joined(source, joined):
    assert join_cjk_lines(source.split("\n")) == [joined]


@pytest.mark.parametrize(
    "source",
    [
        "中文后面\nPython 前面",  # CJK then Latin: the space is wanted
        "English words\nand more",
        "He said “yes”\nand left",  # English curly quotes
        "段落一\n\n段落二",  # a paragraph break
        "# 标题\n正文",  # a heading is a line of its own
        "正文\n- 列表",  # a list starts
        "| 表格 |\n| 下一行 |",
        '!!! note "预告"\n    正文',
        "行尾两个空格强制换行  \n下一行",
        "```text\n代码中的\n换行\n```",
        "$$\n\\text{公式}\n\\text{第二行}\n$$",
        "<!-- 注释\n里的换行 -->",
    ],
)
def test_other_line_breaks_stay(source):
    assert join_cjk_lines(source.split("\n")) == source.split("\n")


def test_the_extension_renders_one_paragraph_without_gaps():
    html = _html(
        "本页列出术语，每个术语\n只有一个译名。下一句\n$x$ 的值。\n\n"
        "```python\nx = 1  # 中\n# 文\n```\n"
    )
    assert "<p>本页列出术语，每个术语只有一个译名。下一句\n$x$ 的值。</p>" in html
    assert "x = 1  # 中\n# 文" in html
