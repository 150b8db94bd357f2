"""Root conftest: the docs checks (sybil over docs/ and the package's docstrings), and how
the tests share pytest-xdist's workers under `make test`."""

from __future__ import annotations

import pytest

pytest_plugins = ["tools.docs_plugin"]

#: Test files, or single tests, that take seconds, longest first (measured with
#: `--durations=0`): scheduled before the rest so that no worker ends alone on a long one.
LONG_FIRST = (
    "tests/test_site_pages.py",  # builds the site (about 12 s) for the tests that need it
    "tests/test_notebooks.py::test_notebook_runs_and_prints_its_committed_outputs",
    "tests/test_figures.py",  # draws every figure (about 12 s)
    "tests/test_site.py",
    "tests/test_workflows.py",
)
#: Tests whose cases may run on different workers: each notebook takes about 10 s.
SPREAD = ("tests/test_notebooks.py::test_notebook_runs_and_prints_its_committed_outputs[",)


def _rank(nodeid: str) -> int:
    return next((i for i, p in enumerate(LONG_FIRST) if nodeid.startswith(p)), len(LONG_FIRST))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A stable sort: the blocks of a page keep their order.
    items.sort(key=lambda item: _rank(item.nodeid))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadfile`, except that the cases of a SPREAD test are units of their own.

    A sybil page must stay on one worker (its blocks share one namespace), and so must a
    module whose fixtures are built once: both hold under loadfile. (`--dist loadgroup`
    would be the usual way to split one file, but with pytest 9.2 it silently stops
    grouping: pytest-xdist issue 1386.)"""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SPREAD):
                return nodeid
            return super()._split_scope(nodeid)

    return Scheduling(config, log)
