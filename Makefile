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

.PHONY: run test test-prod venv build train lock bench services services-stop clean review

run: train
	$(PY) -m bot serve --profile $(PROFILE) --endpoints $(ENDPOINTS) --credentials $(CREDENTIALS) --workers $(WORKERS)

test: train
	$(PY) -m pytest tests $(PYTEST_ARGS)

# The conversation and reliability tests again, against the production profile: PostgreSQL +
# Redis (started on loopback by the tests, scripts/services.py), two Rasa instances with two Sanic
# workers each, sharing one action server. Needs `apt-get install postgresql redis-server`.
test-prod: train
	OIH_TEST_PROFILE=prod $(PY) -m pytest tests/conversation tests/reliability $(PYTEST_ARGS)

# The printable review packet for a clinician: every answer beside the source passages it cites,
# its content hash and what changed since its sign-off (docs/review.md). No model needed.
review: venv
	$(PY) -m bot review

# One pip resolve of the direct requirements under the exact pins of constraints.txt. The stamp
# holds the hash of both files, so the venv is rebuilt only when they change.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt constraints.txt scripts/find_python.sh
	@PYBIN=$$(scripts/find_python.sh) || exit 1; \
	 echo "Using $$PYBIN"; \
	 [ -x $(PY) ] || $$PYBIN -m venv $(VENV); \
	 $(PY) -m pip install --quiet --upgrade "pip<24.1" && \
	 start=$$(date +%s); \
	 $(PY) -m pip install --quiet -r requirements.txt -c constraints.txt && \
	 echo "Dependencies installed in $$(( $$(date +%s) - start )) s." && \
	 touch $@

build: venv
	$(PY) -m bot build

train: build
	$(PY) -m bot train

# Our bot against the stock `rasa init` bot (trains both in temporary folders; ~10 min on 2 cores):
# prints a table and writes bench/results.md. BENCH_ARGS="--model models/oih.tar.gz" skips our training.
bench: build
	$(PY) bench/run_bench.py $(BENCH_ARGS)

# PostgreSQL + Redis on loopback for `make run PROFILE=prod` on one machine (README, production profile):
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
