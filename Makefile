# baocao — the two quick-start commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: run setup dev test lint report bench bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## First command: database, catalog, administrative units, demo data, a sample report, then the web app.
run: setup
	$(BIN)/baocao init
	$(BIN)/baocao demo
	$(BIN)/baocao report --unit "Trà Vinh" --period 2022 --out out/bao-cao-tra-vinh-nam-2022.docx
	$(BIN)/baocao report --unit "Trà Vinh" --period "quý I/2020" --out out/bao-cao-tra-vinh-quy-1-2020.docx
	@# PDF needs LibreOffice (apt-get install libreoffice-writer-nogui); the app runs without it.
	-$(BIN)/baocao report --unit "Trà Vinh" --period 2022 --out out/bao-cao-tra-vinh-nam-2022.pdf
	@echo ""
	@echo "Ứng dụng / app: http://$(ADDR)/  — đăng nhập / login: quantri / baocao-demo-2026"
	@echo "Báo cáo mẫu / sample reports: out/"
	$(BIN)/baocao serve $(ADDR)

## Second command: install what the tests need and run the whole suite (SQLite, then PostgreSQL if reachable).
test: dev
	scripts/run_tests.sh

## Linters and type checks.
lint: dev
	$(BIN)/ruff check baocao tests bench
	$(BIN)/mypy baocao/core baocao/extraction

## Extraction accuracy against the gold files.
bench: dev
	$(BIN)/python bench/score_extraction.py

## National-scale benchmark on PostgreSQL (builds, measures and drops its own database).
bench-scale: dev
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf $(VENV) var out
