# Set-up and everyday commands. `make run` and `make test` install into .venv when needed.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install browser run index lint test test-fast bench clean

install: $(STAMP)

# torch 2.13.0 first: it comes from the machine's local CPU wheel; letting sentence-transformers
# pull torch on its own would fetch a CUDA build of several GB.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[st,web,speech,dist,test]'
	touch $(STAMP)

# Debian's Chromium and Korean fonts for the browser tests (Playwright drives /usr/bin/chromium;
# it never downloads a browser of its own), and espeak-ng, which speaks the speech tests' audio.
browser:
	@test -x /usr/bin/chromium && test -x /usr/bin/espeak-ng && fc-list 2>/dev/null | grep -qi nanum || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-nanum espeak-ng; }

run: install
	$(VENV)/bin/interview serve --host $(HOST) --port $(PORT)

index: install
	$(VENV)/bin/interview index build

# Lint only (the line length and rules are in pyproject.toml); the tests run after it.
lint: install
	$(VENV)/bin/ruff check .

test: install browser lint
	$(PY) -m pytest

test-fast: install lint
	$(PY) -m pytest -m 'not slow'

bench: install
	$(PY) scripts/bench_foundation.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
