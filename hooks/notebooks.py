"""MkDocs hook: keep Jupyter notebooks documentation pages under mkdocs-static-i18n.

mkdocs-static-i18n 1.3 rebuilds every ``File`` of the docs for each language and only
counts Markdown as pages, so mkdocs-jupyter's notebook pages are lost and the raw JSON is
copied instead, silently (upstream issue 198). Declaring ``.ipynb`` a documentation page
before the build starts lets i18n give ``training.zh.ipynb`` the URL ``/zh/training/``
like any page; mkdocs-jupyter then renders it (it picks pages by file pattern).

The notebooks' own files are also published beside their pages (``include_source``), so
readers can download and run them.
"""

from __future__ import annotations

import html
import re

from mkdocs.structure.files import File
from pymdownx.slugs import slugify

_md_only = File.is_documentation_page


def _is_documentation_page(self: File) -> bool:
    return self.src_uri.endswith(".ipynb") or _md_only(self)


def on_startup(command, dirty):
    File.is_documentation_page = _is_documentation_page


# nbconvert gives Chinese headings an empty id and mkdocs-jupyter's table of contents links
# to "#_1"; both are rebuilt here with the slugify the Markdown pages use.
_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<inner>.*?)'
    r'<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>',
    re.DOTALL,
)
_slugify = slugify(case="lower")


def _text(html_fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_fragment)).strip()


def _toc_items(items):
    for item in items:
        yield item
        yield from _toc_items(item.children)


def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    seen: dict[str, int] = {}
    headings: list[tuple[str, str]] = []

    def reslug(m: re.Match) -> str:
        text = _text(m.group("inner"))
        slug = _slugify(text, "-") or "section"
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        headings.append((text, slug))
        level = m.group("level")
        return (
            f'<h{level} id="{slug}">{m.group("inner")}'
            f'<a class="anchor-link" href="#{slug}">¶</a></h{level}>'
        )

    content = _HEADING.sub(reslug, content)
    for item in _toc_items(page.toc.items):
        title = _text(item.title)
        for k, (text, slug) in enumerate(headings):
            if text == title:
                item.id = slug
                del headings[k]
                break
    return content
