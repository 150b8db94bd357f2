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

from mkdocs.structure.files import File

_md_only = File.is_documentation_page


def _is_documentation_page(self: File) -> bool:
    return self.src_uri.endswith(".ipynb") or _md_only(self)


def on_startup(command, dirty):
    File.is_documentation_page = _is_documentation_page
