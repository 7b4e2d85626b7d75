# Think Child: `make run` serves the app; `make test` runs every test. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PYTEST := $(BIN)/python -m pytest
# The app defaults to production (fail closed); make's own targets run it in development and the
# tests in test (tests/conftest.py). Set ENVIRONMENT=production to run production by hand.
ENVIRONMENT ?= development
export ENVIRONMENT
# X-Forwarded-For is believed only from these proxies (comma-separated addresses or networks):
# unset, from no one, and the audit and the sign-in throttle see each caller's own address.
FORWARDED_ALLOW_IPS ?=
PROXY_FLAGS = $(if $(strip $(FORWARDED_ALLOW_IPS)),--proxy-headers --forwarded-allow-ips '$(strip $(FORWARDED_ALLOW_IPS))',--no-proxy-headers)

.PHONY: run serve migrate seed seed-large static bench test test-sqlite test-postgres lint format assets clean schema risk-cases

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,dev]'
	@touch $@ $(VENV)/.app

migrate: $(VENV)/.app
	$(BIN)/alembic upgrade head

# Static files under fingerprinted names with .br/.gz copies, in static/dist (app/assets).
static: $(VENV)/.app
	$(BIN)/python -m app.assets

seed: migrate
	$(BIN)/python -m app.seed

# The web server, with the delivery worker beside it; stopping one (Ctrl-C) stops both.
run: seed static
	@echo "Think Child is starting: open http://127.0.0.1:$(PORT)/login (demo logins in README.md)"
	@$(BIN)/python -m app.worker & worker=$$!; \
	$(BIN)/uvicorn app.main:app --host 127.0.0.1 --port $(PORT) $(PROXY_FLAGS) --no-server-header & web=$$!; \
	trap 'kill -TERM $$web $$worker 2>/dev/null' INT TERM; \
	wait $$web; status=$$?; \
	kill -TERM $$worker 2>/dev/null; wait $$web $$worker 2>/dev/null; exit $$status

test: $(VENV)/.test
	bash scripts/system-deps.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres

# Everything, on SQLite (unit, HTTP and the browser tests in headless Chromium).
test-sqlite: $(VENV)/.test static
	ENVIRONMENT=test $(PYTEST) -q

# Every database-facing test again on a throwaway PostgreSQL.
test-postgres: $(VENV)/.test static
	ENVIRONMENT=test bash scripts/with-postgres.sh $(PYTEST) -q -m "not browser"

# Force-scale data for trying the coach's dashboard: SIZE incidents (1,000,000 by default) with
# referrals and decisions, in bulk, into LARGE_URL (a separate SQLite file by default; about
# 5 minutes for 1,000,000 on 2 cores). Its teams have no coach: give one to a user as admin.
seed-large: $(VENV)/.test
	mkdir -p data
	$(BIN)/python bench/bench_scale.py --seed $(or $(SIZE),1000000) --url $(or $(LARGE_URL),sqlite:///data/large.db)

# Benchmarks (scripts that print figures, not tests): page weight, latency against the static
# floor, 200 officers' load, Lighthouse (mobile) and the queue and every dashboard view at
# 10,000, 100,000 and 1,000,000 incidents, on SQLite and a throwaway PostgreSQL; writes bench/RESULTS.md. Long: the
# scale runs alone take about half an hour on 2 cores.
bench: $(VENV)/.test static
	mkdir -p bench/out
	$(BIN)/python bench/bench_weight.py --json bench/out/weight.json
	$(BIN)/python bench/bench_latency.py --json bench/out/latency-sqlite.json
	bash scripts/with-postgres.sh $(BIN)/python bench/bench_latency.py --postgres --json bench/out/latency-postgres.json
	$(BIN)/python bench/bench_upsert.py --json bench/out/upsert-sqlite.json
	bash scripts/with-postgres.sh $(BIN)/python bench/bench_upsert.py --postgres --json bench/out/upsert-postgres.json
	$(BIN)/python bench/bench_load.py --json bench/out/load-sqlite.json
	bash scripts/with-postgres.sh $(BIN)/python bench/bench_load.py --postgres --json bench/out/load-postgres.json
	$(BIN)/python bench/bench_lighthouse.py --json bench/out/lighthouse.json
	$(BIN)/python bench/bench_scale.py --json bench/out/scale-sqlite.json
	bash scripts/with-postgres.sh $(BIN)/python bench/bench_scale.py --postgres --json bench/out/scale-postgres.json
	$(BIN)/python bench/write_results.py bench/out

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The referral documents' JSON Schemas generated from the prompt sets (v2 on; v1's is by hand).
schema: $(VENV)/.app
	$(BIN)/python -m app.referrals.schema_gen --write

# The shared risk cases (tests/checklist/risk_cases.json) graded again by the Python rules:
# run after changing a risk rule; pytest and the browser test check Python and JS against it.
risk-cases: $(VENV)/.test
	$(BIN)/python -m tests.checklist.risk_cases

assets:
	bash scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache static/dist
