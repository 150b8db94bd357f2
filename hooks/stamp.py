"""MkDocs hook: every page's footer says which Python, NumPy and PyTorch its checks passed on.

`make test` ends, once every check has passed, by recording the environment it ran in
(``python -m hooks.stamp record``): the three versions, the date, and a fingerprint of
everything that decides what a page prints (``docs/``, ``nnref/``, ``tools/``, ``hooks/``,
``mkdocs.yml``, the pinned requirements). The build reads that record and writes the stamp
into the footer of each page, in the page's language, only if the record's versions are the
versions of the environment running the build and its fingerprint is the fingerprint of
the files being built. Otherwise the footer says that this build's checks were not run.
Nothing in the stamp is typed by hand; the Pages workflow runs `make test` and `make build`
in one job, so the published stamp is that job's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import platform
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(".cache") / "verified.json"
#: What decides the printed outputs and the pages: a change to any of it voids the record.
INPUTS = ("docs", "nnref", "tools", "hooks", "mkdocs.yml", "requirements/constraints.txt")
FOOTER = '<div class="md-copyright">'


def environment() -> dict[str, str]:
    """The versions of the running environment (torch: "none" where it is not installed)."""

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "none"

    return {
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "torch": version("torch"),
    }


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        base = root / name
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def record(root: Path = ROOT, today: dt.date | None = None) -> dict[str, str]:
    """Write the record of a passed check run (called by `make test` after the tests)."""
    entry = {
        **environment(),
        "date": (today or dt.datetime.now(dt.UTC).date()).isoformat(),
        "fingerprint": fingerprint(root),
    }
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry, indent=1) + "\n", encoding="utf-8")
    return entry


def verified(root: Path = ROOT) -> dict[str, str] | None:
    """The record, if it was made in this environment for these very files; else None."""
    try:
        entry = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same_env = all(entry.get(k) == v for k, v in environment().items())
    return entry if same_env and entry.get("fingerprint") == fingerprint(root) else None


def stamp(lang: str, entry: dict[str, str] | None) -> str:
    """The footer's sentence, in English or Chinese."""
    env = entry or environment()
    py, np_ = env["python"], env["numpy"]
    if env["torch"] == "none":
        torch = "未安装 PyTorch" if lang == "zh" else "without PyTorch"
    else:
        torch = f"PyTorch {env['torch']}"
    if lang == "zh":
        if entry:
            return (
                f"本站于 {entry['date']} 用 Python {py}、NumPy {np_} 和 {torch} 验证："
                "每个 Python 代码块都打印出了页面上显示的输出。"
            )
        return f"本次构建使用 Python {py}、NumPy {np_} 和 {torch}，但未运行检查。"
    if entry:
        return (
            f"Verified with Python {py}, NumPy {np_} and {torch} on {entry['date']}: "
            "every Python block printed the output shown."
        )
    return (
        f"Built with Python {py}, NumPy {np_} and {torch}; the checks were not run for this build."
    )


_entry: dict[str, str] | None = None


def on_pre_build(config):
    global _entry  # read once per build: every page gets the same stamp
    _entry = verified()


def on_post_page(output, page, config):
    # mkdocs-static-i18n builds each language with its own theme language (as hooks/a11y.py).
    lang = str(config.theme.get("language") or "en")
    if FOOTER not in output:
        raise PluginError(f"hooks/stamp.py: no {FOOTER} in {page.file.src_uri}")
    text = html.escape(stamp(lang, _entry))
    return output.replace(FOOTER, f'{FOOTER}\n    <div class="nnref-stamp">{text}</div>', 1)


if __name__ == "__main__":
    if sys.argv[1:] != ["record"]:
        sys.exit("usage: python -m hooks.stamp record")
    print("recorded for the footer:", json.dumps(record()))
