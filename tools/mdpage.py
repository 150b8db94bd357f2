"""Read the structure of a docs page: fences, directives, headings, formulas, images, prose.

One small line-based reader serves every check of the docs (sybil execution, the update
mode, English/Chinese parity, prose numbers, fences that would escape collection), so they
all agree on what a "block" is. It understands the Markdown the site uses: fences opened by
three or more backticks or tildes, indented under content tabs or admonitions, and nested
fences (a ```` fence may show a ``` fence as text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)")
SKIP = re.compile(r"^[ \t]*<!--[ \t]*skip:[ \t]*next[ \t]*(?P<reason>.*?)[ \t]*-->[ \t]*$")
INVISIBLE = re.compile(r"^[ \t]*<!--[ \t]*invisible-code-block:[ \t]*python[ \t]*$")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)

#: Info strings that name Python. Only exactly ``python`` is executed; any other of these
#: would be skipped by the test runner without a word, so the checks reject them.
PYTHONISH = re.compile(r"^\{?\.?(py|python\d*|pycon|ipython\d*|python-repl|py3)\b", re.I)


@dataclass
class Fence:
    """A fenced block: ``start``/``end`` are 0-based line numbers of its fence lines."""

    info: str
    indent: str
    start: int
    end: int
    body: list[str]
    fence: str

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.body)

    @property
    def lineno(self) -> int:
        """1-based line number of the opening fence, as an editor shows it."""
        return self.start + 1


@dataclass
class Block:
    """One executable unit of a page: its code and the output the page shows for it."""

    code: str
    lineno: int
    output: Fence | None = None
    code_fence: Fence | None = None
    skip_reason: str | None = None
    invisible: bool = False


@dataclass
class Page:
    path: Path
    lines: list[str]
    fences: list[Fence] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    prose: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def where(self, lineno: int) -> str:
        return f"{self.path}:{lineno}"


def _dedent(lines: list[str], indent: str) -> list[str]:
    out = []
    for line in lines:
        out.append(line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t"))
    return out


def parse(path: Path | str, text: str | None = None) -> Page:
    """Split a Markdown page into fences, executable blocks, headings, formulas and prose."""
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    page = Page(path=path, lines=lines)

    front = FRONT_MATTER.match(text)
    first_body_line = front.group(0).count("\n") if front else 0

    pending_skip: str | None = None
    i = first_body_line
    in_comment = False
    while i < len(lines):
        line = lines[i]
        if in_comment:
            if "-->" in line:
                in_comment = False
            i += 1
            continue
        m = FENCE_OPEN.match(line)
        if m:
            fence_chars = m.group("fence")
            indent = m.group("indent")
            j = i + 1
            while j < len(lines):
                close = lines[j].strip()
                if close.startswith(fence_chars[0] * len(fence_chars)) and set(close) == {
                    fence_chars[0]
                }:
                    break
                j += 1
            if j == len(lines):
                page.errors.append(f"{page.where(i + 1)}: fence is never closed")
            fence = Fence(
                info=m.group("info"),
                indent=indent,
                start=i,
                end=j,
                body=_dedent(lines[i + 1 : j], indent),
                fence=fence_chars,
            )
            page.fences.append(fence)
            if fence.info == "python":
                block = Block(code=fence.text, lineno=fence.lineno, code_fence=fence)
                block.skip_reason, pending_skip = pending_skip, None
                page.blocks.append(block)
            elif fence.info == "output":
                prev = page.blocks[-1] if page.blocks else None
                gap = lines[prev.code_fence.end + 1 : i] if prev and prev.code_fence else None
                if (
                    prev is None
                    or prev.output is not None
                    or gap is None
                    or any(g.strip() for g in gap)
                ):
                    page.errors.append(
                        f"{page.where(fence.lineno)}: output fence does not follow a python "
                        "fence (only blank lines may stand between them)"
                    )
                else:
                    prev.output = fence
            elif pending_skip is not None:
                page.errors.append(
                    f"{page.where(fence.lineno)}: a skip directive must stand right before "
                    "a python fence"
                )
                pending_skip = None
            i = j + 1
            continue
        skip = SKIP.match(line)
        if skip:
            reason = skip.group("reason").strip().strip("\"'").strip()
            if not reason:
                page.errors.append(f"{page.where(i + 1)}: a skipped block needs a reason")
                reason = "no reason given"
            pending_skip = reason
            i += 1
            continue
        if INVISIBLE.match(line):
            j = i + 1
            while j < len(lines) and "-->" not in lines[j]:
                j += 1
            body = lines[i + 1 : j]
            page.blocks.append(
                Block(code="".join(b + "\n" for b in body), lineno=i + 1, invisible=True)
            )
            i = j + 1
            continue
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            i += 1
            continue
        h = HEADING.match(line)
        if h:
            page.headings.append((i + 1, len(h.group("hashes")), h.group("text")))
        if line.strip() == "$$":
            j = i + 1
            while j < len(lines) and lines[j].strip() != "$$":
                j += 1
            page.formulas.append("\n".join(x.strip() for x in lines[i + 1 : j]))
            i = j + 1
            continue
        page.images.extend(m.group("src") for m in IMAGE.finditer(line))
        page.prose.append((i + 1, line))
        i += 1
    if pending_skip is not None:
        page.errors.append(f"{path}: skip directive at the end of the page skips nothing")
    return page


def escaped_fences(page: Page) -> list[str]:
    """Fences that name Python but are not collected: sybil would skip them silently."""
    found = []
    for fence in page.fences:
        if fence.info == "python" or not PYTHONISH.match(fence.info.strip()):
            continue
        found.append(
            f"{page.where(fence.lineno)}: fence '{fence.fence}{fence.info}' names Python but "
            "is not executed; write exactly ```python (and show output in ```output)"
        )
    return found


def normalise_output(text: str) -> str:
    """Trailing whitespace on each line and trailing blank lines do not count."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
