# kolpact — `make run` serves the API with demo data; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check --quiet

.PHONY: install run test lint clean stress browser bench-tools bench

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

# One install for the tests, not the plain one and then the extras (one resolve, not two).
$(VENV)/.installed-test: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

# Without a Stripe key of your own, payouts go to the Stripe test server (doubles/),
# started here (accounts onboard at once; webhooks signed and sent to this server).
STRIPE_TEST_PORT ?= 12111
KOLPACT_PORT ?= 8000
export KOLPACT_PORT

run: install
	@mkdir -p var
	@if [ -z "$$KOLPACT_STRIPE_API_KEY" ]; then \
	  $(BIN)/python -m doubles.stripe_server.server --port $(STRIPE_TEST_PORT) --auto-onboard \
	    --state var/stripe-test-state.json \
	    --webhook http://127.0.0.1:$(KOLPACT_PORT)/api/v1/webhooks/stripe \
	    --secret whsec_kolpact_demo > var/stripe-test-server.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  export KOLPACT_STRIPE_API_KEY=sk_test_kolpact \
	    KOLPACT_STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_TEST_PORT) \
	    KOLPACT_STRIPE_WEBHOOK_SECRET=whsec_kolpact_demo; \
	  $(BIN)/python -m doubles.stripe_server.wait http://127.0.0.1:$(STRIPE_TEST_PORT) || exit 1; \
	  echo "Stripe test server: http://127.0.0.1:$(STRIPE_TEST_PORT) (log in var/)"; \
	fi; \
	if [ -z "$$KOLPACT_CIPHER_KEY" ]; then \
	  [ -s var/cipher.key ] || (umask 077; $(BIN)/kolpact cipher-key > var/cipher.key); \
	  export KOLPACT_CIPHER_KEY=$$(cat var/cipher.key); \
	  echo "Personal data key: var/cipher.key (demo only: keep yours in a secret store)"; \
	fi; \
	export KOLPACT_SIGN_IN_LINKS=$${KOLPACT_SIGN_IN_LINKS:-print}; \
	if [ -z "$$KOLPACT_SIGNING_KEY" ]; then \
	  [ -s var/signing.key ] || (umask 077; $(BIN)/kolpact signing-key > var/signing.key); \
	  export KOLPACT_SIGNING_KEY=$$(cat var/signing.key); \
	fi; \
	$(BIN)/kolpact init-db && \
	$(BIN)/kolpact demo ensure --file var/demo.json && \
	$(BIN)/kolpact serve --with-projections

# Browser tests drive Debian's Chromium, headless, through its chromedriver (selenium);
# installed here when missing, so no browser is ever downloaded at run time.
browser:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  chromium chromium-driver >/dev/null; }

# Tests run on every core (pytest-xdist): each test makes its own store, or shares one
# per module only with tests that each work in a brand of their own.
test: $(VENV)/.installed-test lint browser
	$(BIN)/pytest -n auto --dist worksteal

# Payout releases under injected faults, crashes and rival processors, on both stores
# (make test runs 1,000 of them too).
stress: $(VENV)/.installed-test
	$(BIN)/python -m tests.payout_stress --trials 5000 --workers 8
	$(BIN)/python -m tests.payout_stress --trials 5000 --workers 8 \
	  --postgres $${KOLPACT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}

# Benchmarks drive the API with wrk (Debian's package); see bench/README.md.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: $(VENV)/.installed-test bench-tools
	$(BIN)/python -m bench.api_vs_crud

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache .ruff_cache *.egg-info
