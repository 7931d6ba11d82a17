# The two commands a newcomer needs: `make run` and `make test`.
# PROFILE=prod selects the production profile (PostgreSQL tracker store, Redis lock store).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PROFILE ?= default
ENDPOINTS := $(if $(filter prod,$(PROFILE)),endpoints.prod.yml,endpoints.yml)
WORKERS ?= 1
# CHANNELS=all adds Telegram and Slack (credentials.channels.yml; their env vars must be set).
CREDENTIALS := $(if $(filter all,$(CHANNELS)),credentials.channels.yml,credentials.yml)
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
# No usage telemetry to Rasa's servers from training, tests or a clinic's server.
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test test-unit test-prod lint audit system system-prod venv build train lock bench services services-stop clean review

run: train
	@echo "==> Starting the action server and Rasa (about a minute; Ctrl-C stops both)"
	@$(PY) -m bot serve --profile $(PROFILE) --endpoints $(ENDPOINTS) --credentials $(CREDENTIALS) --workers $(WORKERS)

test: system train
	@echo "==> Running every test (6-8 minutes on 2 cores; real servers and a real browser)"
	$(PY) -m pytest tests $(PYTEST_ARGS)

# The pure tests: no server, no model, no system package (under a minute, most of it imports).
test-unit: build
	$(PY) -m pytest tests/unit -m "not slow" $(PYTEST_ARGS)

# The conversation and reliability tests again, against the production profile: PostgreSQL +
# Redis (started on loopback by the tests, scripts/services.py), two Rasa instances with two Sanic
# workers each, sharing one action server, behind nginx (deploy/nginx/oih.conf, bot/front.py).
test-prod: system-prod train
	@echo "==> Running the production-profile tests (PostgreSQL + Redis, 2 Rasa instances with 2 workers each, behind nginx)"
	OIH_TEST_PROFILE=prod $(PY) -m pytest tests/conversation tests/reliability $(PYTEST_ARGS)

# Debian packages the tests need: installed when run as root, otherwise the one command to run is
# printed (scripts/system_packages.sh holds the lists). `make test` needs chromium only; the
# production profile adds postgresql, redis-server and nginx.
system:
	@scripts/system_packages.sh
system-prod:
	@scripts/system_packages.sh prod

# ruff (rules in ruff.toml), pinned in requirements-dev.txt, in a small venv of its own
# (build/tools): linting needs none of the project's dependencies and never changes .venv.
TOOLS := build/tools
lint: $(TOOLS)/.installed
	$(TOOLS)/bin/ruff check .
$(TOOLS)/.installed: requirements-dev.txt scripts/find_python.sh
	@echo "==> Installing the linter into $(TOOLS) (once; about 10 seconds)"
	@PYBIN=$$(scripts/find_python.sh) || exit 1; rm -rf $(TOOLS) && $$PYBIN -m venv $(TOOLS) && \
	 $(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt && touch $@

# Known vulnerabilities in every pin of constraints.txt (pip-audit in a throw-away venv; needs the
# network to OSV or PyPI, else it says SKIPPED). Fails only on findings the pins can fix; those held
# by Rasa 3.6's own pins are listed (docs/production.md). AUDIT_ARGS=--required: fail when offline.
audit: venv
	$(PY) scripts/audit_deps.py $(AUDIT_ARGS)

# The printable review packet for a clinician: every answer beside the source passages it cites,
# its content hash and what changed since its sign-off (docs/review.md). No model needed.
review: venv
	$(PY) -m bot review

# One pip resolve of the direct requirements under the exact pins of constraints.txt. The stamp
# holds the hash of both files, so the venv is rebuilt only when they change.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt constraints.txt scripts/find_python.sh
	@echo "==> Installing the Python packages into $(VENV) (first time, or after the requirements change: 2-3 minutes)"
	@PYBIN=$$(scripts/find_python.sh) || exit 1; \
	 echo "Using $$PYBIN"; \
	 [ -x $(PY) ] || $$PYBIN -m venv $(VENV); \
	 $(PY) -m pip install --quiet --upgrade "pip<24.1" && \
	 start=$$(date +%s); \
	 $(PY) -m pip install --quiet -r requirements.txt -c constraints.txt && \
	 echo "Dependencies installed in $$(( $$(date +%s) - start )) s." && \
	 touch $@

build: venv
	@echo "==> Generating training data and domain responses from knowledge/ (seconds)"
	@$(PY) -m bot build

train: build
	@echo "==> Training the model when its inputs changed (2-4 minutes; seconds when up to date)"
	@$(PY) -m bot train

# Our bot against the stock `rasa init` bot (trains both in temporary folders; ~10 min on 2 cores):
# prints a table and writes bench/results.md. BENCH_ARGS="--model models/oih.tar.gz" skips our training.
bench: build
	$(PY) bench/run_bench.py $(BENCH_ARGS)

# PostgreSQL + Redis on loopback for `make run PROFILE=prod` on one machine (docs/operations.md, production profile):
#   eval "$$(make -s services)"; make run PROFILE=prod WORKERS=2
services: venv
	@$(PY) scripts/services.py start

services-stop:
	@$(PY) scripts/services.py stop

# Refresh constraints.txt from a clean resolve of requirements.txt (needs network to the registry).
lock:
	@PYBIN=$$(scripts/find_python.sh) || exit 1; rm -rf /tmp/oih-lock && $$PYBIN -m venv /tmp/oih-lock && \
	 /tmp/oih-lock/bin/pip install --quiet "pip<24.1" && /tmp/oih-lock/bin/pip install --quiet -r requirements.txt && \
	 (echo "# Exact versions for one reproducible resolve (pip freeze of a clean install of requirements.txt)."; \
	  echo "# Regenerate with: make lock"; /tmp/oih-lock/bin/pip freeze) > constraints.txt

clean:
	rm -rf build models .pytest_cache
