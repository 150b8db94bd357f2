"""List the Chinese pages whose English original changed since their translation was reviewed,
and show the translator which blocks of the English page changed.

    python tools/translations.py                      # list pages that need review (exit 1 if any)
    python tools/translations.py --reviewed docs/x.zh.md [...]   # record the review

For each stale page it prints the English blocks (headings, paragraphs, formulas, code and
outputs) that differ from the version the translation was reviewed against, as a diff. That
version is found in git: the newest commit of the English file whose fingerprint equals the
recorded one. Without git, or when the reviewed version was never committed, it says so and
the translator compares the whole page.

Each ``*.zh.md`` carries ``translation_of: <hash>`` in its front matter (a notebook: in
``metadata.nnref.translation_of``): the fingerprint of the English page it translates, made
by ``tools.checks.english_fingerprint``. The test suite fails while any record is stale.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import checks, mdpage


def record(zh: Path) -> str:
    fingerprint = checks.english_fingerprint(checks.twin_of(zh))
    if zh.suffix == ".ipynb":
        nb = json.loads(zh.read_text(encoding="utf-8"))
        nb.setdefault("metadata", {}).setdefault("nnref", {})["translation_of"] = fingerprint
        zh.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return fingerprint
    text = zh.read_text(encoding="utf-8")
    line = f"translation_of: {fingerprint}"
    front = mdpage.FRONT_MATTER.match(text)
    if front is None:
        text = f"---\n{line}\n---\n\n{text}"
    elif checks.TRANSLATION_OF.search(front.group(0)):
        text = checks.TRANSLATION_OF.sub(line, front.group(0), count=1) + text[front.end() :]
    else:
        text = front.group(0)[:-4] + f"{line}\n---\n" + text[front.end() :]
    zh.write_text(text, encoding="utf-8")
    return fingerprint


@dataclass(frozen=True)
class Chunk:
    """One block of a page as a translator sees it."""

    kind: str  # heading, paragraph, formula, code, output, cell
    text: str
    lineno: int  # 1-based line in the page (a notebook: the cell number)


def _markdown_chunks(path: Path, text: str, offset: int = 0) -> list[Chunk]:
    page = mdpage.parse(path, text)
    fences = {f.start: f for f in page.fences}
    front = mdpage.FRONT_MATTER.match(text)
    lines, chunks, k = page.lines, [], front.group(0).count("\n") if front else 0
    while k < len(lines):
        line = lines[k]
        if not line.strip():
            k += 1
            continue
        if k in fences:
            fence = fences[k]
            kind = "output" if fence.info == "output" else "code"
            chunks.append(Chunk(kind, "\n".join(lines[k : fence.end + 1]), offset + k + 1))
            k = fence.end + 1
            continue
        if line.strip() == "$$":
            end = next((j for j in range(k + 1, len(lines)) if lines[j].strip() == "$$"), k)
            chunks.append(Chunk("formula", "\n".join(lines[k : end + 1]), offset + k + 1))
            k = end + 1
            continue
        if mdpage.HEADING.match(line):
            chunks.append(Chunk("heading", line, offset + k + 1))
            k += 1
            continue
        start = k
        while k < len(lines) and lines[k].strip() and k not in fences and lines[k].strip() != "$$":
            k += 1
            if k < len(lines) and mdpage.HEADING.match(lines[k]):
                break
        chunks.append(Chunk("paragraph", "\n".join(lines[start:k]), offset + start + 1))
    return chunks


def chunks(path: Path, text: str) -> list[Chunk]:
    """The blocks of a page (or notebook) whose content is ``text``."""
    if path.suffix != ".ipynb":
        return _markdown_chunks(path, text)
    found = []
    for n, cell in enumerate(checks.notebook_cells(path, text), 1):
        if cell.kind == "markdown":
            found += [Chunk(c.kind, c.text, n) for c in _markdown_chunks(path, cell.source + "\n")]
        else:
            found.append(Chunk("code", cell.source, n))
            found += [Chunk("output", o, n) for o in cell.outputs if not o.startswith("<")]
    return found


def reviewed_version(en: Path, fingerprint: str | None) -> tuple[str, str] | None:
    """(commit, text) of the newest committed English page with that fingerprint."""
    if not fingerprint:
        return None
    cwd = en.resolve().parent
    try:
        log = subprocess.run(
            ["git", "log", "--format=%h", "--", en.name],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for commit in log:
            text = subprocess.run(
                ["git", "show", f"{commit}:./{en.name}"],
                cwd=cwd,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if checks.english_fingerprint(en, text) == fingerprint:
                return commit, text
    except (OSError, subprocess.CalledProcessError):
        return None
    return None


def changes(en: Path, old: str, new: str) -> list[str]:
    """A readable diff of the blocks that differ between two versions of a page."""
    before, after = chunks(en, old), chunks(en, new)
    unit = "cell" if en.suffix == ".ipynb" else "line"
    matcher = difflib.SequenceMatcher(
        a=[(c.kind, c.text) for c in before], b=[(c.kind, c.text) for c in after], autojunk=False
    )
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = before[a0:a1], after[b0:b1]
        where = f"{en.name} {unit} {news[0].lineno}" if news else f"was {unit} {olds[0].lineno}"
        kinds = sorted({c.kind for c in olds + news})
        verb = {"replace": "changed", "delete": "removed", "insert": "added"}[op]
        out.append(f"  {verb} {', '.join(kinds)} ({where}):")
        old_lines = [line for c in olds for line in c.text.split("\n")]
        new_lines = [line for c in news for line in c.text.split("\n")]
        for line in difflib.ndiff(old_lines, new_lines):
            if line[:1] in "-+":
                out.append(f"    {line}")
    return out


def report(docs: Path) -> list[str]:
    """Every stale translation, each followed by what changed in its English page."""
    lines = []
    for problem in checks.stale_translations(docs):
        lines.append(problem)
        zh = Path(problem.split(":", 1)[0])
        zh = zh if zh.is_absolute() else Path.cwd() / zh
        en = checks.twin_of(zh)
        found = reviewed_version(en, checks.recorded_fingerprint(zh))
        if found is None:
            lines.append(
                "  the reviewed English version is not in git history: compare the whole page"
            )
            continue
        commit, old = found
        diff = changes(en, old, en.read_text(encoding="utf-8"))
        lines.append(f"  what changed in {en.name} since the reviewed version ({commit}):")
        lines += diff or ["  only whitespace or outputs changed"]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviewed", nargs="+", type=Path, metavar="ZH_PAGE")
    parser.add_argument("--docs", type=Path, default=checks.DOCS)
    args = parser.parse_args(argv)
    if args.reviewed:
        for zh in args.reviewed:
            if ".zh." not in zh.name:
                parser.error(f"{zh} is not a Chinese page (expected a name like x.zh.md)")
            print(f"{zh}: translation_of {record(zh)}")
        return 0
    stale = report(args.docs)
    for line in stale:
        print(line)
    if not stale:
        print("every translation is up to date with its English page")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
