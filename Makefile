# baocao — the two quick-start commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: run setup dev office test lint report bench bench-scale clean

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

## PDF output needs LibreOffice: installed when this runs as root with apt-get, else a plain hint.
## Never fails: without LibreOffice the app runs and writes DOCX.
office:
	@if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "== Cài LibreOffice để xuất PDF / installing LibreOffice for PDF output (vài phút / a few minutes)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui fonts-liberation >/dev/null) \
	    || echo "(Không cài được LibreOffice: ứng dụng vẫn chạy, chỉ chưa xuất PDF / could not install LibreOffice: no PDF output)"; \
	else \
	  echo "Lưu ý: xuất PDF cần LibreOffice — sudo apt-get install libreoffice-writer-nogui fonts-liberation"; \
	  echo "Note: PDF output needs LibreOffice (command above); the app runs without it and writes DOCX."; \
	fi

## First command: database, catalog, administrative units, demo data, a sample report, then the web app
## (the development server, with DEBUG on; production runs gunicorn, see deploy/).
run: setup office
	$(BIN)/baocao init
	$(BIN)/baocao demo
	$(BIN)/baocao report --unit "Trà Vinh" --period 2022 --out out/bao-cao-tra-vinh-nam-2022.docx
	$(BIN)/baocao report --unit "Trà Vinh" --period "quý I/2020" --out out/bao-cao-tra-vinh-quy-1-2020.docx
	@if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then \
	  $(BIN)/baocao report --unit "Trà Vinh" --period 2022 --out out/bao-cao-tra-vinh-nam-2022.pdf \
	    || echo "(Chưa xuất được PDF / no PDF this time: xem lỗi ở trên / see above)"; \
	else echo "Bỏ qua báo cáo PDF mẫu: chưa có LibreOffice / skipping the sample PDF: no LibreOffice"; fi
	@echo ""
	@echo "Ứng dụng / app: http://$(ADDR)/  — đăng nhập / login: quantri / baocao-demo-2026"
	@echo "Báo cáo mẫu / sample reports: out/"
	BAOCAO_DEBUG=1 $(BIN)/baocao serve $(ADDR)

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
