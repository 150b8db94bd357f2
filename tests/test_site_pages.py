"""What each built page tells the world: title, description and link preview in its own
language, an edit link to its source, a 404 page per language, a sitemap with every
translation. Read from the built HTML; tests/test_browser.py opens the pages for real."""

from __future__ import annotations

import html
import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hooks.cjk import CJK as CJK_CHAR
from tests.conftest import (
    LANGUAGES,
    NOT_FOUND,
    ROOT,
    page_language,
    site_pages,
    source_file,
    untranslated,
)
from tools.site_server import site_prefix
from tools.site_server import site_url as published_site_url

CJK = re.compile(r"[\u3400-\u9fff]")
OG_LOCALE = {"en": "en_US", "zh": "zh_CN"}


def _config(key: str) -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(rf"^{key}:\s*(\S+)", text, re.M)
    assert match, f"mkdocs.yml sets no {key}"
    return match.group(1)


def _head(path: Path) -> dict[str, str]:
    """The page's ``<title>``, ``lang``, and its named and Open Graph ``<meta>`` tags."""
    text = path.read_text(encoding="utf-8")
    head = text.split("</head>", 1)[0]
    found = {}
    title = re.search(r"<title>(.*?)</title>", head, re.S)
    found["title"] = html.unescape(title.group(1)).strip() if title else ""
    lang = re.search(r'<html lang="([^"]*)"', text)
    found["lang"] = lang.group(1) if lang else ""
    for key, value in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head):
        found.setdefault(key, html.unescape(value).strip())
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', head)
    found["canonical"] = canonical.group(1) if canonical else ""
    return found


def _file(site: Path, page: str) -> Path:
    return site / (page if page.endswith(".html") else page + "index.html")


def test_every_page_has_a_title_and_a_description_in_its_language(built_site):
    problems = []
    for page in site_pages(built_site):
        head = _head(_file(built_site, page))
        lang = page_language(page)
        if head["lang"] != lang:
            problems.append(f"{page}: <html lang={head['lang']!r}>, expected {lang!r}")
        if not head["title"]:
            problems.append(f"{page}: empty <title>")
        description = head.get("description", "")
        if not description:
            problems.append(f"{page}: no meta description")
        elif lang == "zh" and not CJK.search(description):
            problems.append(f"{page}: the description is not Chinese: {description!r}")
        elif lang != "zh" and CJK.search(description):
            problems.append(f"{page}: the description is Chinese: {description!r}")
    assert problems == []


def test_pages_carry_open_graph_tags_for_link_previews(built_site):
    problems = []
    for page in site_pages(built_site):
        if page in NOT_FOUND:
            continue
        head = _head(_file(built_site, page))
        lang = page_language(page)
        expected = {
            "og:title": head["title"].rsplit(" - ", 1)[0] if " - " in head["title"] else None,
            "og:description": head.get("description"),
            "og:locale": OG_LOCALE[lang],
            "og:url": head["canonical"],
            "og:type": "website",
        }
        for key, value in expected.items():
            if not head.get(key):
                problems.append(f"{page}: no {key}")
            elif value is not None and head[key] != value:
                problems.append(f"{page}: {key} is {head[key]!r}, expected {value!r}")
    assert problems == []


def test_404_page_in_both_languages(built_site):
    root, zh = built_site / "404.html", built_site / "zh" / "404.html"
    assert root.is_file() and zh.is_file()
    root_html, zh_html = root.read_text(encoding="utf-8"), zh.read_text(encoding="utf-8")
    assert '<html lang="en"' in root_html and '<html lang="zh"' in zh_html
    h1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
    assert "Page not found" in h1.search(root_html).group(1)
    zh_heading = h1.search(zh_html).group(1)
    assert CJK.search(zh_heading) and "Not found" not in zh_heading, zh_heading
    assert CJK.search(_head(zh)["title"])
    # GitHub Pages serves the root page for every missing address, /zh/... too: it says
    # where the Chinese home page is.
    prefix = site_prefix()
    assert f'href="{prefix}zh/"' in root_html.split("<article", 1)[1]
    assert f'href="{prefix}"' in zh_html.split("<article", 1)[1]


def test_edit_links_point_to_the_page_source(built_site):
    edit_uri = _config("edit_uri")
    problems = []
    for page in site_pages(built_site):
        if page in NOT_FOUND:
            continue
        text = _file(built_site, page).read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]*)"[^>]*\brel="edit"', text)
        source = source_file(page)
        if source is None:
            problems.append(f"{page}: no source file in docs/")
        elif link is None:
            problems.append(f"{page}: no edit link")
        elif link.group(1) != edit_uri + source.relative_to(ROOT / "docs").as_posix():
            problems.append(f"{page}: edit link {link.group(1)} is not {source.name}")
    assert problems == []


def test_sitemap_pairs_every_page_with_its_translation(built_site):
    """The hreflang pairs live in sitemap.xml (hooks/meta.py takes them out of the head)."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    site_url = published_site_url()
    tree = ET.parse(built_site / "sitemap.xml")
    listed = {}
    for url in tree.getroot().findall("s:url", ns):
        loc = url.find("s:loc", ns).text.strip()
        listed[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
    problems = []
    for page in site_pages(built_site):
        if page in NOT_FOUND:
            continue
        loc = site_url + page
        base = untranslated(page)
        expected = {
            lang: site_url + (base if lang == LANGUAGES[0] else f"{lang}/{base}")
            for lang in LANGUAGES
        }
        if loc not in listed:
            problems.append(f"{page}: not in sitemap.xml")
        elif listed[loc] != expected:
            problems.append(f"{page}: hreflang {listed[loc]}, expected {expected}")
    assert problems == []


@pytest.mark.parametrize("page", ["", "zh/", "backprop/", "zh/backprop/"])
def test_no_hreflang_links_in_the_head(built_site, page):
    """Material fetches ``<alternate>/sitemap.xml`` for each, two 404s per page view."""
    head = _file(built_site, page).read_text(encoding="utf-8").split("</head>", 1)[0]
    assert not re.search(r'<link rel="alternate"[^>]*hreflang', head)


class _ProseBlocks(html.parser.HTMLParser):
    """The text of each paragraph-like element of a page's article, as the reader sees it.

    Code and formulas inside a paragraph stand as one Latin placeholder, so the spaces a
    writer puts around them (“在 `x` 中”) are not mistaken for a gap between two CJK
    characters.
    """

    BLOCKS = frozenset(
        {
            "p",
            "li",
            "td",
            "th",
            "dt",
            "dd",
            "figcaption",
            "summary",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        }
    )
    OPAQUE = frozenset({"code", "pre", "math", "script", "style", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.opaque = 0  # depth inside code, a formula and the like
        self.in_article = False
        self.stack: list[list[str]] = []
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article = True
        elif self.in_article and tag in self.BLOCKS and not self.opaque:
            self.stack.append([])
        if tag in self.OPAQUE:
            if not self.opaque and self.stack:
                self.stack[-1].append("X")
            self.opaque += 1

    def handle_endtag(self, tag):
        if tag in self.OPAQUE and self.opaque:
            self.opaque -= 1
        elif tag in self.BLOCKS and self.stack and not self.opaque:
            self.blocks.append("".join(self.stack.pop()))
        elif tag == "article":
            self.in_article = False

    def handle_data(self, data):
        if self.stack and not self.opaque:
            self.stack[-1].append(data)


CJK_GAP = re.compile(f"{CJK_CHAR}[ \t\n\r]+{CJK_CHAR}")


def cjk_gaps(page_html: str) -> list[str]:
    """Each whitespace between two CJK characters in a paragraph, with its context."""
    parser = _ProseBlocks()
    parser.feed(page_html)
    return [
        f"{m.group(0)!r} in “{block[max(m.start() - 12, 0) : m.end() + 12]}”"
        for block in parser.blocks
        for m in CJK_GAP.finditer(block)
    ]


def test_no_stray_space_between_chinese_characters(built_site):
    # Chromium renders a line break, or a typed space, between two CJK characters as a
    # visible gap; Chinese text has none. Element boundaries count too ("**粗体。** 正文").
    problems = [
        f"{page}: {gap}"
        for page in site_pages(built_site)
        if page_language(page) == "zh"
        for gap in cjk_gaps(_file(built_site, page).read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("fragment", "gaps"),
    [
        ("<article><p>每个术语\n只有一个译名。</p></article>", 1),
        ("<article><p><strong>前向传播。</strong> 把输入</p></article>", 1),
        ("<article><p>每个术语只有一个译名。</p>\n<p>下一段</p></article>", 0),
        ("<article><p>在 <code>nnref</code> 中</p></article>", 0),
        ("<article><p>中文 Python 中文</p></article>", 0),
        ("<p>文章之外\n不算</p>", 0),
        ("<article><ul><li>列表，\n续行<p>嵌套</p></li></ul></article>", 1),
    ],
)
def test_the_gap_check_bites(fragment, gaps):
    assert len(cjk_gaps(fragment)) == gaps


@pytest.mark.parametrize("name", ["index.md", "index.zh.md"])
def test_the_home_page_says_how_to_install_what_the_blocks_import(name):
    # Issue 13: a reader who copies a block needs the package; both variants are given, from
    # the repository until the first release and from PyPI after it, with the extra that
    # pyproject.toml defines and that nnref.torch's ImportError names.
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "nnref" and "torch" in project["optional-dependencies"]
    text = (ROOT / "docs" / name).read_text("utf-8")
    source = project["urls"]["Source"]
    for command in (
        f'pip install "nnref @ git+{source}"',
        f'pip install "nnref[torch] @ git+{source}"',
        "`pip install nnref`",
        '`pip install "nnref[torch]"`',
    ):
        assert command in text, command
    assert "{#install}" in text
