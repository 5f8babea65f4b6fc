# Sahara Legends — `make run` serves the game, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?=

.PHONY: all install run test test-fast test-browser contracts bench lint clean vendor browser

## `make` alone installs and recompiles the contracts when their sources changed.
all: install chain/artifacts/SaharaToken.json

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python >= 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	@touch $@

# `npm install` (not `npm ci`): the lock pins every version, but the registry here omits
# other platforms' optional anvil binaries from it, which `npm ci` refuses.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# The browser's libraries, copied from node_modules and served from static/ (no CDN).
VENDOR := frontend/static/vendor
VENDORED := $(VENDOR)/ethers.min.js $(VENDOR)/socket.io.esm.min.js

$(VENDOR)/ethers.min.js: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/ethers/dist/ethers.min.js $@

$(VENDOR)/socket.io.esm.min.js: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $@

vendor: $(VENDORED)

install: $(VENV)/.installed node_modules/.installed $(VENDORED)

## Debian's Chromium for the browser tests (tests/e2e), driven by Playwright; never a download.
browser:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

## Recompile the Solidity suite into chain/artifacts (pinned solc-js).
contracts: node_modules/.installed
	node scripts/compile.mjs

chain/artifacts/SaharaToken.json: $(shell find chain/contracts -name '*.sol') scripts/compile.mjs | node_modules/.installed
	node scripts/compile.mjs

## Migrate, start the devnet, deploy the suite and serve http://127.0.0.1:5000.
run: install
	$(VENV)/bin/legends up

## The whole suite: unit, integration (devnet, PostgreSQL, Redis) and contract tests.
test: install browser
	bash scripts/run-tests.sh $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest tests/unit -q

## The browser tests alone (tests/e2e, marked `browser`).
test-browser: install browser
	$(PY) -m pytest tests/e2e -m browser -q

## Benchmarks (print tables; see docs/benchmarks.md).
bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules .pytest_cache $(VENDOR) test-output
