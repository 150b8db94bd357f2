"""MkDocs hook: the search index holds the prose, not the code blocks.

Material's search worker downloads the whole index as soon as a page loads. Every code
block appears in it twice (once per language) and its printed outputs add numbers that no
reader searches for: together they were a third of the index and pushed the home page
over its 300 KiB budget (`benchmarks/site.py`). Material leaves out any element marked
``data-search-exclude``; this hook marks every ``<pre>`` block, and the hidden copy of each
notebook cell's code that mkdocs-jupyter keeps for its copy button
(``<div class="clipboard-copy-txt">``), so headings, paragraphs, lists, inline code and the
API reference's names stay searchable.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(
    r'<(?P<tag>pre\b|div class="clipboard-copy-txt")(?![^>]*\bdata-search-exclude\b)'
)


def exclude_blocks(html: str) -> str:
    return _BLOCK.sub(r"<\g<tag> data-search-exclude", html)


def on_page_content(content, page, config, files):
    return exclude_blocks(content)
