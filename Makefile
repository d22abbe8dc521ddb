# PIU Lab: the two commands are `make demo` and `make test`.
# Both create .venv with the machine's python3 when it is missing and install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= dev,postgres,views
SERVE_ARGS ?=
DEMO_ARGS ?=

.PHONY: demo test setup lint typecheck imports unit bench serve screenshots clean help

help:
	@echo "make demo   - set up, build the embedded database, fill it with synthetic traffic, serve"
	@echo "make test   - set up, run the quality gate (ruff, mypy --strict, lint-imports) and pytest"
	@echo "make bench  - run the benchmarks in benchmarks/ and print the results tables"
	@echo "make serve  - serve the dashboards of the existing database with Voila on 127.0.0.1"
	@echo "make screenshots - PNGs of the dashboards on a fresh demo database (docs/screenshots/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy --strict piu_lab

imports: setup
	$(BIN)/lint-imports

unit: setup
	$(BIN)/python -m pytest --cov --cov-report=term $(PYTEST_ARGS)

test: lint typecheck imports unit

demo: setup
	$(BIN)/piu-lab demo $(DEMO_ARGS)

serve: setup
	$(BIN)/piu-lab serve $(SERVE_ARGS)

# PNGs of the dashboards on a fresh synthetic demo database (needs /usr/bin/chromium)
screenshots: setup
	$(BIN)/python benchmarks/bench_views.py --screenshots-only

bench: setup
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS),bench]"
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage build *.egg-info
