"""The glossary as data: read its tables, and scan the Chinese pages for avoided variants.

``docs/glossary.md`` is the single source of the site's terminology. Every row of every
table on that page starts with three term columns::

    | English term | 中文 | variants to avoid | explanation ... |

The third cell lists the variants as inline code separated by ``、`` or commas
(```偏差```), or holds ``—`` when there is nothing to avoid. ``docs/glossary.zh.md`` shows
the same rows with translated headers and explanations; its term columns must match.

A Chinese page (``docs/*.zh.md``, or a Markdown cell of ``docs/*.zh.ipynb``) must not use an
avoided variant outside code: fences, inline code, HTML comments and display formulas are
not scanned, everything else is (front matter, headings, tables, prose).

    python tools/glossary.py      # scan every Chinese page; exit 1 if a variant is used
"""

from __future__ import annotations

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
SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    avoid: tuple[str, ...]
    where: str


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
            if len(cells) < 3:
                raise ValueError(f"{where}: a glossary row needs term, 中文 and avoid cells")
            avoid_cell = cells[2].strip()
            avoid = tuple(v.strip() for v in CODE_SPAN.findall(avoid_cell))
            leftover = CODE_SPAN.sub("", avoid_cell).replace("、", "").replace(",", "").strip()
            if avoid_cell not in EMPTY_CELL and (not avoid or leftover):
                raise ValueError(
                    f"{where}: write the variants to avoid as inline code separated by 、 "
                    f"(`a`、`b`), or — for none; got {avoid_cell!r}"
                )
            terms.append(Term(_plain(cells[0]), _plain(cells[1]), avoid, where))
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
    """The Chinese glossary must list the same (English, 中文, avoid) rows in the same order."""
    problems = []
    en_rows = [(t.english, t.chinese, t.avoid) for t in en]
    zh_rows = [(t.english, t.chinese, t.avoid) for t in zh]
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


def scan(pages: list[Path], terms: list[Term]) -> list[str]:
    """Every use of an avoided variant on the given Chinese pages, naming page and line."""
    variants = [(v, t) for t in terms for v in t.avoid]
    problems = []
    for path in pages:
        for where, line in text_of(path):
            for variant, term in variants:
                if variant in line:
                    problems.append(
                        f"{where}: {variant!r} is a variant to avoid; the glossary translates "
                        f"{term.english!r} as {term.chinese!r} (docs/glossary.md)"
                    )
    return problems


def main() -> int:
    terms = read_terms()
    problems = term_problems(terms) + scan(zh_pages(), terms)
    print("\n".join(problems) or f"{len(terms)} terms; no Chinese page uses an avoided variant")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
