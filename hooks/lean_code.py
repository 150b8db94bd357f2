"""MkDocs hook: drop the highlighting spans that change nothing.

Pygments wraps every name in a code block in ``<span class="n">``, and Material colours
``.n`` with the code block's own text colour, so those spans are invisible; on a page of
forty code blocks they are a sixth of all elements. Each element costs the browser style
and layout work on every re-render that Material's scripts trigger at load: unwrapping
them raised the Lighthouse mobile score of ``/backprop/`` (``benchmarks/site.py``).
"""

from __future__ import annotations

import re

_PLAIN_NAME = re.compile(r'<span class="n">([^<]*)</span>')


def on_page_content(content, page, config, files):
    return _PLAIN_NAME.sub(r"\1", content)
