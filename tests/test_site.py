"""The built site: strict build, no third-party requests, notebooks as pages, links intact."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import html_pages
from tools.site_server import site_prefix

#: Attributes through which a page makes the browser fetch something by itself.
RESOURCE_ATTRS = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}
LINK_RESOURCE_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "apple-touch-icon",
    "shortcut icon",
}
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?(?P<url>[^'")\s]+)|@import\s+['"](?P<imp>[^'"]+)""")
# What JavaScript can load by itself: dynamic imports, workers, fetches, script tags.
JS_LOAD = re.compile(
    r"""(?:import\(|importScripts\(|fetch\(|new\s+Worker\(|\.src\s*=)\s*["'`](?P<url>(?:https?:)?//[^"'`]+)"""
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.resources: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for attr, value in attrs.items():
            if not value or (tag, attr) not in RESOURCE_ATTRS:
                continue
            if attr == "srcset":
                self.resources += [v.strip().split()[0] for v in value.split(",") if v.strip()]
            else:
                self.resources.append(value.strip())
        rel = (attrs.get("rel") or "").lower()
        if tag == "link" and attrs.get("href") and (rel in LINK_RESOURCE_RELS or not rel):
            self.resources.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        if tag in ("style", "script") and not attrs.get("src"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


def parse_html(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def third_party_resources(site: Path) -> list[str]:
    """Every absolute resource URL the site would make a browser load."""
    found = []
    for page in html_pages(site):
        doc = parse_html(page)
        found += [f"{page.relative_to(site)}: {u}" for u in doc.resources if ABSOLUTE.match(u)]
        for css in doc.styles:
            found += [
                f"{page.relative_to(site)}: {m.group('url') or m.group('imp')}"
                for m in CSS_URL.finditer(css)
                if ABSOLUTE.match(m.group("url") or m.group("imp"))
            ]
        for js in doc.scripts:
            found += [f"{page.relative_to(site)}: {m.group('url')}" for m in JS_LOAD.finditer(js)]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        found += [
            f"{css.relative_to(site)}: {m.group('url') or m.group('imp')}"
            for m in CSS_URL.finditer(text)
            if ABSOLUTE.match(m.group("url") or m.group("imp"))
        ]
    for js in site.rglob("*.js"):
        text = js.read_text(encoding="utf-8", errors="replace")
        found += [f"{js.relative_to(site)}: {m.group('url')}" for m in JS_LOAD.finditer(text)]
    return found


def broken_links(site: Path, prefix: str | None = None) -> list[str]:
    """Internal links, resources and anchors of every page (notebook pages too)."""
    prefix = site_prefix() if prefix is None else prefix
    parsed = {page: parse_html(page) for page in html_pages(site)}
    problems = []
    for page, doc in parsed.items():
        for href in doc.links + doc.resources:
            if ABSOLUTE.match(href) or href.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(href)
            base = page.parent
            path = unquote(parts.path)
            if path.startswith(prefix):
                base, path = site, path[len(prefix) :]
            elif path.startswith("/"):
                problems.append(f"{page.relative_to(site)}: root-absolute link {href}")
                continue
            target = page if not parts.path else (base / path).resolve()
            if not target.is_relative_to(site.resolve()):
                # Served under site_url's path, such a link would leave the project page.
                problems.append(f"{page.relative_to(site)}: link {href} leaves the site")
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: broken link {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page.relative_to(site)}: broken anchor {href}")
    return problems


# --- the checks on the real site ------------------------------------------------------------


def test_strict_build_has_both_languages(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "zh" / "index.html").is_file()
    assert '<html lang="zh' in (built_site / "zh" / "index.html").read_text(encoding="utf-8")


def test_no_third_party_requests(built_site):
    assert third_party_resources(built_site) == []


def test_no_broken_internal_links_or_anchors(built_site):
    assert broken_links(built_site) == []


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_notebooks_are_rendered_pages(built_site, prefix):
    page = built_site / prefix / "training" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!doctype html>")
    assert "jupyter-wrapper" in html and "jp-CodeCell" in html
    assert '"nbformat"' not in html, "raw notebook JSON was published instead of a page"
    downloads = list((built_site / prefix / "training").glob("*.ipynb"))
    assert downloads, "the notebook file itself must be downloadable beside its page"


def test_math_is_rendered_at_build_time(built_site):
    raw = []
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        body = html.split('<article class="md-content__inner', 1)[-1]
        body = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", body, flags=re.S)
        if "$$" in body or "\\(" in body or "\\[" in body:
            raw.append(str(page.relative_to(built_site)))
    assert raw == []


# --- each check fails on a bad site ------------------------------------------------------------


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "bad",
    [
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
        '<img src="//example.com/pixel.gif">',
        "<style>@import 'https://fonts.googleapis.com/css2';</style>",
        '<script>import("https://cdnjs.cloudflare.com/mermaid.mjs")</script>',
    ],
)
def test_third_party_scan_catches(tmp_path, bad):
    site = _site(tmp_path, {"index.html": f"<html><head>{bad}</head><body></body></html>"})
    assert len(third_party_resources(site)) == 1


def test_third_party_scan_allows_plain_links(tmp_path):
    site = _site(tmp_path, {"index.html": '<a href="https://pytorch.org">PyTorch</a>'})
    assert third_party_resources(site) == []


def test_link_check_catches_broken_links_and_anchors(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/">ok</a><a href="a/#x">ok</a><a href="a/#y">bad</a>'
            '<a href="missing/">bad</a><a href="#top">bad</a><a href="../../up/">bad</a>'
            '<a href="/nnref/a/">ok</a><link rel="stylesheet" href="/a.css">',
            "a/index.html": '<h2 id="x">X</h2>',
        },
    )
    problems = broken_links(site)
    assert len(problems) == 5, problems
    assert any("a/#y" in p for p in problems) and any("missing/" in p for p in problems)
    assert any("leaves the site" in p for p in problems)
    assert any("root-absolute link /a.css" in p for p in problems)


def test_the_search_index_holds_prose_not_code_blocks(built_site):
    # hooks/search_scope.py: code blocks and their outputs stay out of the index that every
    # page downloads; prose, inline code and the API's names stay in.
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    text = "\n".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "<pre" not in text
    assert "net_np.backward(nn_np.cross_entropy_grad" not in text  # a notebook code cell
    assert "反向\u200b传播" in text and "back-propagation" in text.lower()  # jieba splits words
    assert any(doc["location"].startswith("api/#nnref.numpy") for doc in index["docs"])


def test_every_code_block_is_kept_out_of_search():
    from hooks.search_scope import exclude_blocks

    html = (
        '<p>x</p><pre><code>a</code></pre><div><pre class="c" data-search-exclude>b</pre>'
        '<div class="clipboard-copy-txt" id="cell-1">import numpy</div>'
    )
    assert exclude_blocks(html) == (
        "<p>x</p><pre data-search-exclude><code>a</code></pre>"
        '<div><pre class="c" data-search-exclude>b</pre>'
        '<div class="clipboard-copy-txt" data-search-exclude id="cell-1">import numpy</div>'
    )
