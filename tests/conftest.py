"""Fixtures shared by the tests of the built site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock

from tools.site_server import build_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per test run with ``mkdocs build --strict``.

    Under pytest-xdist every worker asks for it; the first builds it into the run's shared
    temporary folder while the others wait on a file lock, then all read the same build.
    The build's log must be free of warnings; the fixture fails the first test that asks
    for it otherwise, showing the log.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers of this run have in common
    site, log_file = shared / "built-site", shared / "built-site.log"
    with FileLock(str(shared / "built-site.lock")):
        if not log_file.exists():
            result = build_site(site)
            ok = result.returncode == 0 and "WARNING" not in result.stdout + result.stderr
            log_file.write_text(
                f"{'ok' if ok else 'failed'} {result.returncode}\n{result.stdout}{result.stderr}",
                encoding="utf-8",
            )
    status, _, log = log_file.read_text(encoding="utf-8").partition("\n")
    if not status.startswith("ok"):
        pytest.fail(f"mkdocs build --strict failed (exit {status.split()[1]}):\n{log}")
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
