# vlabib: `make test` and `make tex` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test lint check fmt clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/pytest src tests

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/vlabib check

fmt: $(STAMP)
	$(BIN)/vlabib fmt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
