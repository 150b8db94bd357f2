# nnref: two commands for a new machine, `make serve` and `make test`.
# Every target installs what it needs first (a virtual environment in .venv/ with the
# pinned set of requirements/constraints.txt, and the site's npm tools in node_modules/).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install serve test test-slow test-wheel check build update-outputs figures translations lint format bench clean

help:
	@echo "make serve          install if needed, then serve the site on http://127.0.0.1:8000"
	@echo "make test           install if needed, then run every check but the slow ones (a minute)"
	@echo "make test-slow      the browser tests and the update-mode round trips (CI runs both)"
	@echo "make test-wheel     build the wheel, install it in a fresh venv, run two pages against it"
	@echo "make check PAGE=x   check one page pair in seconds: code, outputs, parity, glossary, order"
	@echo "make build          strict build of the site into site/"
	@echo "make update-outputs rewrite the outputs of every page and notebook from what the code prints"
	@echo "make figures        regenerate the SVG figures in docs/assets/figures/"
	@echo "make translations   list Chinese pages whose English original changed since review"
	@echo "make format         format the code with ruff"
	@echo "make bench          run the benchmarks in benchmarks/"

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "nnref needs Python >= 3.11, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

serve: $(STAMP)
	NNREF_SITE_URL=http://127.0.0.1:8000/ $(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict --site-dir site

# Every core runs tests (pytest-xdist); a sybil page must stay on one worker: --dist loadfile.
# The root conftest.py schedules the long files first (hence --no-loadscope-reorder) and lets
# the two notebooks run side by side. The browser tests and the long round trips run in
# `test-slow`; .ci/run runs both targets.
TIERS_FAST := not browser and not slow
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder -m "$(TIERS_FAST)"
	@# Every check passed: record this environment for the footer stamp (hooks/stamp.py).
	$(PY) -m hooks.stamp record
	@echo "make test: the browser tests and the update-mode round trips were not run here; make test-slow runs them, and CI runs both."

test-slow: $(STAMP)
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder -m "not ($(TIERS_FAST))"

# What a reader gets from pip: the built wheel, in a fresh venv outside the repository,
# runs one NumPy and one PyTorch page with their outputs checked (about a minute).
test-wheel: $(STAMP)
	$(PY) tools/wheel_check.py

# One page pair (docs/$(PAGE).md and its translation): its blocks and the rules about it.
check: $(STAMP)
	@test -n "$(PAGE)" || { echo "usage: make check PAGE=backprop"; exit 2; }
	$(PY) -m pytest -q --page $(PAGE) $(wildcard docs/$(PAGE).md docs/$(PAGE).zh.md) \
		tests/test_docs_rules.py tests/test_glossary.py tests/test_order.py tests/test_trailer.py \
		$(if $(wildcard docs/$(PAGE).ipynb),tests/test_notebooks.py)

update-outputs: $(STAMP)
	$(PY) -m pytest docs --update-outputs -q
	$(PY) -m tests.test_notebooks docs/*.ipynb

figures: $(STAMP)
	$(PY) tools/figures.py

translations: $(STAMP)
	$(PY) tools/translations.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) benchmarks/docs_check.py
	$(PY) benchmarks/train_digits.py
	$(PY) benchmarks/backprop_cost.py
	$(PY) benchmarks/site.py
	$(PY) benchmarks/make_test.py

clean:
	rm -rf site .pytest_cache .ruff_cache .hypothesis .cache
