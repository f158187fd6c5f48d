# The two commands: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := campaigns/head-of-digital-2026.toml

.PHONY: run test check fuzz bench pictures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/assessor $(EXAMPLE)

# Lint, format, types and the import contracts (the layers, and no import cycles).
check: $(VENV)/.installed-test
	$(BIN)/ruff check assessor tests docs
	$(BIN)/ruff format --check assessor tests docs
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The browser and print tests need Debian's Chromium and pdftotext (poppler-utils): installed
# here when missing and we are root; without them those tests are skipped and the rest still run.
# Three workers on two cores (many tests wait on child processes), an idle one taking tests from a busy one. Bytecode is kept (even where the
# environment says not to) so the hundreds of `assessor` processes the tests start compile it once.
test: check
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || (test "$$(id -u)" = 0 && export DEBIAN_FRONTEND=noninteractive \
		&& { apt-get install -y -q chromium poppler-utils || { apt-get update -q && apt-get install -y -q chromium poppler-utils; }; } >/dev/null 2>&1) \
		|| echo "note: no chromium or pdftotext; the browser and print tests will be skipped" >&2
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n 3 --dist worksteal

# The long fuzzing run (tests marked slow): a thousand and more damaged files.
fuzz: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m slow

bench: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -s tests/bench -o python_files='bench_*.py'

# The README's pictures, docs/images/*.svg: Textual's own screenshots of the real app on a copy of
# the example campaign, so they are remade, not redrawn, when a screen changes.
pictures: $(VENV)/.installed-test
	$(BIN)/python docs/pictures.py

clean:
	rm -rf $(VENV) build *.egg-info
