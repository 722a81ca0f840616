# The two README commands, `make crawl` and `make test`, set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Extra arguments: make crawl ARGS="-a seeds=my.txt", make test PYTEST_ARGS="-k warc"
ARGS ?=
PYTEST_ARGS ?=
# make browse / make replay: the database, and the WARC files replay reads
DB ?= archive/archive.db
WARC ?= archive/warc
# pytest exits 5 when it collects nothing. That fails `make test` unless a selection that
# may legitimately match nothing says so with ALLOW_NO_TESTS=1.
ALLOW_NO_TESTS ?= 0

.PHONY: crawl test demo browse replay lint clean viewer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# The pip a fresh venv has cannot resolve trafilatura's lxml extras (FIELD-NOTES).
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

crawl: $(VENV)/.installed
	$(BIN)/scrapy crawl seeds $(ARGS)

demo: $(VENV)/.installed
	$(BIN)/crawler demo $(ARGS)

# make browse DB=archive/demo/archive.db (after make demo)
browse: $(VENV)/.installed
	$(BIN)/crawler browse --db $(DB) $(ARGS)

# make replay WARC=archive/demo/warc DB=/tmp/rebuilt.db
replay: $(VENV)/.installed
	$(BIN)/crawler replay $(WARC) --db $(DB) $(ARGS)

# replayweb.page for `crawler browse` (AGPL, fetched from the npm registry, never committed)
viewer: $(VENV)/.installed
	$(BIN)/crawler browse --setup-viewer

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: lint
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
	  if [ "$(ALLOW_NO_TESTS)" = 1 ]; then \
	    echo "pytest collected no tests; allowed by ALLOW_NO_TESTS=1"; exit 0; \
	  else \
	    echo "pytest collected no tests: failing (set ALLOW_NO_TESTS=1 if that is expected)"; \
	    exit 1; \
	  fi; \
	fi; exit $$status

clean:
	rm -rf $(VENV) .venv-pywb .pytest_cache .ruff_cache
