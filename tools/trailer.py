"""The trailer every content page ends with: Summary, Check yourself, Further reading.

* ``## Summary {#summary}`` (zh ``小结``): 3 to 5 bullets.
* ``## Check yourself {#exercises}`` (zh ``练一练``): 3 to 5 exercises, each opened by
  ``**Exercise N.**`` (zh ``**练习 N：**``), numbered from 1, and each followed by a collapsed
  ``??? success "Solution"`` (zh ``"参考答案"``) holding at least one executed ``python`` block
  with its ``output``. A notebook writes the solution as a Markdown cell opening with
  ``**Solution**`` (zh ``**参考答案**``) followed by code cells with outputs.
* ``## Further reading {#further-reading}`` (zh ``延伸阅读``): at least two links.

These three are the page's last level-2 headings, in this order.

    python tools/trailer.py      # check every content page; exit 1 on a problem
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import checks, mdpage, order  # noqa: E402  (the repo root must be importable first)

SECTIONS = {
    "en": (
        ("Summary", "summary"),
        ("Check yourself", "exercises"),
        ("Further reading", "further-reading"),
    ),
    "zh": (("小结", "summary"), ("练一练", "exercises"), ("延伸阅读", "further-reading")),
}
EXERCISE = {
    "en": re.compile(r"^\*\*Exercise (\d+)\.\*\*\s"),
    "zh": re.compile(r"^\*\*练习 (\d+)：\*\*\S"),
}
SOLUTION = {"en": '??? success "Solution"', "zh": '??? success "参考答案"'}
NOTEBOOK_SOLUTION = {"en": "**Solution**", "zh": "**参考答案**"}
BULLET = re.compile(r"^[-*] \S")
LINK = re.compile(r"\]\((?:https?://|[\w./-]+\.(?:md|ipynb))")


def _language(path: Path) -> str:
    return "zh" if ".zh." in path.name else "en"


def content_pages(docs: Path = checks.DOCS) -> list[Path]:
    path = order.learning_path()
    return [p for p in checks.sources(docs) if order.page_of(p) in path]


def _sections(page: mdpage.Page) -> list[tuple[int, str]]:
    """(0-based line, heading text) of every level-2 heading."""
    return [(n - 1, text) for n, level, text in page.headings if level == 2]


def trailer_problems(path: Path) -> list[str]:
    lang = _language(path)
    page = checks.load(path)
    where = page.where
    h2 = _sections(page)
    want = [f"{title} {{#{anchor}}}" for title, anchor in SECTIONS[lang]]
    got = [text for _, text in h2[-3:]]
    if got != want:
        return [f"{path}: the last level-2 headings must be {want}; found {got}"]
    starts = [line for line, _ in h2[-3:]] + [len(page.lines)]
    summary, exercises, reading = (page.lines[a + 1 : b] for a, b in itertools.pairwise(starts))
    problems = []

    bullets = [line for line in summary if BULLET.match(line)]
    if not 3 <= len(bullets) <= 5:
        problems.append(f"{where(starts[0] + 1)}: the summary has {len(bullets)} bullets; 3 to 5")

    numbers = [int(m.group(1)) for line in exercises if (m := EXERCISE[lang].match(line))]
    if not 3 <= len(numbers) <= 5:
        problems.append(f"{where(starts[1] + 1)}: {len(numbers)} exercises; 3 to 5")
    elif numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"{where(starts[1] + 1)}: exercises numbered {numbers}; 1 to n in order")
    problems += _solution_problems(page, lang, starts[1], starts[2])

    if len([line for line in reading if LINK.search(line)]) < 2:
        problems.append(f"{where(starts[2] + 1)}: further reading needs at least two links")
    return problems


def _solution_problems(page: mdpage.Page, lang: str, first: int, end: int) -> list[str]:
    """Each exercise is followed, before the next one, by a solution with a checked block."""
    marker = NOTEBOOK_SOLUTION[lang] if page.path.suffix == ".ipynb" else SOLUTION[lang]
    openings = [k for k in range(first, end) if EXERCISE[lang].match(page.lines[k])]
    problems = []
    for k, start in enumerate(openings):
        stop = openings[k + 1] if k + 1 < len(openings) else end
        solution = next(
            (j for j in range(start, stop) if page.lines[j].strip().startswith(marker)), None
        )
        if solution is None:
            problems.append(f"{page.where(start + 1)}: the exercise has no {marker}")
            continue
        checked = [
            b
            for b in page.blocks
            if b.code_fence is not None
            and solution < b.code_fence.start < stop
            and b.output is not None
            and b.skip_reason is None
        ]
        if not checked:
            problems.append(
                f"{page.where(solution + 1)}: the solution needs an executed python block "
                "with its output"
            )
    return problems


def main() -> int:
    problems = [p for path in content_pages() for p in trailer_problems(path)]
    print("\n".join(problems) or "every content page ends with its trailer")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
