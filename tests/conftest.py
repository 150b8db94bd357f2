"""Fixtures shared by the tests of the built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.site_server import build_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per test session with ``mkdocs build --strict``.

    The build's log must be free of warnings; the fixture fails the first test that asks
    for it otherwise, showing the log.
    """
    site = tmp_path_factory.mktemp("site")
    result = build_site(site)
    log = result.stdout + result.stderr
    if result.returncode != 0 or "WARNING" in log:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{log}")
    return site


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


#: The site's languages, the default first; the others live below ``<locale>/``.
LANGUAGES = ("en", "zh")
#: The 404 pages: no source file and no translation of their own.
NOT_FOUND = ("404.html", "zh/404.html")


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as a path below its root (``""``, ``zh/backprop/``,
    ``404.html``)."""
    pages = []
    for html in html_pages(site):
        rel = html.relative_to(site).as_posix()
        if not rel.startswith("assets/"):
            pages.append(rel.removesuffix("index.html"))
    return pages


def page_language(page: str) -> str:
    first, slash, _ = page.partition("/")
    return first if slash and first in LANGUAGES[1:] else LANGUAGES[0]


def untranslated(page: str) -> str:
    """``zh/backprop/`` -> ``backprop/``: the same page's path in the default language."""
    lang = page_language(page)
    return page if lang == LANGUAGES[0] else page[len(lang) + 1 :]


def source_file(page: str) -> Path | None:
    """The docs file a page is built from (``zh/backprop/`` -> docs/backprop.zh.md; the
    default language's file where a translation is missing, as mkdocs-static-i18n falls
    back)."""
    if page in NOT_FOUND:
        return None
    lang = page_language(page)
    stem = untranslated(page).strip("/") or "index"
    suffixes = [""] if lang == LANGUAGES[0] else [f".{lang}", ""]
    for suffix in suffixes:
        for ext in (".md", ".ipynb"):
            for candidate in (
                ROOT / "docs" / f"{stem}{suffix}{ext}",
                ROOT / "docs" / stem / f"index{suffix}{ext}",
            ):
                if candidate.is_file():
                    return candidate
    return None
