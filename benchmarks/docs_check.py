"""Wall time of the docs checks against a bare `import torch`, measured in one run.

The docs checks are every ```python block of the site run and compared with its output
(sybil over docs/), plus the page rules (parity, prose numbers, escaping fences). Most of
their cost is importing torch once, so the reference is a bare `python -c "import torch"`
timed in the same run on the same machine. Goal: ratio ≤ 3. Not a test: timings vary.

    python benchmarks/docs_check.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_CHECKS = [
    sys.executable,
    "-m",
    "pytest",
    "-q",
    "docs",
    "tests/test_docs_rules.py",
    "-p",
    "no:cacheprovider",
]
IMPORT_TORCH = [sys.executable, "-c", "import torch"]


def wall(command: list[str]) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wall(IMPORT_TORCH)  # warm the file cache for both
    docs = [wall(DOCS_CHECKS) for _ in range(args.repeat)]
    torch = [wall(IMPORT_TORCH) for _ in range(args.repeat)]
    d, t = statistics.median(docs), statistics.median(torch)
    for label, runs, median in (("docs checks", docs, d), ("import torch", torch, t)):
        each = ", ".join(f"{x:.2f}" for x in runs)
        print(f"{label:<15}: {median:6.2f} s (median of {args.repeat}: {each})")
    print(f"{'ratio':<15}: {d / t:6.2f}  (goal ≤ 3)")


if __name__ == "__main__":
    main()
