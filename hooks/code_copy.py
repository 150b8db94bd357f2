"""MkDocs hook: the copy button of a code block never copies prompts.

Material's copy button copies a block's text as shown, prompts and printed output
included. A block written as a console session (``>>> `` and ``... `` lines, as the docs
allow for doctests, or ``$ `` shell lines) gets a ``data-copy`` attribute, which Material
copies instead: the commands alone, prompts removed, output lines dropped, so the copied
text runs as it is.
"""

from __future__ import annotations

import html
import re

BLOCK = re.compile(
    r'(?P<open><div class="(?:[^"]*\s)?highlight(?:\s[^"]*)?")(?P<rest>[^>]*>\s*<pre\b[^>]*>.*?'
    r"<code\b[^>]*>(?P<code>.*?)</code>)",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")
PYTHON_PROMPT = re.compile(r"^(?:>>>|\.\.\.)(?: |$)")
SHELL_PROMPT = re.compile(r"^\$ ")


def commands(text: str) -> str | None:
    """What a session block should copy, or None when it has no prompts."""
    lines = text.split("\n")
    if any(line.startswith(">>>") for line in lines):
        prompt = PYTHON_PROMPT
    elif any(SHELL_PROMPT.match(line) for line in lines):
        prompt = SHELL_PROMPT
    else:
        return None
    return "\n".join(prompt.sub("", line) for line in lines if prompt.match(line))


def _block(match: re.Match) -> str:
    if "data-copy=" in match.group("open") + match.group("rest").split(">", 1)[0]:
        return match.group(0)
    copy = commands(html.unescape(TAG.sub("", match.group("code"))))
    if copy is None:
        return match.group(0)
    return f'{match.group("open")} data-copy="{html.escape(copy, quote=True)}"{match.group("rest")}'


def on_page_content(content, page, config, files):
    return BLOCK.sub(_block, content)
