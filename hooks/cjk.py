"""A Python-Markdown extension that joins a line break between two CJK characters.

Browsers render a source newline inside a paragraph as a space. Between two Chinese
characters that space is a visible gap ("， 用自己的"): Chinese text has no spaces between
words. The extension removes the line break wherever the line before it ends with a CJK
character or punctuation mark and the line after it starts with one (after its
indentation), or wherever either side is full-width punctuation; a break between Chinese and
Latin text stays a space, as Chinese typesetting wants it. Fenced code, indented code kept
in fences, HTML comments and display formulas are left exactly as written.

The extension is engine-neutral: it is a plain ``markdown.Extension``. MkDocs loads it
through this file's ``on_config`` hook only because ``markdown_extensions`` cannot name a
module outside the installed packages.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

#: CJK ideographs (with extension A and compatibility ideographs) and kana; then the
#: full-width punctuation of the CJK Symbols and Half-width/Full-width Forms blocks.
_IDEOGRAPH = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
#: Marks that English uses too (—, …, curly quotes): CJK only when they touch an ideograph.
_SHARED = "\u2014\u2026\u201c\u201d\u2018\u2019"
#: One CJK character or full-width punctuation mark (the tests of the built site use it too).
CJK = f"[{_IDEOGRAPH}{_PUNCTUATION}]"
ENDS_CJK = re.compile(f"(?:{CJK}|[{_IDEOGRAPH}][{_SHARED}]+)$")
STARTS_CJK = re.compile(f"^[ \t]*(?:{CJK}|[{_SHARED}]+[{_IDEOGRAPH}])")
ENDS_PUNCT = re.compile(f"[{_PUNCTUATION}]$")
STARTS_PUNCT = re.compile(f"^[ \t]*[{_PUNCTUATION}]")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
#: Lines that start a block of their own: a list item, a heading, a table row, a quote, an
#: admonition or tab, an HTML tag, a formula fence. They are never joined to the line above.
BLOCK_START = re.compile(r"^[ \t]*([-*+] |\d+\. |#|\||>|!!!|\?\?\?|===|<|\$\$)")
#: Lines that end a block of their own: nothing is joined to a heading, table row,
#: admonition or tab title, HTML line or formula fence.
BLOCK_LINE = re.compile(r"^[ \t]*(#|\||!!!|\?\?\?|===|<|\$\$)")


def _joins(previous: str, line: str) -> bool:
    if not previous.strip() or not line.strip() or previous.endswith("  "):
        return False  # a paragraph break, or Markdown's explicit line break
    if BLOCK_START.match(line) or BLOCK_LINE.match(previous):
        return False
    both_cjk = ENDS_CJK.search(previous) and STARTS_CJK.match(line)
    return bool(both_cjk or ENDS_PUNCT.search(previous) or STARTS_PUNCT.match(line))


def join_cjk_lines(lines: list[str]) -> list[str]:
    """The lines of a Markdown source with every CJK line break inside a paragraph joined."""
    out: list[str] = []
    fence: str | None = None
    in_comment = in_formula = False
    for line in lines:
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            out.append(line)
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            out.append(line)
            continue
        if stripped == "$$":
            in_formula = not in_formula
            out.append(line)
            continue
        if not in_formula and out and _joins(out[-1], line):
            out[-1] += line.lstrip(" \t")
            continue
        out.append(line)
    return out


class _JoinCJK(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return join_cjk_lines(lines)


class CJKLineJoinExtension(Extension):
    """Register the preprocessor ahead of the fenced-code preprocessors."""

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_JoinCJK(md), "nnref_cjk_join", 40)


def makeExtension(**kwargs) -> CJKLineJoinExtension:
    return CJKLineJoinExtension(**kwargs)


def on_config(config, **kwargs):
    config.markdown_extensions.append(CJKLineJoinExtension())
    return config
