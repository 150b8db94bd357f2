"""Teaching order: no page of the learning path uses a term that only a later page teaches.

The learning path is the order of ``nav`` in ``mkdocs.yml`` (the home page and the reference
pages — glossary, API, contributing — stand outside it). Every glossary row records, in its
fourth cell, the page that teaches the term (a link such as ``[Loss functions](loss.md)``).
A page earlier in the path may not use the term:

* English pages are searched for the English term (any case, plural ``s``/``es``, a hyphen
  also matching a space or nothing), Chinese pages for the Chinese term, in prose (headings,
  tables and inline maths included, inline code not), in display formulas and in the comments
  of code blocks. A few terms also have a notation (``delta``: ``δ`` / ``\\delta``).
* A longer term hides the shorter ones inside it: "vanishing gradient" is one use of one term,
  not also a use of "gradient".
* Allowed: inside an admonition whose title starts with ``Preview`` (``预告`` on Chinese
  pages), such as ``!!! note "Preview: back-propagation"``, and as the text of a link to the
  very page that teaches the term.

    python tools/order.py        # list every early use; exit 1 if there is one
"""

from __future__ import annotations

import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import checks, glossary, mdpage  # noqa: E402  (the repo root must be importable first)

MKDOCS = ROOT / "mkdocs.yml"
#: Pages in the nav that are not steps of the learning path.
OUTSIDE_PATH = ("index", "glossary", "api", "contributing")
#: Notations that count as a use of a term, on pages of either language.
NOTATION = {"delta": (r"δ", r"\\delta(?![a-zA-Z])")}
NAV_ENTRY = re.compile(r"^\s*-\s+(?:[^:]+:\s+)?(?P<file>[\w./-]+\.(?:md|ipynb))\s*$")
ADMONITION = re.compile(
    r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+"(?P<title>[^"]*)")?'
)
PREVIEW_TITLE = re.compile(r"^\s*(Preview|预告)")
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
INLINE_CODE = re.compile(r"(`+).+?\1")


def learning_path(mkdocs: Path = MKDOCS) -> list[str]:
    """The slugs of the learning path, in nav order: ``["structure", "activations", …]``."""
    slugs, in_nav = [], False
    for line in mkdocs.read_text(encoding="utf-8").splitlines():
        if re.match(r"^nav:\s*$", line):
            in_nav = True
            continue
        if in_nav and line and not line.startswith((" ", "-")):
            break
        m = NAV_ENTRY.match(line) if in_nav else None
        if m:
            slug = Path(m.group("file")).stem
            if slug not in OUTSIDE_PATH:
                slugs.append(slug)
    return slugs


def _slug(target: str) -> str:
    name = target.split("#", 1)[0].rsplit("/", 1)[-1]
    return name.removesuffix(".md").removesuffix(".ipynb").removesuffix(".zh")


@dataclass(frozen=True)
class Line:
    where: str
    text: str
    preview: bool


def _preview_lines(lines: list[str]) -> set[int]:
    """0-based numbers of the lines inside an admonition titled as a preview."""
    inside: set[int] = set()
    for i, line in enumerate(lines):
        m = ADMONITION.match(line)
        if not (m and m.group("title") is not None and PREVIEW_TITLE.match(m.group("title"))):
            continue
        indent = len(m.group("indent").expandtabs(4))
        inside.add(i)
        for j in range(i + 1, len(lines)):
            body = lines[j]
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            inside.add(j)
    return inside


def _comments(code: str) -> list[tuple[int, str]]:
    """(0-based line within the code, text) of every comment; nothing if it does not lex."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    return [(t.start[0] - 1, t.string) for t in tokens if t.type == tokenize.COMMENT]


def _markdown_lines(path: Path, text: str, label: str) -> list[Line]:
    page = mdpage.parse(path, text)
    preview = _preview_lines(page.lines)
    found = [
        Line(f"{label}{n}", INLINE_CODE.sub("", line), n - 1 in preview) for n, line in page.prose
    ]
    in_fence = {k for f in page.fences for k in range(f.start, f.end + 1)}
    in_formula = False
    for k, line in enumerate(page.lines):
        if k in in_fence:
            continue
        if line.strip() == "$$":
            in_formula = not in_formula
        elif in_formula:
            found.append(Line(f"{label}{k + 1}", line, k in preview))
    for fence in page.fences:
        if fence.info != "python":
            continue
        for offset, comment in _comments(fence.text):
            k = fence.start + 1 + offset
            found.append(Line(f"{label}{k + 1}", comment, k in preview))
    return found


def scanned_lines(path: Path) -> list[Line]:
    """Every line of a page (or notebook) that counts as using its terms."""
    if path.suffix != ".ipynb":
        return _markdown_lines(path, path.read_text(encoding="utf-8"), f"{path}:")
    found = []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for k, cell in enumerate(cells, 1):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            found += _markdown_lines(path, source + "\n", f"{path}: cell {k}, line ")
        elif cell["cell_type"] == "code":
            found += [
                Line(f"{path}: cell {k}, line {n + 1}", comment, False)
                for n, comment in _comments(source + "\n")
            ]
    return found


def _pattern(term: glossary.Term, chinese: bool) -> re.Pattern[str]:
    if chinese:
        forms = [re.escape(term.chinese)]
    else:
        words = [re.escape(part) for part in re.split(r"[- ]", term.english)]
        # Not after a letter, a hyphen or a backslash (\Delta is a TeX command, not a word).
        forms = [r"(?<![\w\\-])" + r"[- ]?".join(words) + r"(?:s|es)?(?![\w-])"]
    # The words match in any case; a notation only as written (\Delta is not \delta).
    group = "(?:{})" if chinese else "(?i:{})"
    alternatives = [group.format(f) for f in forms]
    alternatives += [f"(?:{n})" for n in NOTATION.get(term.english, ())]
    return re.compile("|".join(alternatives))


def uses(lines: list[Line], terms: list[glossary.Term], chinese: bool):
    """Yield (line, term, matched text) for every use, longest terms first, hiding the
    shorter terms inside a longer one."""
    ordered = sorted(terms, key=lambda t: -len(t.chinese if chinese else t.english))
    patterns = [(t, _pattern(t, chinese)) for t in ordered]
    for line in lines:
        text = line.text
        # Link text that points at a page counts as naming that page, not as using its terms.
        links = [(m.span("text"), _slug(m.group("target"))) for m in LINK.finditer(text)]
        # A link's address (chain-rule.md) is not prose.
        text = LINK.sub(
            lambda m: (
                m.group(0)[: m.start("target") - m.start()] + " " * len(m.group("target")) + ")"
            ),
            text,
        )
        for term, pattern in patterns:
            for m in pattern.finditer(text):
                linked = any(
                    a <= m.start() and m.end() <= b and s == term.taught for (a, b), s in links
                )
                if not linked:
                    yield line, term, m.group(0)
            text = pattern.sub(lambda m: " " * len(m.group(0)), text)


def page_of(path: Path) -> str:
    return _slug(path.name)


def order_problems(
    pages: list[Path], terms: list[glossary.Term], path_order: list[str]
) -> list[str]:
    """Every use of a term on a page that comes before the page teaching it."""
    rank = {slug: k for k, slug in enumerate(path_order)}
    problems = []
    for term in terms:
        if term.taught not in rank and term.taught not in OUTSIDE_PATH:
            problems.append(
                f"{term.where}: {term.english!r} is taught on {term.taught!r}, which is not a "
                f"page of the learning path {path_order}"
            )
    for path in pages:
        slug = page_of(path)
        if slug not in rank:
            continue
        chinese = ".zh." in path.name
        for line, term, text in uses(scanned_lines(path), terms, chinese):
            if line.preview or rank.get(term.taught, -1) <= rank[slug]:
                continue
            problems.append(
                f"{line.where}: {text!r} uses the term {term.english!r}, which the learning path "
                f"teaches later, on {term.taught!r}; teach it here (and record this page in the "
                f'glossary), or move the sentence into a note titled "Preview: …"'
            )
    return problems


def main() -> int:
    terms = glossary.read_terms()
    problems = order_problems(checks.sources(glossary.DOCS), terms, learning_path())
    print("\n".join(problems) or "no page uses a term before the learning path teaches it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
