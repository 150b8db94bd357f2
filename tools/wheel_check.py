"""Build the wheel, install it in a fresh virtual environment, and run two pages against it.

`make test` imports nnref from the checkout (an editable install), so it cannot notice a
wheel that lacks a module or a data file, or an extra that does not pull what the code
needs. This script checks what a reader gets from ``pip install "nnref[torch]"``:

1. ``python -m build`` (sdist, then the wheel from the sdist, as the release workflow
   does) into a temporary folder outside the checkout; the wheel must hold the ``nnref``
   package and its metadata only, the sdist no tests, tools, docs or build junk;
2. a fresh venv (``python -m venv``) gets the wheel with its ``[torch]`` extra, plus pytest
   and sybil, all under ``-c requirements/constraints.txt``; on Linux and Windows torch is
   held to the ``+cpu`` build of the pinned release, so a CUDA build is never downloaded;
3. the blocks of ``PAGES`` run with the site's own docs plugin (``tools/docs_plugin.py``)
   and their outputs are compared with the pages, from a scratch folder that holds copies
   of the pages, of ``RUNNER_FILES`` and a minimal conftest: neither the checkout nor its
   ``nnref/`` is on ``sys.path``, and the run fails unless nnref comes from the venv's
   site-packages.

Run by ``make test-wheel``; takes about a minute (most of it installing torch). Prints a
short report; exits 1 with the failing output on any failure. ``--keep`` keeps the
temporary folder (wheel, venv, scratch pages) for a look afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This process reads the pages with the checkout's tools/; only the venv's runs must not see
# the checkout (they import nnref from site-packages).
sys.path.insert(0, str(ROOT))
from tools import mdpage  # noqa: E402  (after sys.path)

CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

#: One page that exercises the NumPy twin (no page uses NumPy alone: every concept page
#: shows both twins side by side) and the page that is about PyTorch only.
PAGES = ("docs/structure.md", "docs/pytorch-example.md")
#: What the docs plugin needs from the checkout: itself and what it imports from tools/.
RUNNER_FILES = ("tools/__init__.py", "tools/docs_plugin.py", "tools/mdpage.py")
#: Installed next to the wheel: what runs the pages (versions from the constraints).
RUNNER_REQUIREMENTS = ("pytest", "sybil")
#: The build frontend, the same release as in .github/workflows/release.yml.
BUILD_REQUIREMENT = "build==1.6.1"

CONFTEST = '''\
"""Written by tools/wheel_check.py: the site's docs plugin, run against the installed nnref."""

import json
import os
import sys
import sysconfig
from pathlib import Path

import pytest

pytest_plugins = ["tools.docs_plugin"]

CHECKOUT = Path(os.environ["NNREF_CHECKOUT"]).resolve()
OUTCOMES = {}


def _origin():
    import nnref

    return Path(nnref.__file__).resolve()


def pytest_report_header(config):
    return f"nnref from {_origin()}"


def pytest_sessionstart(session):
    origin = _origin()
    purelib = Path(sysconfig.get_paths()["purelib"]).resolve()
    on_path = [p for p in sys.path if p and Path(p).resolve() == CHECKOUT]
    if not origin.is_relative_to(purelib) or origin.is_relative_to(CHECKOUT) or on_path:
        raise pytest.UsageError(
            f"nnref comes from {origin}, not from the venv's {purelib} "
            f"(checkout on sys.path: {bool(on_path)})"
        )


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        page = report.nodeid.partition("::")[0]
        OUTCOMES.setdefault(page, []).append(report.outcome)


def pytest_sessionfinish(session, exitstatus):
    record = {"nnref": str(_origin()), "outcomes": OUTCOMES}
    Path(os.environ["NNREF_WHEEL_CHECK_RECORD"]).write_text(json.dumps(record))
'''

PYTEST_INI = """\
[pytest]
addopts = -ra -p no:cacheprovider
filterwarnings = error
"""

#: Printed by the venv's Python: where nnref, numpy and torch come from.
PROBE = """\
import json, sys, sysconfig
import nnref, nnref.numpy, nnref.gradcheck, nnref.example
numpy_twin_pulls_torch = any(m == "torch" or m.startswith("torch.") for m in sys.modules)
import nnref.torch, numpy, torch
print(json.dumps({
    "python": sys.version.split()[0],
    "nnref": nnref.__file__,
    "nnref_version": nnref.__version__,
    "purelib": sysconfig.get_paths()["purelib"],
    "numpy": numpy.__version__,
    "torch": torch.__version__,
    "cuda": torch.version.cuda,
    "numpy_twin_pulls_torch": numpy_twin_pulls_torch,
}))
"""

#: Top-level names that must never be in the sdist.
SDIST_JUNK = {"node_modules", "site", ".venv", "tests", "tools", "hooks", "docs", "build", "dist"}


class CheckFailed(Exception):
    pass


def _env() -> dict[str, str]:
    """The environment of every child: nothing that would put the checkout on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.pop("VIRTUAL_ENV", None)
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def _run(command: list[str | Path], what: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise CheckFailed(
            f"{what} failed (exit {result.returncode}):\n$ {' '.join(map(str, command))}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pinned(name: str) -> str:
    """The version of ``name`` in requirements/constraints.txt."""
    pattern = re.compile(rf"^{re.escape(name)}==(\S+)\s*(?:#.*)?$", re.I)
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line.strip())
        if match:
            return match[1]
    raise CheckFailed(f"{name} is not pinned in {CONSTRAINTS.relative_to(ROOT)}")


def wheel_problems(wheel: Path) -> list[str]:
    """The wheel holds ``nnref/`` (with ``py.typed``) and its ``.dist-info`` only."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names}
    problems = [
        f"{wheel.name}: unexpected {top}/"
        for top in sorted(tops)
        if top != "nnref" and not (top.startswith("nnref-") and top.endswith(".dist-info"))
    ]
    for needed in ("nnref/__init__.py", "nnref/numpy/__init__.py", "nnref/torch/__init__.py"):
        if needed not in names:
            problems.append(f"{wheel.name}: {needed} is missing")
    if "nnref/py.typed" not in names:
        problems.append(f"{wheel.name}: nnref/py.typed is missing")
    return problems


def sdist_problems(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    tops = {parts[1] for name in names if len(parts := name.split("/")) > 1}
    return [f"{sdist.name}: holds {top}/" for top in sorted(tops & SDIST_JUNK)]


def build(work: Path) -> tuple[Path, Path]:
    builder = work / "build-venv"
    _run([sys.executable, "-m", "venv", builder], "creating the build venv", cwd=work)
    python = _venv_python(builder)
    _run([python, "-m", "pip", "install", "-q", BUILD_REQUIREMENT], "installing build", cwd=work)
    dist = work / "dist"
    _run([python, "-m", "build", "--outdir", dist, ROOT], "python -m build", cwd=work)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise CheckFailed(f"expected one wheel and one sdist in {dist}: {os.listdir(dist)}")
    problems = wheel_problems(wheels[0]) + sdist_problems(sdists[0])
    if problems:
        raise CheckFailed("the distributions hold the wrong files:\n" + "\n".join(problems))
    return wheels[0], sdists[0]


def install(work: Path, wheel: Path) -> tuple[Path, dict]:
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", venv], "creating the venv", cwd=work)
    python = _venv_python(venv)
    torch = pinned("torch")
    command = [python, "-m", "pip", "install", "-q", "-c", CONSTRAINTS]
    if sys.platform.startswith(("linux", "win32")) and "+" not in torch:
        # PyPI's torch for Linux and Windows is a multi-GB CUDA build; +cpu exists only on
        # the PyTorch CPU index (PIP_EXTRA_INDEX_URL in CI) or a local wheel.
        cpu = work / "cpu-constraints.txt"
        cpu.write_text(f"torch=={torch}+cpu\n", encoding="utf-8")
        command += ["-c", cpu]
    command += [f"{wheel}[torch]", *RUNNER_REQUIREMENTS]
    try:
        _run(command, "installing the wheel", cwd=work)
    except CheckFailed as error:
        hint = (
            f"\n(torch=={torch}+cpu comes from the PyTorch CPU index: "
            "PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu)"
        )
        raise CheckFailed(str(error) + hint) from None
    _run([python, "-m", "pip", "check"], "pip check", cwd=work)
    probe = json.loads(_run([python, "-c", PROBE], "importing nnref in the venv", cwd=work))
    origin, purelib = Path(probe["nnref"]).resolve(), Path(probe["purelib"]).resolve()
    problems = []
    if not origin.is_relative_to(purelib) or origin.is_relative_to(ROOT):
        problems.append(f"nnref imported from {origin}, not from {purelib}")
    if probe["numpy_twin_pulls_torch"]:
        problems.append("importing nnref.numpy (and gradcheck, example) imports torch")
    if probe["torch"].split("+")[0] != torch.split("+")[0] or probe["cuda"] is not None:
        problems.append(f"torch {probe['torch']} (CUDA {probe['cuda']}), not the CPU {torch}")
    if probe["numpy"] != pinned("numpy"):
        problems.append(f"numpy {probe['numpy']}, not the pinned {pinned('numpy')}")
    if problems:
        raise CheckFailed("the venv is not what it should be:\n" + "\n".join(problems))
    return venv, probe


def expected_items(page: Path) -> int:
    """What the docs plugin collects from a page: its structure check and each block."""
    return 1 + len(mdpage.parse(page).blocks)


def run_pages(work: Path, venv: Path) -> dict:
    scratch = work / "pages"
    for name in (*PAGES, *RUNNER_FILES):
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    (scratch / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (scratch / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    record_path = work / "outcomes.json"
    env = _env() | {"NNREF_CHECKOUT": str(ROOT), "NNREF_WHEEL_CHECK_RECORD": str(record_path)}
    command = [_venv_python(venv), "-m", "pytest", "-q", *PAGES]
    # cwd is the scratch folder: `-m pytest` puts it (tools/, conftest.py) on sys.path.
    result = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0 or not record_path.is_file():
        raise CheckFailed(f"the pages failed against the installed wheel:\n{output}")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    problems = []
    for page in PAGES:
        outcomes = record["outcomes"].get(page, [])
        expected = expected_items(ROOT / page)
        if len(outcomes) != expected or "failed" in outcomes:
            problems.append(f"{page}: {len(outcomes)} results {outcomes}, expected {expected}")
    if problems:
        raise CheckFailed("\n".join(problems) + f"\n{output}")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="nnref-wheel-check-")).resolve()
    if work.is_relative_to(ROOT):
        print(f"wheel check: the temporary folder {work} lies inside the checkout; set TMPDIR")
        return 2
    timings: dict[str, float] = {}
    try:
        step = time.monotonic()
        wheel, sdist = build(work)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
        timings["build"] = time.monotonic() - step
        step = time.monotonic()
        venv, probe = install(work, wheel)
        timings["install"] = time.monotonic() - step
        step = time.monotonic()
        record = run_pages(work, venv)
        timings["pages"] = time.monotonic() - step
    except CheckFailed as error:
        print(f"wheel check FAILED after {time.monotonic() - start:.0f} s\n{error}")
        print(f"(kept {work})" if args.keep else "")
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"wheel check passed in {time.monotonic() - start:.0f} s", end=" ")
    print("(" + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ")")
    print(f"  wheel  {wheel.name} (sha256 {digest}…), sdist {sdist.name}: contents as expected")
    print(f"  venv   {venv}{'' if args.keep else ' (removed)'}: Python {probe['python']}, ", end="")
    print(f"numpy {probe['numpy']}, torch {probe['torch']}; nnref.numpy loads no torch")
    print(f"  nnref  {probe['nnref_version']} from {record['nnref']}")
    for page in PAGES:
        outcomes = record["outcomes"][page]
        counts = {o: outcomes.count(o) for o in ("passed", "skipped") if o in outcomes}
        print(f"  {page:<28}" + ", ".join(f"{n} {o}" for o, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
