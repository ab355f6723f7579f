# stakeflow: `make demo` runs the flagship analysis, `make test` runs the whole fast suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow test-all lint typecheck check-cases bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/stakeflow run

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser" -q
	@if [ -f ../shared/cases/check.py ]; then $(BIN)/python ../shared/cases/check.py --cli $(BIN)/stakeflow; fi

# Slow property tests and browser tests (CI runs them after `make test`); exit 5 = none collected.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "slow or browser" -q || [ $$? -eq 5 ]

test-all: test test-slow

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
