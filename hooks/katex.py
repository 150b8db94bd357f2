"""MkDocs hook: render every formula to HTML at build time with KaTeX.

Readers download no math engine and make no request to a CDN: the page carries finished
HTML, plus KaTeX's stylesheet and the woff2 fonts it needs, served by the site itself from
the npm package installed by ``make install``. Pages without math load none of it.

Formulas come from two places:

* Markdown pages: ``pymdownx.arithmatex`` (generic mode) wraps them in
  ``<span class="arithmatex">\\(…\\)</span>`` and ``<div class="arithmatex">\\[…\\]</div>``.
* Notebooks (mkdocs-jupyter): ``$…$`` and ``$$…$$`` are left in the rendered Markdown
  cells for MathJax; its loader (and mermaid's), both from a CDN, are removed here.

A formula KaTeX cannot parse fails the build, naming the page.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
RENDERER = Path(__file__).with_name("katex_render.cjs")
CSS_URI = "assets/katex/katex.css"

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL
)
# nbconvert keeps notebook math as text inside rendered Markdown cells.
NB_MARKDOWN_CELL = re.compile(
    r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(?P<body>.*?)(</div>)', re.DOTALL
)
NB_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)
# nbconvert's template loads MathJax and mermaid from a CDN; the site renders math itself
# and its notebooks draw no mermaid diagrams, so both loaders go.
NB_CDN_LOADERS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mermaid configuration -->", re.DOTALL
)
# KaTeX's stylesheet lists woff2, woff and ttf for each font; every browser we serve
# reads woff2, so the site ships only those.
OLDER_FONTS = re.compile(r',\s*url\([^)]*\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)')

_renderer: subprocess.Popen | None = None
_cache: dict[tuple[str, bool], str] = {}
_pages_with_math: set[str] = set()


def _render(tex: str, display: bool, where: str) -> str:
    global _renderer
    key = (tex, display)
    if key in _cache:
        return _cache[key]
    if _renderer is None or _renderer.poll() is not None:
        if not KATEX_DIST.is_dir():
            raise PluginError(f"KaTeX is not installed at {KATEX_DIST}: run `make install`")
        _renderer = subprocess.Popen(
            ["node", str(RENDERER)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
    _renderer.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
    _renderer.stdin.flush()
    reply = json.loads(_renderer.stdout.readline())
    if "error" in reply:
        raise PluginError(f"{where}: KaTeX cannot render {tex!r}: {reply['error']}")
    _cache[key] = reply["html"]
    return reply["html"]


def _arithmatex(match: re.Match, where: str) -> str:
    body = html.unescape(match.group("body")).strip()
    display = match.group("tag") == "div"
    if body.startswith(("\\(", "\\[")):
        body = body[2:-2]
    rendered = _render(body.strip(), display, where)
    return f'<div class="arithmatex">{rendered}</div>' if display else rendered


def _notebook_math(cell: re.Match, where: str) -> str:
    def one(m: re.Match) -> str:
        display = m.group("display") is not None
        tex = html.unescape(m.group("display") if display else m.group("inline"))
        rendered = _render(tex.strip(), display, where)
        return f'<div class="arithmatex">{rendered}</div>' if display else rendered

    return cell.group(1) + NB_MATH.sub(one, cell.group("body")) + cell.group(3)


# After mkdocs-static-i18n (-100), which cannot handle files generated in memory.
@event_priority(-200)
def on_files(files, config):
    css = KATEX_DIST / "katex.min.css"
    if not css.is_file():
        raise PluginError(f"KaTeX is not installed at {KATEX_DIST}: run `make install`")
    files.append(
        File.generated(
            config, CSS_URI, content=OLDER_FONTS.sub("", css.read_text(encoding="utf-8"))
        )
    )
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files.append(
            File.generated(
                config,
                f"assets/katex/fonts/{font.name}",
                abs_src_path=str(font),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    return files


def on_page_content(content, page, config, files):
    where = page.file.src_uri
    new = ARITHMATEX.sub(lambda m: _arithmatex(m, where), content)
    if page.file.src_uri.endswith(".ipynb"):
        new = NB_CDN_LOADERS.sub("", new)
        new = NB_MARKDOWN_CELL.sub(lambda m: _notebook_math(m, where), new)
    if 'class="katex' in new:
        _pages_with_math.add(page.file.src_uri)
    return new


def on_post_page(output, page, config):
    if page.file.src_uri in _pages_with_math:
        href = page.url.count("/") * "../" + CSS_URI if page.url else CSS_URI
        output = output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
    return output


def on_shutdown():
    global _renderer
    if _renderer is not None:
        _renderer.stdin.close()
        _renderer.wait(timeout=10)
        _renderer = None
