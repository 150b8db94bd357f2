"""Lighthouse performance and accessibility of the built site, with transfer weights.

Builds the site (``mkdocs build --strict``) into a temporary folder, serves it on 127.0.0.1
the way GitHub Pages does (under ``/nnref/``, text files gzip-compressed: Pages compresses
them, and Lighthouse measures what goes over the wire, so an uncompressed local server
would triple the weights), and runs Lighthouse 12.2.3 with its default mobile preset
(simulated slow 4G, 4x CPU slowdown) on the pages of both goals:

* performance ≥ 0.95 on ``/``, ``/backprop/`` and ``/zh/activations/``, the home page
  ≤ 300 KiB;
* accessibility ≥ 0.98 on ``/``, ``/zh/backprop/``, ``/api/``, ``/zh/training/`` and
  ``/glossary/``, with the audits that fail listed.

Each page gets both scores. Not a test: performance varies from run to run, so each page
is measured ``--runs`` times and the median of each score is shown (accessibility is
deterministic; the browser tests hold the site to axe-core's WCAG rules on every page).

Lighthouse comes from npm into a cache folder outside the repository
(``~/.cache/nnref-lighthouse``), installed on first use; Chromium is Debian's
(``/usr/bin/chromium``, or ``NNREF_CHROMIUM``).

    python benchmarks/site.py [--runs N] [--site DIR] [--reports DIR] [PAGE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.site_server import CHROMIUM_ARGS, build_site, serve  # noqa: E402  (after sys.path)

LIGHTHOUSE_VERSION = "12.2.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nnref-lighthouse"
LIGHTHOUSE = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
PERFORMANCE_PAGES = ["", "backprop/", "zh/activations/"]
ACCESSIBILITY_PAGES = ["", "zh/backprop/", "api/", "zh/training/", "glossary/"]
PAGES = list(dict.fromkeys(PERFORMANCE_PAGES + ACCESSIBILITY_PAGES))
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
SCORE_GOAL = 0.95
ACCESSIBILITY_GOAL = 0.98
HOME_BUDGET_KIB = 300
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def lighthouse() -> Path:
    """The Lighthouse CLI, installed into the cache folder when missing."""
    installed = CACHE / "node_modules" / "lighthouse" / "package.json"
    if installed.is_file():
        version = json.loads(installed.read_text(encoding="utf-8")).get("version")
        if version == LIGHTHOUSE_VERSION:
            return LIGHTHOUSE
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install Lighthouse")
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {CACHE} ...", file=sys.stderr)
    subprocess.run(
        ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
         "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )  # fmt: skip
    return LIGHTHOUSE


def build(site: Path) -> None:
    result = build_site(site)
    if result.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")


def audit(cli: Path, url: str, chrome: str) -> dict:
    result = subprocess.run(
        ["node", str(cli), url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=performance,accessibility",
         f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chrome},
        timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def failing_accessibility(report: dict) -> list[tuple[str, str, int]]:
    """The scored accessibility audits that fail: id, title, how many elements."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"]["accessibility"]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            items = (audit.get("details") or {}).get("items") or []
            failing.append((ref["id"], audit["title"], len(items)))
    return failing


def summary(report: dict) -> dict:
    audits = report["audits"]
    kinds = {
        item["resourceType"]: item["transferSize"] / 1024
        for item in audits["resource-summary"]["details"]["items"]
    }
    return {
        "score": report["categories"]["performance"]["score"],
        "a11y": report["categories"]["accessibility"]["score"],
        "a11y_failing": failing_accessibility(report),
        "weight": audits["total-byte-weight"]["numericValue"] / 1024,
        "metrics": {short: audits[key]["displayValue"] for key, short in METRICS.items()},
        "kinds": kinds,
        "requests": sorted(
            (
                (item["transferSize"] / 1024, item["url"])
                for item in audits["network-requests"]["details"]["items"]
            ),
            reverse=True,
        ),
        "opportunities": [
            (a["title"], a.get("displayValue", ""))
            for a in audits.values()
            if a.get("details", {}).get("type") == "opportunity"
            and (a.get("numericValue") or 0) > 0
            and a.get("score") is not None
            and a["score"] < 1
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help="paths below /nnref/")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--site", type=Path, help="a built site to measure instead of building")
    parser.add_argument("--reports", type=Path, help="keep each page's JSON report here")
    args = parser.parse_args()

    chrome = os.environ.get("NNREF_CHROMIUM", "/usr/bin/chromium")
    if not Path(chrome).is_file():
        sys.exit(f"no Chromium at {chrome} (set NNREF_CHROMIUM)")
    cli = lighthouse()
    with tempfile.TemporaryDirectory(prefix="nnref-site-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        results = {}
        with serve(site, compress=True) as base:
            for page in args.pages:
                reports = [audit(cli, base + page, chrome) for _ in range(args.runs)]
                runs = [summary(report) for report in reports]
                median = statistics.median_low([r["score"] for r in runs])
                chosen = next(i for i, r in enumerate(runs) if r["score"] == median)
                a11y = statistics.median_low([r["a11y"] for r in runs])
                a11y_run = next(r for r in runs if r["a11y"] == a11y)
                results[page] = {
                    **runs[chosen],
                    "all": [r["score"] for r in runs],
                    "a11y": a11y,
                    "a11y_all": [r["a11y"] for r in runs],
                    "a11y_failing": a11y_run["a11y_failing"],
                }
                if args.reports:
                    args.reports.mkdir(parents=True, exist_ok=True)
                    name = (page.strip("/").replace("/", "-") or "home") + ".json"
                    (args.reports / name).write_text(json.dumps(reports[chosen]))

    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile preset, median of {args.runs} run(s)")
    print(
        f"goals: performance ≥ {SCORE_GOAL} on {', '.join('/' + p for p in PERFORMANCE_PAGES)}; "
        f"accessibility ≥ {ACCESSIBILITY_GOAL} on "
        f"{', '.join('/' + p for p in ACCESSIBILITY_PAGES)}\n"
    )
    print(f"{'page':<18} {'perf':>5} {'a11y':>5}  {'weight':>10}  " + "  ".join(METRICS.values()))
    for page, r in results.items():
        flags = []
        if page in PERFORMANCE_PAGES and r["score"] < SCORE_GOAL:
            flags.append(f"performance < {SCORE_GOAL}")
        if page in ACCESSIBILITY_PAGES and r["a11y"] < ACCESSIBILITY_GOAL:
            flags.append(f"accessibility < {ACCESSIBILITY_GOAL}")
        flag = f"  ({'; '.join(flags)})" if flags else ""
        metrics = "  ".join(r["metrics"].values())
        print(
            f"/{page:<17} {r['score']:>5.2f} {r['a11y']:>5.2f}  {r['weight']:>6.0f} KiB  "
            f"{metrics}{flag}"
        )
        kinds = ", ".join(
            f"{k} {v:.0f}" for k, v in sorted(r["kinds"].items(), key=lambda kv: -kv[1])
            if k != "total" and v >= 1
        )  # fmt: skip
        print(
            f"{'':<18} runs {', '.join(f'{s:.2f}' for s in r['all'])} "
            f"(accessibility {', '.join(f'{s:.2f}' for s in r['a11y_all'])}); "
            f"KiB by type: {kinds}"
        )
        for audit_id, title, count in r["a11y_failing"]:
            print(f"{'':<22}accessibility fails: {audit_id} ({count} elements): {title}")
        for size, url in r["requests"][:5]:
            print(f"{'':<22}{size:7.1f} KiB  {url.split('/nnref/', 1)[-1] or '/'}")
        for title, value in r["opportunities"]:
            print(f"{'':<22}opportunity: {title} {value}")
    home = results.get("")
    if home is not None:
        verdict = "within" if home["weight"] <= HOME_BUDGET_KIB else "OVER"
        print(
            f"\nhome page: {home['weight']:.0f} KiB transferred, {verdict} the "
            f"{HOME_BUDGET_KIB} KiB budget"
        )


if __name__ == "__main__":
    main()
