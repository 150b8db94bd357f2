"""MkDocs hook: a 404 page in each language, without overriding Material's templates.

mkdocs-static-i18n builds each language into the same ``site_dir``, so the theme's static
``404.html`` is rendered once per language and every build writes it to the site's root:
the last language wins. The root page came out Chinese (``lang="zh"``, the Chinese
description), with Material's English-only text ``404 - Not found`` and a language switcher
that pointed at whichever page the build rendered last.

Here the English build keeps ``404.html``; the Chinese build writes its own page to
``zh/404.html`` and puts the English one back at the root. Both pages get a heading and a
sentence in their language, a link to the home page, and a language switcher that leads to
the home page in the other language.

GitHub Pages serves the root ``404.html`` for every missing address, ``/zh/…`` included, so
that page also carries one line in Chinese. Hosts that serve the nearest ``404.html`` (Netlify,
Cloudflare Pages) show Chinese readers ``zh/404.html``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

TEMPLATE = "404.html"
#: What Material 9 renders as the page's content, and its ``<title>`` on a static page.
MATERIAL_HEADING = "<h1>404 - Not found</h1>"
TITLE = re.compile(r"<title>[^<]*</title>")

TEXT = {
    "en": {
        "title": "Page not found",
        "body": (
            "<h1>404 - Page not found</h1>\n"
            "<p>There is no page at this address. Start again from the "
            '<a href="{home[en]}">home page</a>.</p>\n'
            '<p lang="zh">此地址没有页面。请从<a href="{home[zh]}" hreflang="zh">中文首页</a>'
            "重新开始。</p>"
        ),
    },
    "zh": {
        "title": "页面未找到",
        "body": (
            "<h1>404 - 页面未找到</h1>\n"
            '<p>此地址没有页面。请从<a href="{home[zh]}">首页</a>重新开始。</p>\n'
            '<p lang="en">There is no page at this address. Start again from the '
            '<a href="{home[en]}" hreflang="en">English home page</a>.</p>'
        ),
    },
}

_root_page: str | None = None


def _i18n(config):
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("hooks/not_found.py needs the mkdocs-static-i18n plugin")
    return plugin


def _homes(config) -> dict[str, str]:
    """Each language's home page, as a path from the server's root (``/nnref/zh/``)."""
    base = urlsplit(config.site_url or "/").path.rstrip("/")
    links = {}
    for language in _i18n(config).config.languages:
        link = language.link if language.link.startswith("/") else f"/{language.link}"
        links[language.locale] = base + link
    return links


def on_template_context(context, template_name, config):
    if template_name == TEMPLATE:
        # The language switcher still holds the alternates of the last page the build
        # rendered; a 404 page has no translation, so it offers the home pages.
        homes = _homes(config)
        alternates = copy.deepcopy(_i18n(config).extra_alternate or [])
        for alternate in alternates:
            alternate["link"] = homes.get(alternate["lang"], alternate["link"])
        # mkdocs-static-i18n sets it as an attribute, which Jinja reads before the key.
        config.extra["alternate"] = alternates
        config.extra.alternate = alternates
    return context


# Last, so that the Chinese page written here has been through the other hooks.
@event_priority(-100)
def on_post_template(output, template_name, config):
    global _root_page
    if template_name != TEMPLATE:
        return output
    i18n = _i18n(config)
    language = i18n.current_language
    text = TEXT.get(language)
    if text is None:
        raise PluginError(f"hooks/not_found.py has no 404 text for language {language!r}")
    if MATERIAL_HEADING not in output:
        raise PluginError(
            f"hooks/not_found.py: Material's 404 page no longer reads {MATERIAL_HEADING!r}"
        )
    output = output.replace(MATERIAL_HEADING, text["body"].format(home=_homes(config)), 1)
    output = TITLE.sub(f"<title>{text['title']} - {config.site_name}</title>", output, count=1)
    if i18n.is_default_language_build:
        _root_page = output
        return output
    page = Path(config.site_dir) / language / TEMPLATE
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(output, encoding="utf-8")
    # MkDocs writes what this returns to the site's root 404.html: keep the default one.
    return _root_page if _root_page is not None else output
