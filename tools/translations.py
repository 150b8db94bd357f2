"""List the Chinese pages whose English original changed since their translation was reviewed.

    python tools/translations.py                      # list pages that need review (exit 1 if any)
    python tools/translations.py --reviewed docs/x.zh.md [...]   # record the review

Each ``*.zh.md`` carries ``translation_of: <hash>`` in its front matter (a notebook: in
``metadata.nnref.translation_of``): the fingerprint of the English page it translates, made
by ``tools.checks.english_fingerprint``. The test suite fails while any record is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
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
    stale = checks.stale_translations(args.docs)
    for line in stale:
        print(line)
    if not stale:
        print("every translation is up to date with its English page")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
