# Two commands take a fresh clone to a result: `make demo` and `make test`.
# Both create .venv (reused while pyproject.toml is unchanged) and get Graphviz's `dot` if missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup graphviz browser test-tools demo test test-thorough lint docs bench bench-big bench-ledger bench-skills samples schema clean

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV): pip installs tracer and its extras (about a minute, only the first time; quiet until done)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,spark,fides,prov,standards,docs]'
	touch $(STAMP)

# Graphviz's dot draws .svg/.png/.pdf; Chromium (Debian's, never one Playwright downloads) runs
# the report's browser test. apt-get where we may use it, otherwise one line on how to get them.
graphviz:
	@tools/ensure-packages dot:graphviz

browser:
	@tools/ensure-packages dot:graphviz chromium:chromium

# everything the suite runs besides Python: dot, Chromium, and Java for the Spark ledger's tests.
# Missing ones are skipped and named in the summary; under CI=true they fail the run instead.
test-tools:
	@tools/ensure-packages dot:graphviz chromium:chromium java:default-jre-headless

# writes ./demo/: traces/ and diagrams/ of every interaction, ecosystem.svg, report.html, and a
# ledger of a synthetic log (ledger/) with its summary (ledger-summary.md); `tracer demo --help`
demo: setup
	$(BIN)/tracer demo -o demo

# hypothesis profile: dev (quick) by default, ci (derandomized, more examples) when CI=true
test: setup test-tools
	$(BIN)/python -m pytest

# the properties at many more examples (docs/testing.md): tens of minutes
test-thorough: setup test-tools
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest

# The corrupted-model property (tests/test_fuzz.py) at length: `make fuzz FUZZ_EXAMPLES=100000`
.PHONY: fuzz
FUZZ_EXAMPLES ?= 5000
fuzz: setup
	@echo "make fuzz: $(FUZZ_EXAMPLES) examples per property; at 5000 it takes about 7 minutes on 2 cores"
	TRACER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz.py

lint: setup
	$(BIN)/ruff check tracer tests benchmarks samples tools
	$(BIN)/ruff format --check .

# the documentation site (docs/, mkdocs.yml) into build/site; --strict fails on a broken link
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# rewrites a committed sample only when it changed, not when Graphviz only laid it out a few points
# apart (another machine, another version): `make samples FORCE=1` redraws every one
samples: setup
	$(BIN)/python samples/generate.py $(if $(FORCE),--force)

# the JSON Schema of tracer/1, from the models (tests/test_interop_schema.py fails when it is stale)
schema: setup
	$(BIN)/tracer export schema -o docs/tracer-1.schema.json

# the benchmarks print their tables; `make bench DOC=docs/performance.md` also writes them into
# the page (the committed figures are the lead's, on an idle machine: not every run's)
DOC ?=
WRITE = $(if $(DOC),--write $(DOC))
bench: setup
	$(BIN)/python benchmarks/bench.py $(WRITE)

# 100,000 and 300,000 holders, one run each, no C loader tree and no drawing (the time those take)
bench-big: setup
	$(BIN)/python benchmarks/bench.py --sizes 100000 300000 --runs 1 --draw-up-to 10000 --no-commands --marker bench-big $(WRITE)

# the ledger at 1,000,000 events (BENCH_LEDGER="--events 10000000 --users 100000" for the full size)
BENCH_LEDGER ?= --events 1000000 --spark-events 1000000
bench-ledger: setup
	$(BIN)/python benchmarks/bench_ledger.py $(BENCH_LEDGER) $(WRITE)

# a synthetic catalogue of 100,000 skills; the ledger at the goal's 10,000,000 events on its
# skills (about a minute on 2 cores; BENCH_SKILLS="--events 1000000" for a quicker look)
BENCH_SKILLS ?= --skills 100000 --events 10000000 --users 100000
bench-skills: setup
	$(BIN)/python benchmarks/bench_skills.py $(BENCH_SKILLS) --write docs/performance.md

clean:
	rm -rf $(VENV) demo build *.egg-info .pytest_cache .hypothesis
