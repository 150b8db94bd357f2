"""MkDocs hook: what a link preview shows, built from each page's own title and description.

Material writes ``<title>`` and ``<meta name="description">`` (a page's ``description:``
front matter, else the language's ``site_description``). Chat apps and social sites read
the Open Graph tags instead, which Material only writes through its social plugin — that
one draws cards with Cairo and downloads fonts at build time, so this hook writes the text
tags itself: ``og:title``, ``og:description``, ``og:type``, ``og:site_name``, ``og:locale``
(with the other languages as ``og:locale:alternate``) and ``og:url``.

The ``<link rel="alternate" hreflang>`` tags leave the ``<head>``: Material reads them as
the roots of separate per-language sites and fetches ``sitemap.xml`` below each one — for
mkdocs-static-i18n's per-page alternates that is two requests per page view
(``/backprop/sitemap.xml``, ``/zh/backprop/sitemap.xml``), both 404s that GitHub Pages
answers with the whole 404 page, and a console error each. Search engines get the same
hreflang pairs from ``sitemap.xml``, which lists every page with its translation; the
language switcher is a plain link and needs none of it.

It also drops the second copy of mkdocstrings' stylesheet that each extra language build
adds to ``extra_css``.
"""

from __future__ import annotations

import html
import re

from mkdocs.plugins import event_priority

#: Open Graph wants territory-qualified locales.
OG_LOCALE = {"en": "en_US", "zh": "zh_CN"}
TAGS = re.compile(r"<[^>]+>")
HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _language(config) -> str:
    return str(config.theme.get("language") or "en")


def _languages(config) -> list[str]:
    i18n = config.plugins.get("i18n")
    return list(i18n.build_languages) if i18n is not None else [_language(config)]


# After mkdocstrings, which appends its stylesheet once per build, i.e. once per language.
@event_priority(-200)
def on_config(config):
    seen: set[str] = set()
    unique = []
    for css in config.extra_css:
        if str(css) not in seen:
            seen.add(str(css))
            unique.append(css)
    config.extra_css[:] = unique
    return config


def _title(page, config) -> str:
    meta = page.meta or {}
    title = meta.get("title") or page.title or ""
    title = html.unescape(TAGS.sub("", str(title))).strip()
    return title or config.site_name


def _description(page, config) -> str:
    meta = page.meta or {}
    return str(meta.get("description") or config.site_description or "").strip()


def on_post_page(output, page, config):
    language = _language(config)
    tags = {
        "og:type": "website",
        "og:site_name": config.site_name,
        "og:title": _title(page, config),
        "og:description": _description(page, config),
        "og:locale": OG_LOCALE.get(language, language),
    }
    if page.canonical_url:
        tags["og:url"] = page.canonical_url
    lines = [
        f'<meta property="{name}" content="{html.escape(value, quote=True)}">'
        for name, value in tags.items()
        if value
    ]
    lines += [
        f'<meta property="og:locale:alternate" content="{OG_LOCALE.get(other, other)}">'
        for other in _languages(config)
        if other != language
    ]
    output = HREFLANG_LINK.sub("", output)
    return output.replace("</head>", "\n".join(lines) + "\n</head>", 1)


def on_post_template(output, template_name, config):
    if template_name == "404.html":
        output = HREFLANG_LINK.sub("", output)
    return output
