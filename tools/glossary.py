"""The glossary as data: read its tables, and scan the Chinese pages for avoided variants.

``docs/glossary.md`` is the single source of the site's terminology. Every row of every
table on that page starts with three term columns::

    | English term | 中文 | variants to avoid | page that teaches it | explanation ... |

The third cell lists the variants as inline code separated by ``、`` or commas
(```偏差```), or holds ``—`` when there is nothing to avoid. ``docs/glossary.zh.md`` shows
the same rows with translated headers and explanations; its term columns must match. The
fourth cell links the page of the learning path that teaches the term (``[Loss
functions](loss.md)``); ``tools/order.py`` checks that no earlier page uses it.

A Chinese page (``docs/*.zh.md``, or a Markdown cell of ``docs/*.zh.ipynb``) must not use an
avoided variant outside code: fences, inline code, HTML comments and display formulas are
not scanned, everything else is (front matter, headings, tables, prose).

    python tools/glossary.py      # scan every Chinese page; exit 1 if a variant is used
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import checks, mdpage  # noqa: E402  (the repo root must be importable first)

DOCS = ROOT / "docs"
GLOSSARY = DOCS / "glossary.md"
EMPTY_CELL = {"", "—", "–", "-"}
INLINE_CODE = re.compile(r"(`+).+?\1")
CODE_SPAN = re.compile(r"`([^`]+)`")
PAGE_LINK = re.compile(r"^\[[^\]]+\]\((?P<slug>[\w-]+)\.(?:md|ipynb)\)$")
SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    avoid: tuple[str, ...]
    where: str
    #: The slug of the page that teaches the term (``loss``).
    taught: str = ""


def split_row(line: str) -> list[str]:
    """The cells of a Markdown table row; ``|`` inside inline code or escaped stays text."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, cell, ticks, i = [], [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            cell.append("|")
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            ticks = 0 if ticks == run else (ticks or run)
            cell.append("`" * run)
            i += run
            continue
        if ch == "|" and not ticks:
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(ch)
        i += 1
    cells.append("".join(cell).strip())
    return cells


def _plain(cell: str) -> str:
    return re.sub(r"\*\*|__|`", "", cell).strip()


def _tables(page: mdpage.Page) -> list[list[tuple[int, str]]]:
    """Runs of consecutive table lines outside fences, comments and formulas."""
    tables: list[list[tuple[int, str]]] = []
    run: list[tuple[int, str]] = []
    for lineno, line in page.prose:
        if line.lstrip().startswith("|") and (not run or run[-1][0] == lineno - 1):
            run.append((lineno, line))
            continue
        if run:
            tables.append(run)
        run = [(lineno, line)] if line.lstrip().startswith("|") else []
    if run:
        tables.append(run)
    return tables


def read_terms(path: Path = GLOSSARY) -> list[Term]:
    """Every row of every table of a glossary page, in page order."""
    page = mdpage.parse(path)
    terms = []
    for table in _tables(page):
        if len(table) < 2 or not SEPARATOR_ROW.match(table[1][1].strip()):
            raise ValueError(f"{page.where(table[0][0])}: a table needs a header and a --- row")
        for lineno, line in table[2:]:
            cells = split_row(line)
            where = page.where(lineno)
            if len(cells) < 4:
                raise ValueError(
                    f"{where}: a glossary row needs term, 中文, avoid and taught-on cells"
                )
            page_link = PAGE_LINK.match(cells[3].strip())
            if page_link is None:
                raise ValueError(
                    f"{where}: the fourth cell must link the page that teaches the term, "
                    f"like [Loss functions](loss.md); got {cells[3]!r}"
                )
            avoid_cell = cells[2].strip()
            avoid = tuple(v.strip() for v in CODE_SPAN.findall(avoid_cell))
            leftover = CODE_SPAN.sub("", avoid_cell).replace("、", "").replace(",", "").strip()
            if avoid_cell not in EMPTY_CELL and (not avoid or leftover):
                raise ValueError(
                    f"{where}: write the variants to avoid as inline code separated by 、 "
                    f"(`a`、`b`), or — for none; got {avoid_cell!r}"
                )
            terms.append(
                Term(_plain(cells[0]), _plain(cells[1]), avoid, where, page_link.group("slug"))
            )
    return terms


def term_problems(terms: list[Term]) -> list[str]:
    """One English term, one Chinese translation; no variant clashes with a translation."""
    problems = []
    for attr, what in (("english", "English term"), ("chinese", "Chinese translation")):
        seen: dict[str, Term] = {}
        for term in terms:
            key = getattr(term, attr)
            if not key:
                problems.append(f"{term.where}: empty {what}")
            elif key.casefold() in seen:
                first = seen[key.casefold()]
                problems.append(f"{term.where}: {what} {key!r} is already used at {first.where}")
            else:
                seen[key.casefold()] = term
    for term in terms:
        for variant in term.avoid:
            for other in terms:
                if variant in other.chinese:
                    problems.append(
                        f"{term.where}: the avoided variant {variant!r} occurs in the "
                        f"translation {other.chinese!r} of {other.english!r} ({other.where})"
                    )
    return problems


def compare(en: list[Term], zh: list[Term]) -> list[str]:
    """The Chinese glossary must list the same (English, 中文, avoid, page) rows in the same
    order."""
    problems = []
    en_rows = [(t.english, t.chinese, t.avoid, t.taught) for t in en]
    zh_rows = [(t.english, t.chinese, t.avoid, t.taught) for t in zh]
    for k, (a, b) in enumerate(zip(en_rows, zh_rows, strict=False)):
        if a != b:
            problems.append(f"{zh[k].where}: row {a} of {en[k].where} reads {b} here")
    if len(en_rows) != len(zh_rows):
        problems.append(f"{len(en_rows)} terms in the English glossary, {len(zh_rows)} in Chinese")
    return problems


def zh_pages(docs: Path = DOCS) -> list[Path]:
    return [p for p in checks.sources(docs) if ".zh." in p.name]


def _scanned_lines(page: mdpage.Page, text: str) -> list[tuple[int, str]]:
    """Front matter and prose lines (headings and tables included), inline code removed."""
    front = mdpage.FRONT_MATTER.match(text)
    lines = [(n + 1, line) for n, line in enumerate(front.group(0).split("\n"))] if front else []
    return [(n, INLINE_CODE.sub("", line)) for n, line in lines + page.prose]


def text_of(path: Path) -> list[tuple[str, str]]:
    """(where, line) for every scanned line of a page, or of a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        found = []
        for k, cell in enumerate(checks.notebook_cells(path), 1):
            if cell.kind != "markdown":
                continue
            page = mdpage.parse(path, cell.source + "\n")
            found += [
                (f"{path}: cell {k}, line {n}", line)
                for n, line in _scanned_lines(page, cell.source)
            ]
        return found
    text = path.read_text(encoding="utf-8")
    page = mdpage.parse(path, text)
    return [(page.where(n), line) for n, line in _scanned_lines(page, text)]


TITLE = re.compile(r"^# (.+?)\s*$", re.M)


def page_title(path: Path) -> str | None:
    """A page's H1 (its first Markdown cell's, for a notebook)."""
    if path.suffix == ".ipynb":
        cells = [c.source for c in checks.notebook_cells(path) if c.kind == "markdown"]
        text = cells[0] if cells else ""
    else:
        text = path.read_text(encoding="utf-8")
    found = TITLE.search(text)
    return found.group(1) if found else None


@functools.cache
def _zh_titles() -> tuple[str, ...]:
    # Read once per process: the tests scan page by page.
    return tuple(sorted({t for p in zh_pages() if (t := page_title(p))}, key=len, reverse=True))


def scan(pages: list[Path], terms: list[Term]) -> list[str]:
    """Every use of an avoided variant on the given Chinese pages, naming page and line.

    A page's title, wherever it is quoted (its H1, a link to it), is left out: the course's
    page list fixes the titles, and one keeps English words (梯度下降、Epoch 与 Batch)."""
    variants = [(v, t) for t in terms for v in t.avoid]
    titles = _zh_titles()
    problems = []
    for path in pages:
        for where, line in text_of(path):
            for title in titles:
                line = line.replace(title, "")
            for variant, term in variants:
                if variant in line:
                    problems.append(
                        f"{where}: {variant!r} is a variant to avoid; the glossary translates "
                        f"{term.english!r} as {term.chinese!r} (docs/glossary.md)"
                    )
    return problems


FRONT_MATTER_LINE = re.compile(r"^(---|[a-z_]+:\s)")
TITLE_LINE = re.compile(r"^\s*(#|!!!|\?\?\?|===)")
LINK_TEXT = re.compile(r"\[[^\]]*\]\([^)\s]*\)")


def _latin_only(text: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in text)


def first_mention_problems(path: Path, terms: list[Term]) -> list[str]:
    """On a Chinese page, a glossary term's first mention in the text (headings aside) must
    give the English in full-width parentheses: 链式法则（chain rule）.

    A term written in Latin letters in Chinese too (softmax, ReLU), or of one character
    (层), needs none. A shorter
    term inside a longer one (梯度 in 梯度下降) is not a mention of its own. Bold around the
    term is allowed: **输入层**（input layer）. Inside the parentheses the English may be
    followed by more (an abbreviation, a plural): （stochastic gradient descent，SGD）.
    """
    # One-character terms (层) are words of everyday Chinese, not terms to annotate.
    wanted = sorted(
        (t for t in terms if not _latin_only(t.chinese) and len(t.chinese) > 1),
        key=lambda t: -len(t.chinese),
    )
    seen: set[str] = set()
    problems = []
    for where, line in text_of(path):
        if TITLE_LINE.match(line) or FRONT_MATTER_LINE.match(line):
            continue  # headings and admonition titles are excepted; front matter is not text
        # A link names a page or a source ([神经网络的结构](structure.md), a paper); its text
        # is a title, not a mention of the terms inside it.
        line = LINK_TEXT.sub(lambda m: "\u3000" * len(m.group(0)), line)
        text = line
        for term in wanted:
            start = 0
            while (k := text.find(term.chinese, start)) != -1:
                start = k + len(term.chinese)
                if term.english not in seen:
                    seen.add(term.english)
                    # Bold around the term, or the term as a link's text, may stand between.
                    after = re.sub(r"^(?:\*\*|\]\([^)\s]*\))*", "", text[start:])
                    english = re.escape(term.english).replace("\\-", "[- ]?").replace("\\ ", "[- ]")
                    if not re.match(rf"（{english}(?:e?s)?(?:[，、；,;].*?)?）", after, re.I):
                        problems.append(
                            f"{where}: the first mention of {term.chinese!r} needs its English "
                            f"in full-width parentheses: {term.chinese}（{term.english}）"
                        )
            # Hide the term so that shorter terms inside it are not counted again.
            text = text.replace(term.chinese, "\u3000" * len(term.chinese))
    return problems


def main() -> int:
    terms = read_terms()
    problems = term_problems(terms) + scan(zh_pages(), terms)
    print("\n".join(problems) or f"{len(terms)} terms; no Chinese page uses an avoided variant")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
