# vlabib: `make test` and `make tex` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test test-fast tex bench build lint check fmt clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The whole suite; TeX Live (and poppler) are installed first if missing, as for 'make tex'.
test: $(STAMP)
	bash scripts/texlive.sh --tests
	bash scripts/node-tools.sh
	bash scripts/browser.sh
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest src tests

# A quick run while working: lint, then every test but those that run TeX, drive Chromium
# or wait on purpose (markers tex, browser, slow). 'make test' and CI run everything.
test-fast: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/pytest src tests -m "not (tex or browser or slow)"

# Regenerate everything, check it, then compile latex/main.pdf (TeX Live is installed if
# missing). 'vlabib pdf' runs latexmk with no shell escape, no latexmkrc and no file access
# outside latex/.
tex: $(STAMP)
	bash scripts/texlive.sh
	$(BIN)/vlabib build
	$(BIN)/vlabib check
	$(BIN)/vlabib pdf

# Speed against the peers at 1k/10k/100k papers, as ratios measured in one run (installs
# pybtex with pip and bibtex-tidy with npm; about 15 minutes).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@test -x .bench/node_modules/.bin/bibtex-tidy || npm install --silent --prefix .bench bibtex-tidy
	$(BIN)/python bench/run.py

build: $(STAMP)
	$(BIN)/vlabib build

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/vlabib check

fmt: $(STAMP)
	$(BIN)/vlabib fmt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
	# -norc: a latexmkrc in latex/ (a co-author's, from Overleaf) is never run.
	cd latex && latexmk -norc -C main.tex >/dev/null 2>&1 || true
