"""MkDocs hook: turn every formula into MathML at build time, with KaTeX.

Readers download no math engine and make no request to a CDN: KaTeX (from the npm package
installed by ``make install``) translates the TeX into MathML while the site is built, and
the browser typesets it natively (MathML Core: Chromium 109+, Firefox, Safari). MathML
keeps the pages light: KaTeX's HTML output needs a dozen nested spans per symbol, and on a
formula-heavy page that markup alone cost Lighthouse's mobile score a tenth (measured with
``benchmarks/site.py``). Screen readers read MathML as well.

The glyphs come from STIX Two Math (OFL, npm ``@fontsource/stix-two-math``), an OpenType
font with the MATH table that MathML layout needs, so formulas look the same on every
system. The build subsets it to the characters formulas use (about 70 KB as woff2) and
serves it from the site. Pages without math load none of it.

Formulas come from two places:

* Markdown pages: ``pymdownx.arithmatex`` (generic mode) wraps them in
  ``<span class="arithmatex">\\(…\\)</span>`` and ``<div class="arithmatex">\\[…\\]</div>``.
* Notebooks (mkdocs-jupyter): ``$…$`` and ``$$…$$`` are left in the rendered Markdown
  cells for MathJax; its loader (and mermaid's), both from a CDN, are removed here.

A formula KaTeX cannot parse fails the build, naming the page.
"""

from __future__ import annotations

import html
import io
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
MATH_FONT = ROOT / "node_modules" / "@fontsource" / "stix-two-math" / "files"
MATH_FONT_SOURCE = MATH_FONT / "stix-two-math-latin-400-normal.woff"
CSS_URI = "assets/math/math.css"
FONT_URI = "assets/math/stix-two-math.woff2"
# What the formulas of the site are written with: Latin and Greek letters (and the
# italic and bold forms MathML gives single-letter identifiers), punctuation, letter-like
# symbols, arrows, operators and brackets.
MATH_UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0391-03C9,U+03D1,U+03D5,U+03F5,U+2000-206F,U+2100-214F,"
    "U+2190-21FF,U+2200-22FF,U+2308-230B,U+27E8-27E9,U+1D400-1D467,U+1D6A4-1D71B"
)
MATH_CSS = """\
@font-face {
  font-family: "STIX Two Math";
  src: url("stix-two-math.woff2") format("woff2");
  font-display: swap;
}
math {
  font-family: "STIX Two Math", math;
  /* STIX has a smaller x-height than the text font around it. */
  font-size: 1.15em;
}
div.arithmatex {
  overflow-x: auto;
  overflow-y: hidden;
}
"""

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
_renderer: subprocess.Popen | None = None
_cache: dict[tuple[str, bool], str] = {}
_font: bytes | None = None
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


def _subset_font() -> bytes:
    global _font
    if _font is None:
        from fontTools import subset

        if not MATH_FONT_SOURCE.is_file():
            raise PluginError(f"STIX Two Math is not installed at {MATH_FONT}: run `make install`")
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        # Fixed output: the same bytes on every build.
        options.recalc_timestamp = False
        font = subset.load_font(str(MATH_FONT_SOURCE), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(MATH_UNICODES))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
        _font = buffer.getvalue()
    return _font


# After mkdocs-static-i18n (-100), which cannot handle files generated in memory.
@event_priority(-200)
def on_files(files, config):
    files.append(File.generated(config, CSS_URI, content=MATH_CSS))
    files.append(
        File.generated(
            config, FONT_URI, content=_subset_font(), inclusion=InclusionLevel.NOT_IN_NAV
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
