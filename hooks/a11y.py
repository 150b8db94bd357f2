"""MkDocs hook: what assistive technology needs and Material's templates leave out.

* Material's search is a ``role="dialog"`` element with no accessible name, so a screen
  reader announces a nameless dialog when it opens (axe and Lighthouse: aria-dialog-name).
  It gets ``aria-label="Search"`` (``搜索`` on Chinese pages), on every page and on both
  404 pages, without forking the template.
* The code cells of notebook pages (mkdocs-jupyter's ``div.highlight-ipynb``) scroll
  sideways when a line is long, but a keyboard cannot reach them to scroll (axe:
  scrollable-region-focusable). They become focusable, as Material makes its own code
  blocks.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

#: The search dialog's name, per language of the site.
SEARCH_LABEL = {"en": "Search", "zh": "搜索"}
SEARCH_DIALOG = re.compile(r'<div class="md-search" data-md-component="search" role="dialog"')
NOTEBOOK_CODE = re.compile(r'<div (?=class="highlight-ipynb[ "])(?![^>]*\btabindex=)')


def _name_search_dialog(output: str, config) -> str:
    language = str(config.theme.get("language") or "en")
    label = SEARCH_LABEL.get(language)
    if label is None:
        raise PluginError(f"hooks/a11y.py has no search label for language {language!r}")
    output, found = SEARCH_DIALOG.subn(lambda m: f'{m.group(0)} aria-label="{label}"', output)
    if found != 1:
        raise PluginError(
            f"hooks/a11y.py: expected Material's search dialog once in the page, found {found}"
        )
    return output


def on_page_content(html, page, config, files):
    return NOTEBOOK_CODE.sub('<div tabindex="0" ', html)


def on_post_page(output, page, config):
    return _name_search_dialog(output, config)


def on_post_template(output, template_name, config):
    if template_name == "404.html":
        output = _name_search_dialog(output, config)
    return output
