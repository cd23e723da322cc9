# The usual commands in one place. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 0.0.0.0
PORT ?= 8000
DB ?= facilitate.db
CHROMIUM := /usr/bin/chromium
# K=expression runs only the matching tests (pytest -k) in any test target: `make test-fast K=dots`.
# Narrowed, a part of a run may select nothing; pytest's exit code 5 ("no tests collected") then
# counts as a pass. Without K it stays a failure: a full run that collects nothing is broken.
PYTEST := $(BIN)/pytest -q $(if $(K),-k '$(K)')
NONE_OK := $(if $(K),|| [ $$? -eq 5 ])

# The end-to-end tests of what is stored and served live (websocket sessions, the APIs, plain
# forms, helpers, kiosks, processes, deletion), which `make test` runs once more in cluster mode.
# The rest of tests/web (pages, assets, headers, limits) does not depend on the store.
CLUSTER_E2E := $(addprefix tests/web/,test_ws.py test_ws_ratings.py test_api.py test_plain.py \
	test_processes.py test_promise.py test_delete.py test_helper_role.py test_kiosk.py \
	test_table_codes.py test_priorities.py test_writing.py test_idempotency.py)

.PHONY: run test test-fast test-browser lint eslint format bench bench-cluster setup browser servers node_modules catalogs screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# Debian's PostgreSQL, Redis, nginx and HAProxy for the cluster tests (tests/cluster): they start
# their own servers on free loopback ports and stop them after, and test_deploy.py runs deploy/'s
# nginx and HAProxy configurations in front of real nodes. The tests use the binaries only, never
# a system service (where systemd runs, Debian starts the packages' own on install).
servers:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null \
		|| ! { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null \
		|| ! { command -v haproxy || [ -x /usr/sbin/haproxy ]; } >/dev/null; then \
		echo "Installing Debian's postgresql, redis-server, nginx and haproxy for the cluster tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql redis-server nginx haproxy >/dev/null; \
	fi

# Node.js tools for the tests, never for the app: axe-core (accessibility checks in the browser
# tests) and ESLint (static/js), at the versions in package-lock.json. Debian's nodejs and npm
# when the machine has none.
node_modules/.installed: package.json package-lock.json
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		echo "Installing Debian's nodejs and npm for the test tools"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node_modules: node_modules/.installed

eslint: node_modules
	node_modules/.bin/eslint --max-warnings=0

# PUBLIC_URL=http://192.168.1.20:8000 make run: the address phones use (QR code and join text).
run: setup
	$(BIN)/facilitate serve --host $(HOST) --port $(PORT) --db $(DB) $(if $(PUBLIC_URL),--public-url '$(PUBLIC_URL)')

# Everything: the type check first (a type error fails the run before any test starts), then
# every test, slow ones included, then the end-to-end web tests again in cluster mode (their app
# on PostgreSQL and Redis: the same tests on both stores), then the browser tests. Each part on
# both cores (pytest-xdist): each worker of the browser tests has its own server and Chromium.
test: setup browser servers eslint
	$(BIN)/mypy
	$(PYTEST) -p no:cacheprovider -n 2 tests --ignore=tests/browser $(NONE_OK)
	FACILITATE_TEST_CLUSTER=1 $(PYTEST) -p no:cacheprovider -n 2 $(CLUSTER_E2E) -m "not sqlite_only" $(NONE_OK)
	$(PYTEST) -p no:cacheprovider -n 2 tests/browser $(NONE_OK)

# The loop while working: no browser, nothing marked slow (real server processes, seconds), and a
# fifth of each Hypothesis property's examples (tests/budget.py); `make test` runs them all.
test-fast: setup servers node_modules
	$(PYTEST) tests --ignore=tests/browser -m "not slow" -n 2 -x --hypothesis-profile=fast $(NONE_OK)

test-browser: setup browser node_modules
	$(PYTEST) -n 2 tests/browser $(NONE_OK)

lint: setup eslint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check facilitate tests bench vulture_whitelist.py
	$(BIN)/mypy
	$(BIN)/vulture

format: setup
	$(BIN)/ruff format facilitate tests bench vulture_whitelist.py
	$(BIN)/ruff check --fix .

# Re-extract UI strings into the catalogs after changing templates or strings.py.
catalogs: setup
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k P_:1,2 -o facilitate/locales/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i facilitate/locales/messages.pot -d facilitate/locales --no-fuzzy-matching --width 100

screenshots: setup browser
	$(BIN)/python -m docs.screenshots

bench: setup
	$(BIN)/python -m bench.weight
	$(BIN)/python -m bench.statements
	$(BIN)/python -m bench.run

# Cluster mode on this machine: three nodes, a real PostgreSQL and Redis (docs/cluster.md).
bench-cluster: setup servers
	$(BIN)/python -m bench.cluster

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache .hypothesis
