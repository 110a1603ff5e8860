# awrach-analysis — run `make` to list the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
KERNEL := awrach-analysis

.DEFAULT_GOAL := help
.PHONY: help report test lint bench lab sample notebooks system-deps clean plotly-bundle lock audit reveal js-axe

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

JUPYTER_CONFIG := $(VENV)/etc/jupyter/jupyter_config.json

$(STAMP_RUN): pyproject.toml etc/jupyter/jupyter_config.json | $(PY)
	$(PY) -m pip install --quiet -e .
	@# Notebook exports (jupyter nbconvert --to html, JupyterLab's Export) load no script from a CDN.
	install -D -m 644 etc/jupyter/jupyter_config.json $(JUPYTER_CONFIG)
	@touch $@

$(STAMP_DEV): pyproject.toml $(STAMP_RUN)
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (awrach-analysis)" >/dev/null
	@touch $@

report: $(STAMP_RUN) ## Install into .venv and build the latest monthly report of the bundled data
	$(BIN)/awrach report

# axe-core for the browser tests' accessibility checks, from the npm registry (locked).
AXE := js/axe/node_modules/axe-core/axe.min.js

$(AXE): js/axe/package.json js/axe/package-lock.json
	cd js/axe && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

js-axe: $(AXE) ## Install axe-core (npm, js/axe/package-lock.json) for the browser tests

# Without npm (a machine that skipped system-deps) the axe tests skip, unless CI requires them.
test: $(STAMP_DEV) $(if $(shell command -v npm),$(AXE)) ## Install dev dependencies and run the whole test suite
	$(BIN)/ruff check awrach_analysis tests benchmarks notebooks
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP_DEV) ## Run ruff on the code and notebooks
	$(BIN)/ruff check awrach_analysis tests benchmarks notebooks
	$(BIN)/ruff format --check awrach_analysis tests benchmarks
	$(BIN)/lint-imports

# The other scripts print their own detail first; the national table (one table: the
# national sample, validation, loads, indicators, reports, notebooks, the headline against
# naive pandas and DuckDB SQL) comes last. It runs the notebooks itself.
bench: $(STAMP_DEV) ## Measure performance (medians of several runs), ending with one national table
	$(PY) benchmarks/run.py
	$(PY) benchmarks/bench_store.py
	$(PY) benchmarks/backtest.py
	$(PY) benchmarks/bench_national.py

sample: $(STAMP_RUN) ## Regenerate data/sample/ from the generator (deterministic)
	$(BIN)/awrach sample --out data/sample

plotly-bundle: ## Rebuild the vendored plotly.js (awrach_analysis/assets/) from the npm registry (needs node, npm)
	cd js/plotly-bundle && npm ci --no-audit --no-fund --ignore-scripts && node build.js

LOCK := requirements/lock.txt
STAMP_LOCK := $(VENV)/.installed-lock

$(STAMP_LOCK): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lock]"
	@touch $@

lock: $(STAMP_LOCK) ## Regenerate requirements/lock.txt (exact versions of core + [dev]) with pip-compile
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	  --no-emit-find-links --unsafe-package awrach-analysis --upgrade --output-file $(LOCK) \
	  pyproject.toml

audit: $(STAMP_LOCK) ## Check requirements/lock.txt against the PyPI advisory database (needs network)
	$(BIN)/pip-audit --strict --progress-spinner off --no-deps --disable-pip -r $(LOCK)

REVEAL_NPM := js/reveal/node_modules/reveal.js
REVEAL_OUT := awrach_analysis/assets/revealjs

reveal: ## Vendor reveal.js (awrach_analysis/assets/revealjs/) from the npm registry, pinned by js/reveal/package-lock.json (needs node, npm)
	cd js/reveal && npm ci --no-audit --no-fund --ignore-scripts
	rm -rf $(REVEAL_OUT)
	install -D -m 644 $(REVEAL_NPM)/LICENSE $(REVEAL_OUT)/LICENSE
	install -D -m 644 $(REVEAL_NPM)/dist/reveal.js $(REVEAL_OUT)/dist/reveal.js
	install -D -m 644 $(REVEAL_NPM)/dist/reveal.css $(REVEAL_OUT)/dist/reveal.css
	install -D -m 644 $(REVEAL_NPM)/dist/theme/white.css $(REVEAL_OUT)/dist/theme/white.css
	install -D -m 644 $(REVEAL_NPM)/plugin/notes/notes.js $(REVEAL_OUT)/plugin/notes/notes.js
	node -p "require('./$(REVEAL_NPM)/package.json').version" > $(REVEAL_OUT)/VERSION

LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): | $(STAMP_DEV)
	@mkdir -p $(dir $@)
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $@

lab: $(STAMP_DEV) $(LAB_OVERRIDES) ## Start JupyterLab on the notebooks with the project's kernel (offline: no news or update checks)
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" -eq 0 ] && echo --allow-root)

system-deps: ## Install Debian packages for browser tests, PDF printing, LibreOffice round trips and npm (axe-core) (needs root)
	@if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && \
	$$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core fonts-noto-core libreoffice-calc-nogui nodejs >/dev/null && \
	{ command -v npm >/dev/null || $$SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }

clean: ## Remove the venv, caches and rendered reports
	rm -rf $(VENV) .pytest_cache .ruff_cache reports/*/ reports/index.html
