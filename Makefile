# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make run    the app with the demo school (web + Celery worker + beat), Ctrl-C stops all
#   make test   the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: media-tools run test test-fast lint audit docs docs-serve format browser bench bench-pages bench-load bench-roster bench-clips wrk clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP) media-tools
	$(BIN)/python scripts/run.py

# The suite runs in TEST_WORKERS processes (pytest-xdist), a test module per process at a time,
# each with its own test database, job queue, Celery worker and browser.
TEST_WORKERS ?= 2
XDIST = -n $(TEST_WORKERS) --dist loadfile

test: $(STAMP) browser media-tools $(NODE_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(XDIST) --durations=30

# Everything but the browser tests and the whole-app smoke test.
test-fast: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(XDIST) -m "not e2e and not slow"

# The documentation site (MkDocs, mkdocs.yml): built into var/site; strict, so a broken link or
# anchor fails the build (CI runs it).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8001

# Benchmarks (bench/README.md): district-sized data on PostgreSQL, figures in var/bench/.
bench: $(STAMP)
	$(BIN)/python bench/briefs.py

# Pages under gunicorn + wrk (Debian's wrk; installed when missing and we may use apt).
bench-pages: $(STAMP) wrk
	$(BIN)/python bench/pages.py

# Coaches, teachers and principals at work at once under gunicorn, 60 s (bench/load.py).
bench-load: $(STAMP) wrk
	$(BIN)/python bench/load.py

# A district-sized OneRoster bundle imported: dry run, import, the same again, a newer one.
bench-roster: $(STAMP)
	$(BIN)/python bench/roster.py

# A 10-minute 720p lesson clip: chunked upload through the views, the job's ffprobe/ffmpeg, a seek.
bench-clips: $(STAMP) media-tools
	$(BIN)/python bench/clips.py

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk not found: apt-get install wrk"; exit 2; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security checks (docs/testing.md "Security checks"): bandit over our code (settings in pyproject.toml),
# pip-audit over the pins of requirements.txt (scripts/audit_deps.py says what it could check).
audit: $(STAMP)
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/python scripts/audit_deps.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive Debian's Chromium (never a browser downloaded by a tool).
# Installed when missing and we may use apt; otherwise those tests say why they skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver >/dev/null) || echo "Could not install chromium"; \
	  else echo "chromium not found: browser tests will be skipped (apt-get install chromium)"; fi; }

# ffmpeg and ffprobe (Debian's) read a video clip's length and make its poster image.
media-tools:
	@command -v ffmpeg >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's ffmpeg for video clips"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      ffmpeg >/dev/null) || echo "Could not install ffmpeg"; \
	  else echo "ffmpeg not found: video clips get no poster or length (apt-get install ffmpeg)"; fi; }

# axe-core for the accessibility browser test, at the version package-lock.json pins.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "npm not found: the accessibility test needs axe-core from npm (Debian: apt-get install npm)"; \
	  exit 2; }
	npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
