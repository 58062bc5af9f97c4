# beancount-ar: `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LEDGER ?= ledger/example.beancount
AS_OF  ?= 2026-11-30
PORT   ?= 5000
# The demo's interest report: the open invoices and those settled since this day.
MONTH_START = $(word 1,$(subst -, ,$(AS_OF)))-$(word 2,$(subst -, ,$(AS_OF)))-01
SLUG   := seed-consulting-receivables-example
STAMP  := $(VENV)/.installed

.PHONY: install system-tools demo test test-fast lint typecheck pytest bench wheel-test clean

install: system-tools $(STAMP)

system-tools:
	@bash scripts/system-tools.sh

# Reinstall only when the package's declaration changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: install
	@echo "== bean-check $(LEDGER)"
	$(BIN)/bean-check $(LEDGER)
	@echo
	$(BIN)/bean-ar aging $(LEDGER) --as-of $(AS_OF)
	@echo
	$(BIN)/bean-ar overdue $(LEDGER) --as-of $(AS_OF)
	@echo
	$(BIN)/bean-ar dunning $(LEDGER) --as-of $(AS_OF)
	@echo
	$(BIN)/bean-ar escalations $(LEDGER) --as-of $(AS_OF)
	@echo
	$(BIN)/bean-ar disputes $(LEDGER) --as-of $(AS_OF)
	@echo
	$(BIN)/bean-ar interest $(LEDGER) --as-of $(AS_OF) --from $(MONTH_START)
	@echo
	$(BIN)/bean-ar bill $(LEDGER) --through $(AS_OF) --dry-run
	@echo
	$(BIN)/bean-ar deposit $(LEDGER) --from Assets:Undeposited --to Assets:Bank:Checking --date $(AS_OF)
	@echo
	$(BIN)/bean-ar match $(LEDGER) ledger/receipts.beancount
	@echo
	@echo "== Fava with the Receivables and Collections pages as of $(AS_OF), as above (Ctrl-C to stop):"
	@echo "   http://127.0.0.1:$(PORT)/$(SLUG)/extension/Receivables/?time=$(AS_OF)"
	@echo "   http://127.0.0.1:$(PORT)/$(SLUG)/extension/Collections/?time=$(AS_OF)"
	$(BIN)/fava --host 127.0.0.1 --port $(PORT) $(LEDGER)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# The contract tests alone (no browser, PDF engine, git or fresh venv): about 10 s.
test-fast: install
	$(BIN)/python -m pytest -q -m contract

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
