# Two commands take a fresh clone to a result: `make demo` and `make test`.
# Both create .venv (reused while pyproject.toml is unchanged) and get Graphviz's `dot` if missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup graphviz demo test lint bench samples clean

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# apt-get where it exists and we may use it (root, or sudo without a password); otherwise one
# line on how to get it: every output but .svg/.png/.pdf works without Graphviz.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Graphviz (apt-get install graphviz)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    echo "Installing Graphviz (sudo apt-get install graphviz)..."; \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's dot was not found: install it (apt-get install graphviz, brew install graphviz) for .svg/.png/.pdf; JSON, Mermaid and Markdown work without it."; \
	  fi; }

demo: setup
	$(BIN)/tracer demo -o demo

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check tracer tests benchmarks

samples: setup
	$(BIN)/python samples/generate.py

bench: setup
	$(BIN)/python benchmarks/bench.py --write docs/performance.md

clean:
	rm -rf $(VENV) demo build *.egg-info .pytest_cache .hypothesis
