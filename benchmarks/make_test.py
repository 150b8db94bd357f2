"""Wall time of a warm `make test` (and, with --slow, of `make test-slow`), measured here.

Warm means installed: the virtual environment and the npm tools exist, so the targets only
check. Goal (issue 12): `make test` ≤ 60 s on the project's 2-core machine. Not a test:
timings vary with the machine and its load, so run it with nothing else running.

    python benchmarks/make_test.py [--repeat N] [--slow]
"""

from __future__ import annotations

import argparse
import os
import statistics

from docs_check import wall  # the same timing of one command (benchmarks/ is on sys.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--slow", action="store_true", help="also time make test-slow")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    for target in ["test", "test-slow"] if args.slow else ["test"]:
        runs = [wall(["make", target]) for _ in range(args.repeat)]
        each = ", ".join(f"{x:.1f}" for x in runs)
        goal = "  (goal ≤ 60 s)" if target == "test" else ""
        print(f"make {target:<9}: {statistics.median(runs):6.1f} s (runs: {each}){goal}")


if __name__ == "__main__":
    main()
