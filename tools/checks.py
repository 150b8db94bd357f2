"""The rules a docs page must keep beyond "its code prints what it shows".

Each function returns a list of problems (empty when the rule holds), each naming the page
and, where it can, the line. The tests in ``tests/test_docs_rules.py`` run them over the
whole site and show each one failing on a bad page.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import tokenize
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tools import mdpage

DOCS = Path(__file__).resolve().parent.parent / "docs"
TAB = re.compile(r'^[ \t]*===\+?[ \t]+"(?P<label>[^"]+)"')
PROSE_NUMBER = re.compile(r"(?<![\w.])[-−]?\d+\.\d{3,}(?![\d])")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<https?://[^>\s]*>|https?://\S+")
OUTPUT_NUMBER = re.compile(r"[-−]?\d+\.\d+(?:[eE][-+]?\d+)?")
TRANSLATION_OF = re.compile(r"^translation_of:[ \t]*(?P<hash>[0-9a-f]+)[ \t]*$", re.M)


# --- pages and their twins ------------------------------------------------------------


def twin_of(path: Path) -> Path:
    """``x.md`` ↔ ``x.zh.md`` and ``x.ipynb`` ↔ ``x.zh.ipynb``."""
    name = path.name
    if ".zh." in name:
        return path.with_name(name.replace(".zh.", ".", 1))
    return path.with_name(f"{path.stem}.zh{path.suffix}")


def sources(docs: Path = DOCS) -> list[Path]:
    return sorted(p for p in docs.rglob("*") if p.suffix in (".md", ".ipynb") and p.is_file())


def missing_twins(docs: Path = DOCS) -> list[str]:
    return [
        f"{p}: its twin {twin_of(p).name} is missing"
        for p in sources(docs)
        if not twin_of(p).exists()
    ]


# --- notebooks seen as pages -------------------------------------------------------------


@dataclass
class Cell:
    kind: str
    source: str
    outputs: list[str]


def notebook_cells(path: Path, text: str | None = None) -> list[Cell]:
    """The cells of a notebook file (or of ``text``, the notebook's JSON)."""
    nb = json.loads(path.read_text(encoding="utf-8") if text is None else text)
    cells = []
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out["text"]
                outputs.append("".join(text) if isinstance(text, list) else text)
            elif "data" in out and "text/plain" in out["data"]:
                text = out["data"]["text/plain"]
                outputs.append("".join(text) if isinstance(text, list) else text)
        cells.append(Cell(cell["cell_type"], source, outputs))
    return cells


def notebook_as_page(path: Path) -> mdpage.Page:
    """Markdown cells become prose, code cells blocks, stream outputs their outputs."""
    lines: list[str] = []
    for cell in notebook_cells(path):
        if cell.kind == "markdown":
            lines += [*cell.source.split("\n"), ""]
        elif cell.kind == "code":
            lines += ["```python", *cell.source.split("\n"), "```", ""]
            text = "".join(o for o in cell.outputs if not o.startswith("<"))
            if text.strip():
                lines += ["```output", *text.rstrip("\n").split("\n"), "```", ""]
    return mdpage.parse(path, "\n".join(lines) + "\n")


def load(path: Path) -> mdpage.Page:
    return notebook_as_page(path) if path.suffix == ".ipynb" else mdpage.parse(path)


# --- parity ------------------------------------------------------------------------------


def code_without_comments(code: str) -> str:
    """The code as Python sees it: comments and blank lines removed."""
    if code.lstrip().startswith(">>>"):
        return "\n".join(line.rstrip() for line in code.split("\n") if line.strip())
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type != tokenize.COMMENT
        ]
        code = tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        code = "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in code.split("\n"))
    return "\n".join(line.rstrip() for line in code.split("\n") if line.strip())


def mask_labels(code: str) -> str:
    """The code with every string value of its `LABELS = {...}` dict replaced by `"…"`.

    A notebook's figures carry words, and the Chinese notebook draws them in Chinese; they
    are the one place besides comments where the two languages' code may differ. The words
    live in one dict named `LABELS` whose keys and values are string literals; its keys, and
    all other code, must still match."""
    # IPython's line magics (%config ...) are no Python; blank them, keeping every offset.
    parsable = "\n".join(
        " " * len(line) if line.lstrip().startswith("%") else line for line in code.split("\n")
    )
    try:
        tree = ast.parse(parsable)
    except SyntaxError:
        return code
    spans = []
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["LABELS"]
            and isinstance(node.value, ast.Dict)
        ):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if not all(
                    isinstance(n, ast.Constant) and isinstance(n.value, str) for n in (key, value)
                ):
                    return code  # not a plain dict of words: compared as it is
                if value.lineno == value.end_lineno:
                    spans.append((value.lineno - 1, value.col_offset, value.end_col_offset))
    lines = code.split("\n")
    for row, start, end in sorted(spans, reverse=True):
        raw = lines[row].encode("utf-8")  # ast counts columns in UTF-8 bytes
        lines[row] = (raw[:start] + '"…"'.encode() + raw[end:]).decode("utf-8")
    return "\n".join(lines)


def tab_labels(page: mdpage.Page) -> list[str]:
    fenced = {n for f in page.fences for n in range(f.start, f.end + 1)}
    return [
        m.group("label")
        for n, line in enumerate(page.lines)
        if n not in fenced and (m := TAB.match(line))
    ]


def parity_problems(en: mdpage.Page, zh: mdpage.Page) -> list[str]:
    """English and Chinese twins: same code, byte-identical output, corresponding shape."""
    problems: list[str] = []
    pair = f"{en.path.name} / {zh.path.name}"
    en_blocks, zh_blocks = en.blocks, zh.blocks
    if len(en_blocks) != len(zh_blocks):
        problems.append(
            f"{pair}: {len(en_blocks)} code blocks in English, {len(zh_blocks)} in Chinese"
        )
    for k, (a, b) in enumerate(zip(en_blocks, zh_blocks, strict=False), 1):
        if code_without_comments(mask_labels(a.code)) != code_without_comments(mask_labels(b.code)):
            problems.append(
                f"{pair}: code block {k} differs (English line {a.lineno}, Chinese line "
                f"{b.lineno}); only comments may be translated"
            )
        a_out = a.output.text if a.output else None
        b_out = b.output.text if b.output else None
        if a_out != b_out:
            problems.append(
                f"{pair}: output of block {k} differs (English line {a.lineno}, Chinese line "
                f"{b.lineno}); outputs must be byte-identical"
            )
        if (a.skip_reason is None) != (b.skip_reason is None):
            problems.append(f"{pair}: block {k} is skipped in one language only")
    en_levels = [level for _, level, _ in en.headings]
    zh_levels = [level for _, level, _ in zh.headings]
    if en_levels != zh_levels:
        problems.append(
            f"{pair}: headings do not correspond: English levels {en_levels}, "
            f"Chinese levels {zh_levels}"
        )
    if en.formulas != zh.formulas:
        problems.append(
            f"{pair}: display formulas differ ({len(en.formulas)} in English, "
            f"{len(zh.formulas)} in Chinese, or their TeX differs)"
        )
    # A figure with words has a Chinese variant (x.zh.svg) that the Chinese page shows.
    zh_images = [re.sub(r"\.zh(\.\w+)$", r"\1", src) for src in zh.images]
    if en.images != zh_images:
        problems.append(f"{pair}: images differ: {en.images} vs {zh.images}")
    if tab_labels(en) != tab_labels(zh):
        problems.append(
            f"{pair}: content tabs differ: {tab_labels(en)} vs {tab_labels(zh)} "
            "(labels stay `NumPy` / `PyTorch` in both languages)"
        )
    return problems


# --- numbers in prose --------------------------------------------------------------------


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace("−", "-"))
    except InvalidOperation:
        return None


def prose_number_problems(page: mdpage.Page) -> list[str]:
    """A number with 3+ decimals in prose must appear, rounded alike, in a checked output."""
    shown: list[Decimal] = []
    texts: list[str] = []
    for block in page.blocks:
        if block.output is not None and block.skip_reason is None:
            texts.append(block.output.text)
            shown += [d for t in OUTPUT_NUMBER.findall(block.output.text) if (d := _decimal(t))]
    output_text = "\n".join(texts).replace("−", "-")
    problems = []
    prose = [(n, line) for n, line in page.prose] + [(0, f) for f in page.formulas]
    for lineno, line in prose:
        # A link's address (a DOI such as 10.1038/323533a0) is not a number the page claims.
        line = LINK_TARGET.sub("", line)
        for match in PROSE_NUMBER.finditer(line):
            text = match.group(0).replace("−", "-")
            if text in output_text:
                continue
            value = _decimal(text)
            places = Decimal(1).scaleb(-len(text.split(".")[1]))
            if any(d.quantize(places) == value for d in shown):
                continue
            where = page.where(lineno) if lineno else f"{page.path} (display formula)"
            problems.append(
                f"{where}: the number {match.group(0)} in the prose appears in no checked "
                "output of the page (rounded to the same places)"
            )
    return problems


# --- stale translations -----------------------------------------------------------------


def english_fingerprint(path: Path, text: str | None = None) -> str:
    """A hash of what a translator translates: the English page less its outputs.

    Output fences are left out because `make update-outputs` rewrites them in both
    languages at once; a change of printed numbers alone needs no new translation.
    ``text`` is the page's content when it is not the file's (an older version from git).
    """
    if path.suffix == ".ipynb":
        cells = notebook_cells(path, text)
        text = "\n".join(f"{c.kind}\n{c.source}" for c in cells)
    else:
        page = mdpage.parse(path, text)
        skip = {
            n
            for b in page.blocks
            if b.output is not None
            for n in range(b.output.start, b.output.end + 1)
        }
        text = "\n".join(line for n, line in enumerate(page.lines) if n not in skip)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def recorded_fingerprint(zh_path: Path) -> str | None:
    if zh_path.suffix == ".ipynb":
        nb = json.loads(zh_path.read_text(encoding="utf-8"))
        return nb.get("metadata", {}).get("nnref", {}).get("translation_of")
    text = zh_path.read_text(encoding="utf-8")
    front = mdpage.FRONT_MATTER.match(text)
    if not front:
        return None
    m = TRANSLATION_OF.search(front.group(0))
    return m.group("hash") if m else None


def stale_translations(docs: Path = DOCS) -> list[str]:
    problems = []
    for zh in sources(docs):
        if ".zh." not in zh.name or not twin_of(zh).exists():
            continue
        want = english_fingerprint(twin_of(zh))
        have = recorded_fingerprint(zh)
        if have != want:
            zh = zh.relative_to(Path.cwd()) if zh.is_relative_to(Path.cwd()) else zh
            problems.append(
                f"{zh}: translates {have or 'an unrecorded state'} of {twin_of(zh).name}, "
                f"which is now {want}; review the translation, then run "
                f"`python tools/translations.py --reviewed {zh}`"
            )
    return problems
