"""The built site in headless Chromium: what a reader's browser does with every page.

The site is served on 127.0.0.1 under the path of ``site_url`` (``/nnref/``), as GitHub
Pages serves it, and every page of both languages is opened once. The checks:

* each page loads with no console error, no uncaught exception and no failed request, and
  asks nothing of any host but 127.0.0.1 (the live third-party check);
* the language switcher leads to the same page in the other language;
* math is rendered: no TeX left in the text, MathML in the site's math font where formulas are;
* the copy button copies no prompts, and the first code block of a page, copied with the
  button, runs and prints the output the page shows;
* choosing PyTorch in one tab group switches every group, and the choice survives a page
  change;
* the Chinese search finds the right page first;
* a missing address gets the 404 page;
* axe-core (``node_modules/axe-core``, from npm) finds no violation of WCAG 2.1 A/AA on any
  page, in the light colour scheme and, for the colour rules, in the dark one.

Chromium is Debian's (``/usr/bin/chromium``, or ``NNREF_CHROMIUM``). Without it these tests
skip, loudly; with ``NNREF_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import (
    LANGUAGES,
    NOT_FOUND,
    page_language,
    site_pages,
    source_file,
    untranslated,
)
from tools.site_server import CHROMIUM_ARGS, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PROMPT_LINE = re.compile(r"^(?:>>>(?: |$)|\$ )", re.M)
LEFTOVER_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$\n]*\$")
TIMEOUT_MS = 15_000


# --- the browser and the server ---------------------------------------------------------------


def _chromium() -> tuple[str | None, str]:
    """The Chromium to drive, or None and why there is none."""
    path = os.environ.get("NNREF_CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        source = "NNREF_CHROMIUM" if "NNREF_CHROMIUM" in os.environ else "the default path"
        return None, f"no Chromium executable at {path} ({source})"
    try:
        import playwright.sync_api  # noqa: F401  (imported only to learn whether it is there)
    except ImportError:
        return None, "the playwright package is not installed (make install)"
    return path, ""


@pytest.fixture(scope="session")
def browser():
    path, why = _chromium()
    if path is None:
        message = (
            f"BROWSER TESTS NOT RUN: {why}. Install Debian's chromium "
            "(apt-get install chromium) or point NNREF_CHROMIUM at a Chromium."
        )
        if os.environ.get("NNREF_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " NNREF_REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(browser, built_site) -> str:
    """``http://127.0.0.1:PORT/nnref/``, serving the built site like GitHub Pages."""
    with serve(built_site) as url:
        yield url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def context(browser, site_url):
    """One browser context for the crawl and the copy test, allowed to read the clipboard."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=_origin(site_url))
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


# --- the pages of the site --------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_SOURCE_MATH = re.compile(r"\$\$|(?<![\\$])\$[^$\s][^$\n]*\$|\\\(|\\\[")


def source_has_math(path: Path) -> bool:
    """Whether a page's Markdown (or a notebook's Markdown cells) writes a formula."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    text = _INLINE_CODE.sub("", _FENCE.sub("", text))
    return bool(_SOURCE_MATH.search(text))


# --- one visit of every page ------------------------------------------------------------------

#: Collected in the page once it has loaded. Material's copy button copies the text of the
#: block's <code> with ``data-md-copying`` set, or the ``data-copy`` of an ancestor.
PAGE_FACTS = """async () => {
  await document.fonts.ready;
  const CJK_CHAR = "[\\u3000-\\u303f\\u3400-\\u9fff\\uff01-\\uff0f\\uff1a-\\uff20\\uff5b-\\uff65]";
  const CJK = new RegExp(CJK_CHAR);
  const CJK_GAP = new RegExp(CJK_CHAR + "\\\\s+" + CJK_CHAR, "g");
  const article = document.querySelector("article.md-content__inner") || document.body;
  // The text of the page (closed tabs and details too), less code, the TeX source that
  // each formula keeps in a hidden <annotation>, and the hidden copy of each notebook cell.
  const visible = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(
      "pre, code, script, style, textarea, annotation, .clipboard-copy-txt")) {
      visible.push(node.data);
    }
  }
  const copied = code => {
    code.setAttribute("data-md-copying", "");
    const holder = code.closest("[data-copy]");
    const text = holder ? holder.getAttribute("data-copy") : code.innerText;
    code.removeAttribute("data-md-copying");
    return text.trimEnd();
  };
  const isOutput = block => {
    const code = block.querySelector("code");
    const spans = code ? [...code.querySelectorAll("span[class]")] : [];
    return spans.length > 0 && spans.every(s => s.classList.contains("go"));
  };
  const blocks = [...article.querySelectorAll("div.highlight")]
    .filter(b => !b.closest(".jupyter-wrapper") && b.querySelector("pre > code"));
  const first = blocks.find(b => !isOutput(b));
  const next = first && first.nextElementSibling;
  const math = document.querySelector("math");
  return {
    title: document.title,
    lang: document.documentElement.lang,
    text: visible.join(""),
    math: document.querySelectorAll("math").length,
    mathFont: math ? getComputedStyle(math).fontFamily : "",
    mathFontLoaded: [...document.fonts]
      .filter(f => f.family.includes("STIX Two Math") && f.status === "loaded").length,
    alternates: Object.fromEntries(
      [...document.querySelectorAll(".md-select a[hreflang]")].map(a => [a.hreflang, a.href])),
    copyButtons: document.querySelectorAll("[data-md-type=copy]").length,
    codeBlocks: blocks.filter(b => !isOutput(b)).length,
    promptCopies: blocks.filter(b => !isOutput(b)).map(b => copied(b.querySelector("pre > code")))
      .filter(t => /^(?:>>>(?: |$)|\\$ )/m.test(t)),
    firstBlock: first ? {
      index: [...article.querySelectorAll("div.highlight")].indexOf(first),
      code: copied(first.querySelector("pre > code")),
      output: next && next.matches("div.highlight") && isOutput(next)
        ? next.querySelector("code").innerText : null,
    } : null,
    // Whitespace the reader sees between two CJK characters, per paragraph-like element.
    // Inline code and formulas stand as one Latin letter: the spaces around them are asked
    // for ("在 `x` 中"); what remains is collapsed as the browser renders it.
    cjkGaps: [...article.querySelectorAll(
      "p, li, td, th, dt, dd, figcaption, summary, h1, h2, h3, h4, h5, h6")]
      .filter(e => !e.closest("pre, code, .jupyter-wrapper .highlight"))
      .flatMap(e => {
        const copy = e.cloneNode(true);
        copy.querySelectorAll("code, kbd, math, .arithmatex").forEach(c => c.replaceWith("X"));
        const text = copy.textContent.replace(/\\s+/g, " ");
        return [...text.matchAll(CJK_GAP)].map(m =>
          text.slice(Math.max(m.index - 8, 0), m.index + m[0].length + 8));
      }),
    // Emphasis on CJK text that the browser would slant (Chinese fonts have no italic).
    slantedCJK: [...article.querySelectorAll("em, i")]
      .filter(e => CJK.test(e.textContent) && getComputedStyle(e).fontStyle !== "normal")
      .map(e => e.textContent),
    tabs: [...article.querySelectorAll(".tabbed-set")].map(set =>
      [...set.querySelectorAll(":scope > .tabbed-labels > label")].map(l => l.innerText.trim())),
  };
}"""


@dataclass
class Visit:
    url: str
    problems: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    #: What axe found (empty: nothing), or None where it did not run, and why not.
    axe: list[dict] | None = None
    axe_error: str = ""


def _watch(page, problems: list[str], document_url: str | None = None) -> None:
    """Record console errors, uncaught exceptions, failed requests and HTTP errors."""

    def console(message):
        if message.type == "error":
            where = message.location.get("url", "")
            if document_url and where == document_url and "404" in message.text:
                return  # the expected status of a missing page's own address
            problems.append(f"console error: {message.text} ({where})")

    def response(resp):
        if resp.status >= 400 and resp.url != document_url:
            problems.append(f"HTTP {resp.status}: {resp.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", response)


def _open(page, url: str, quiet_ms: int = 150):
    """Go to ``url`` and wait for the load event, then until no request has been in flight
    for ``quiet_ms`` (the search worker fetches its index after the load event). Playwright's
    ``networkidle`` waits the same way, but 500 ms per page."""
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    response = page.goto(url, wait_until="load")
    quiet, waited = 0, 0
    while quiet < quiet_ms and waited < TIMEOUT_MS:
        page.wait_for_timeout(25)
        waited += 25
        quiet = 0 if in_flight else quiet + 25
    return response


@pytest.fixture(scope="session")
def third_party(context, site_url) -> list[str]:
    """Every request of the session to a host other than the local server."""
    found: list[str] = []
    _record_third_party(context, found)
    return found


def _record_third_party(ctx, found: list[str]) -> None:
    def request(req):
        parts = urlsplit(req.url)
        if parts.scheme in ("data", "blob", "about", "chrome-extension"):
            return
        if parts.hostname != "127.0.0.1":
            try:
                origin = req.frame.url
            except Exception:  # a worker's request has no frame
                origin = "a worker"
            found.append(f"{origin} -> {req.url}")

    ctx.on("request", request)


# --- axe-core ---------------------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Best-practice rules that Lighthouse scores and the site once failed: a search dialog
#: without a name (hooks/a11y.py names it).
AXE_ALSO = ["aria-dialog-name"]
#: What depends on the colour scheme, checked again in the dark one.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: Pages whose axe run may be under way at once (each tab has its own renderer process).
AXE_IN_FLIGHT = max(2, min(4, os.cpu_count() or 1))

#: Starts axe in the page and leaves its promise in ``window.__nnrefAxe``: first every rule
#: in the light scheme, then the colour rules in the dark one, switched the way Material's
#: palette toggle switches it. Transitions are stopped, so that axe reads the final colours.
AXE_START = """([tags, also, colourRules]) => {
  const still = document.createElement("style");
  still.textContent =
    "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.append(still);
  const found = (results, scheme) => results.violations.flatMap(v => v.nodes.map(n => ({
    scheme, rule: v.id, impact: v.impact, help: v.help,
    target: n.target.flat().join(" "),
    summary: (n.failureSummary || "").split("\\n").slice(1).join(" ").trim(),
  })));
  const only = {resultTypes: ["violations"], selectors: true};
  window.__nnrefAxe = (async () => {
    document.body.setAttribute("data-md-color-scheme", "default");
    const light = await axe.run(document, {
      ...only, runOnly: {type: "tag", values: tags},
      rules: Object.fromEntries(also.map(rule => [rule, {enabled: true}])),
    });
    document.body.setAttribute("data-md-color-scheme", "slate");
    const dark = await axe.run(document, {...only, runOnly: {type: "rule", values: colourRules}});
    return [...found(light, "light"), ...found(dark, "dark")];
  })();
}"""


def _start_axe(page, visit: Visit, axe: str | None) -> bool:
    """Start axe in a loaded page; False where it could not start (and why, in the visit)."""
    if axe is None:
        visit.axe_error = f"no {AXE.relative_to(ROOT)}: run make install (npm ci)"
        return False
    try:
        page.add_script_tag(content=axe)
        page.evaluate(AXE_START, [WCAG_TAGS, AXE_ALSO, AXE_COLOUR_RULES])
    except Exception as error:
        visit.axe_error = f"{type(error).__name__}: {error}"
        return False
    return True


def _finish_axe(visit: Visit, page) -> None:
    """Wait for the page's axe run, keep what it found, close the page."""
    try:
        visit.axe = page.evaluate("() => window.__nnrefAxe")
    except Exception as error:
        visit.axe_error = f"{type(error).__name__}: {error}"
    finally:
        page.close()


@pytest.fixture(scope="session")
def visits(context, site_url, built_site, third_party) -> dict[str, Visit]:
    """Every page of both languages, opened once: what went wrong, what it shows, and what
    axe finds in it.

    axe takes most of the crawl's time (seconds on a page of many code blocks), and it runs
    inside the page: while it checks a page, the next ones load and are checked in tabs of
    their own, up to ``AXE_IN_FLIGHT`` at a time.
    """
    result = {}
    # The search worker builds its index of the whole site on every page it starts on, half
    # a second each; the crawl gives it the site's own search config with no documents, so
    # it still loads and starts, and the search tests below use the real index.
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    no_documents = json.dumps({**index, "docs": []})
    axe = AXE.read_text(encoding="utf-8") if AXE.is_file() else None
    checking: deque = deque()  # (visit, page) whose axe run is under way
    for path in site_pages(built_site):
        visit = Visit(url=site_url + path)
        result[path] = visit
        page = context.new_page()
        page.route(
            "**/search/search_index.json",
            lambda route: route.fulfill(content_type="application/json", body=no_documents),
        )
        _watch(page, visit.problems)
        try:
            response = _open(page, visit.url)
            if response is None or response.status != 200:
                visit.problems.append(f"status {response and response.status}")
            visit.facts = page.evaluate(PAGE_FACTS)
            if _start_axe(page, visit, axe):
                checking.append((visit, page))
                page = None  # closed once axe is done
        except Exception as error:  # a page that cannot load is reported with the others
            visit.problems.append(f"{type(error).__name__}: {error}")
        finally:
            if page is not None:
                page.close()
        while len(checking) >= AXE_IN_FLIGHT:
            _finish_axe(*checking.popleft())
    while checking:
        _finish_axe(*checking.popleft())
    return result


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {p}" for page, ps in problems.items() for p in ps)


# --- every page ---------------------------------------------------------------------------------


def test_both_languages_have_every_page(visits):
    pages = set(visits)
    assert "" in pages and "zh/" in pages
    assert set(NOT_FOUND) <= pages, "a 404 page is missing in one of the languages"
    english = {p for p in pages if page_language(p) == "en"}
    assert {f"zh/{p}" for p in english} == {p for p in pages if page_language(p) == "zh"}


def test_pages_load_without_errors(visits):
    problems = {page: v.problems for page, v in visits.items() if v.problems}
    assert not problems, "\n" + _report(problems)


def test_chinese_pages_show_no_space_between_chinese_characters(visits):
    # What Chromium renders: a source line break (or a typed space) between two CJK
    # characters would show as a gap; hooks/cjk.py joins such line breaks at build time.
    gaps = {p: v.facts.get("cjkGaps") for p, v in visits.items() if v.facts.get("cjkGaps")}
    assert gaps == {}


def test_no_chinese_text_is_slanted(visits):
    slanted = {p: v.facts.get("slantedCJK") for p, v in visits.items() if v.facts.get("slantedCJK")}
    assert slanted == {}


def test_pages_declare_their_language(visits):
    wrong = {
        p: v.facts.get("lang") for p, v in visits.items() if v.facts.get("lang") != page_language(p)
    }
    assert wrong == {}


def test_language_switcher_leads_to_the_same_page(visits, site_url):
    wrong = {}
    for page, visit in visits.items():
        path = "" if page in NOT_FOUND else untranslated(page)
        expected = {
            lang: site_url + (path if lang == "en" else f"{lang}/{path}") for lang in LANGUAGES
        }
        got = visit.facts.get("alternates")
        if got != expected:
            wrong[page] = got
        for lang, url in (got or {}).items():
            target = url.removeprefix(site_url)
            if target not in visits:
                wrong[page] = f"{lang} link {url} is not a page of the site"
    assert wrong == {}


def test_language_switcher_clicks_through(context, site_url):
    page = context.new_page()
    try:
        _open(page, site_url + "backprop/")
        for lang, expected in (("zh", "zh/backprop/"), ("en", "backprop/")):
            page.hover(".md-header .md-select")
            page.click(f'.md-header .md-select a[hreflang="{lang}"]')
            page.wait_for_url(site_url + expected)
            assert page.evaluate("document.documentElement.lang") == lang
    finally:
        page.close()


def test_math_is_rendered_in_the_browser(visits):
    leftovers = {}
    for page, visit in visits.items():
        found = LEFTOVER_TEX.findall(visit.facts.get("text", ""))
        if found:
            leftovers[page] = sorted(set(found))
    assert leftovers == {}, "TeX left in the visible text of pages"


def test_pages_with_formulas_show_mathml_in_the_math_font(visits):
    with_math = {p for p in visits if (src := source_file(p)) and source_has_math(src)}
    assert with_math, "no page writes a formula: the math check checks nothing"
    missing = {p for p in with_math if not visits[p].facts.get("math")}
    assert missing == set(), "pages whose source has formulas show no MathML"
    unstyled = {
        p: visits[p].facts.get("mathFont")
        for p in visits
        if visits[p].facts.get("math")
        and (
            "STIX Two Math" not in visits[p].facts.get("mathFont", "")
            or not visits[p].facts.get("mathFontLoaded")
        )
    }
    assert unstyled == {}, "formulas without the site's math stylesheet or font"


def test_copy_buttons_copy_no_prompts(visits):
    assert any(v.facts.get("copyButtons") for v in visits.values()), "no copy button anywhere"
    missing = {
        p: v.facts["codeBlocks"]
        for p, v in visits.items()
        if v.facts.get("codeBlocks") and not v.facts.get("copyButtons")
    }
    assert missing == {}, "pages with code blocks but no copy button"
    prompts = {p: v.facts["promptCopies"] for p, v in visits.items() if v.facts.get("promptCopies")}
    assert prompts == {}


def test_axe_finds_no_wcag_violation(visits):
    """WCAG 2.1 A and AA on every page (and the search dialog's name), in the light scheme;
    the colour rules in the dark scheme too."""
    not_run = {p: v.axe_error or "page did not load" for p, v in visits.items() if v.axe is None}
    assert not not_run, "axe did not run:\n" + "\n".join(f"/{p}: {e}" for p, e in not_run.items())
    lines, rules = [], {}
    for page, visit in visits.items():
        groups: dict[tuple, list[dict]] = {}
        for node in visit.axe:
            groups.setdefault((node["scheme"], node["rule"]), []).append(node)
        for (scheme, rule), nodes in groups.items():
            rules[f"{rule} ({scheme})"] = rules.get(f"{rule} ({scheme})", 0) + len(nodes)
            lines.append(f"/{page} ({scheme} scheme) {rule}: {nodes[0]['help']}")
            lines += [f"    {n['target']}  {n['summary']}" for n in nodes[:8]]
            if len(nodes) > 8:
                lines.append(f"    ... and {len(nodes) - 8} more")
    counts = ", ".join(f"{rule} ×{n}" for rule, n in sorted(rules.items()))
    assert not lines, f"axe: {counts}\n" + "\n".join(lines)


# --- the copy button, for real -------------------------------------------------------------------


def _normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def test_copied_code_runs_and_prints_what_the_page_shows(context, visits):
    candidates = [
        (page, v.facts["firstBlock"])
        for page, v in visits.items()
        if (v.facts.get("firstBlock") or {}).get("output") is not None
    ]
    assert candidates, "no page starts with a python block followed by its output"
    # The package's own code says more than a one-liner: prefer a block that imports nnref.
    page_path, block = next(
        (c for c in candidates if re.search(r"^\s*(from|import)\s+nnref\b", c[1]["code"], re.M)),
        candidates[0],
    )
    page = context.new_page()
    try:
        _open(page, visits[page_path].url)
        target = page.locator("article.md-content__inner div.highlight").nth(block["index"])
        target.hover()
        target.locator("[data-md-type=copy]").click()
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        page.close()
    assert copied.strip(), "the copy button copied nothing"
    assert not PROMPT_LINE.search(copied), f"prompts copied:\n{copied}"
    assert _normalise(copied) == _normalise(block["code"])
    run = subprocess.run(
        [sys.executable, "-c", copied],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"},
    )
    where = f"the first code block of {page_path or 'the home page'}"
    assert run.returncode == 0, f"{where}, copied, fails:\n{copied}\n{run.stderr}"
    assert _normalise(run.stdout) == _normalise(block["output"]), (
        f"{where}, copied and run, prints something else than the page shows"
    )


# --- content tabs ---------------------------------------------------------------------------------

TAB = "PyTorch"
SELECTED_TABS = """() => [...document.querySelectorAll("article .tabbed-set")].map(set => {
  const input = set.querySelector(":scope > input:checked");
  const label = input && set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`);
  return label ? label.innerText.trim() : null;
})"""


def _shows(page, labels_per_group: list[list[str]]) -> list[str]:
    """The groups that offer the tab but do not show it."""
    selected = page.evaluate(SELECTED_TABS)
    return [
        f"group {i + 1} shows {sel!r}"
        for i, (labels, sel) in enumerate(zip(labels_per_group, selected, strict=True))
        if TAB in labels and sel != TAB
    ]


def test_choosing_pytorch_switches_every_tab_group(browser, visits, site_url, third_party):
    with_tabs = [
        p for p, v in visits.items() if sum(TAB in g for g in v.facts.get("tabs", [])) >= 2
    ]
    assert with_tabs, f"no page has two tab groups offering {TAB}: nothing to check"
    first = with_tabs[0]
    groups = visits[first].facts["tabs"]
    # A fresh context: no tab choice stored yet.
    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT_MS)
    _record_third_party(ctx, third_party)
    try:
        page = ctx.new_page()
        _open(page, visits[first].url)
        assert _shows(page, groups), f"{first}: every group already shows {TAB}"
        chosen = next(i for i, g in enumerate(groups) if TAB in g)
        page.locator("article .tabbed-set").nth(chosen).locator(
            ":scope > .tabbed-labels > label", has_text=re.compile(rf"^\s*{TAB}\s*$")
        ).click()
        assert _shows(page, groups) == [], f"{first}: one click on {TAB} left other groups"
        # Another page (or, with one such page, any page and back): the choice is kept.
        other = next((p for p in with_tabs if p != first), None)
        if other is None:
            _open(page, site_url)
            other = first
        _open(page, visits[other].url)
        assert _shows(page, visits[other].facts["tabs"]) == [], (
            f"{other}: the {TAB} choice did not survive the page change"
        )
    finally:
        ctx.close()


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"), [("反向传播", "zh/backprop/"), ("激活函数", "zh/activations/")]
)
def test_chinese_search_finds_the_page_first(context, site_url, query, expected):
    page = context.new_page()
    try:
        _open(page, site_url + "zh/")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        # An IME sends key events; fill() does not, and Material searches on keyup.
        box.press("End")
        page.wait_for_selector(".md-search-result__item")
        hrefs = page.eval_on_selector_all(
            ".md-search-result__list > .md-search-result__item > a", "els => els.map(a => a.href)"
        )
    finally:
        page.close()
    paths = [unquote(urlsplit(h).path) for h in hrefs]
    assert paths, f"searching {query} found nothing"
    assert paths[0] == urlsplit(site_url + expected).path, f"{query}: results {paths}"


# --- the 404 page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["no-such-page/", "zh/no-such-page/"])
def test_missing_address_gets_the_404_page(context, site_url, missing):
    page = context.new_page()
    problems: list[str] = []
    _watch(page, problems, document_url=site_url + missing)
    try:
        response = _open(page, site_url + missing)
        assert response.status == 404
        # GitHub Pages serves the root 404.html for every missing address.
        assert "Page not found" in page.inner_text("article h1")
        # One page for every missing address: a line in Chinese leads Chinese readers home.
        page.click('article a[hreflang="zh"]')
        page.wait_for_url(site_url + "zh/")
    finally:
        page.close()
    assert problems == []


# --- last: everything the session asked for -----------------------------------------------------


def test_no_request_leaves_the_site(visits, third_party):
    """The live third-party check, over every request of the tests above too."""
    assert third_party == []
