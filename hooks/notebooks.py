"""MkDocs hook: keep Jupyter notebooks documentation pages under mkdocs-static-i18n.

mkdocs-static-i18n 1.3 rebuilds every ``File`` of the docs for each language and only
counts Markdown as pages, so mkdocs-jupyter's notebook pages are lost and the raw JSON is
copied instead, silently (upstream issue 198). Declaring ``.ipynb`` a documentation page
before the build starts lets i18n give ``training.zh.ipynb`` the URL ``/zh/training/``
like any page; mkdocs-jupyter then renders it (it picks pages by file pattern).

The notebooks' own files are also published beside their pages (``include_source``), so
readers can download and run them.

Two things the Markdown pages get from Python-Markdown are added to the rendered notebook
here: a heading may end in an explicit id, ``## Summary {#summary}``, as on every page, and
the cells tagged ``solution`` (an exercise's answer, Markdown and code) fold into one closed
``<details class="success">`` titled "Solution" (参考答案), like the pages' ``??? success``.

nbconvert gives every image output the alt text "No description has been provided for this
image". Each figure's own text, in the notebook's language, lives in its code cell's
metadata (``"nnref": {"alt": "…"}``) and replaces it here; a figure without one fails the
build.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
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


_EXPLICIT_ID = re.compile(r"\s*\{#(?P<id>[\w-]+)\}\s*$")
_CELL = re.compile(r'<div class="jp-Cell [^"]*"')
_DIV = re.compile(r"<div\b|</div>")
_SOLUTION_LABEL = re.compile(r"<p><strong>(?:Solution|参考答案)</strong></p>\s*")


def _cell_end(content: str, start: int) -> int:
    """The index just after the ``</div>`` that closes the ``<div`` at ``start``."""
    depth = 0
    for m in _DIV.finditer(content, start):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return m.end()
    return len(content)


def _fold_solutions(content: str, label: str) -> str:
    """Wrap each run of consecutive cells tagged ``solution`` in a closed ``<details>``."""
    cells, position = [], 0
    while m := _CELL.search(content, position):
        end = _cell_end(content, m.start())
        cells.append((m.start(), end, "celltag_solution" in content[m.start() : end]))
        position = end
    out, position, k = [], 0, 0
    while k < len(cells):
        start, end, solution = cells[k]
        if not solution:
            k += 1
            continue
        run_end = end
        while k + 1 < len(cells) and cells[k + 1][2]:
            k += 1
            run_end = cells[k][1]
        body = _SOLUTION_LABEL.sub("", content[start:run_end], count=1)
        out += [content[position:start], f'<details class="success"><summary>{label}</summary>']
        out += [body, "</details>"]
        position = run_end
        k += 1
    out.append(content[position:])
    return "".join(out)


def _toc_items(items):
    for item in items:
        yield item
        yield from _toc_items(item.children)


NO_ALT = 'alt="No description has been provided for this image"'
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")


def figures(notebook: Path) -> list[tuple[str | None, dict]]:
    """(alt text, output data by MIME type) of each image output of a notebook, in order;
    the alt text is None where its cell has none."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            if any(kind in output.get("data", {}) for kind in IMAGE_TYPES):
                found.append((cell.get("metadata", {}).get("nnref", {}).get("alt"), output["data"]))
    return found


def _describe_figures(content: str, notebook: Path) -> str:
    alts = [alt for alt, _ in figures(notebook)]
    parts = content.split(NO_ALT)
    if len(parts) - 1 != len(alts) or None in alts:
        raise PluginError(
            f"{notebook.name}: every figure needs its alt text in its cell's metadata "
            f'("nnref": {{"alt": "…"}}); {len(parts) - 1} images, alt texts {alts}'
        )
    out = [parts[0]]
    for alt, rest in zip(alts, parts[1:], strict=True):
        out += [f'alt="{html.escape(alt, quote=True)}"', rest]
    return "".join(out)


def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    content = _describe_figures(content, Path(page.file.abs_src_path))
    seen: dict[str, int] = {}
    headings: list[tuple[str, str]] = []

    def reslug(m: re.Match) -> str:
        inner = m.group("inner")
        explicit = _EXPLICIT_ID.search(inner)
        if explicit:
            inner = inner[: explicit.start()]
        text = _text(inner)
        slug = explicit.group("id") if explicit else _slugify(text, "-") or "section"
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        headings.append((text, slug))
        level = m.group("level")
        return (
            f'<h{level} id="{slug}">{inner}<a class="anchor-link" href="#{slug}">¶</a></h{level}>'
        )

    content = _HEADING.sub(reslug, content)
    content = _fold_solutions(content, "参考答案" if ".zh." in page.file.src_uri else "Solution")
    for item in _toc_items(page.toc.items):
        explicit = _EXPLICIT_ID.search(item.title)
        if explicit:
            item.title = item.title[: explicit.start()]
        title = _text(item.title)
        for k, (text, slug) in enumerate(headings):
            if text == title:
                item.id = slug
                del headings[k]
                break
    return content
