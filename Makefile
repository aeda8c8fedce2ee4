# The two commands: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

LISTEN ?= 127.0.0.1:3000
STATE_DIR ?= .spin
# The SLA sweep's bearer token: a fresh random one per `make run` unless set.
SPIN_VARIABLE_SLA_SWEEP_TOKEN ?= $(shell head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SPIN_VARIABLE_SLA_SWEEP_TOKEN
# The notification delivery route's bearer token, likewise.
SPIN_VARIABLE_NOTIFY_TOKEN ?= $(shell head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SPIN_VARIABLE_NOTIFY_TOKEN
# The weekly summaries' route's bearer token, likewise.
SPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN ?= $(shell head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN
RUNNER := target/release/runner
# `make run`'s stand-in SMS/WhatsApp/e-mail providers: every message the app
# sends (sign-in codes included) is printed, so everything works locally.
# DEV_INBOX=off leaves the providers as configured (SPIN_VARIABLE_*).
DEV_INBOX ?= 127.0.0.1:3099
ifneq ($(DEV_INBOX),off)
export SPIN_VARIABLE_TWILIO_API_BASE ?= http://$(DEV_INBOX)
export SPIN_VARIABLE_TWILIO_ACCOUNT_SID ?= AC00000000000000000000000000000000
export SPIN_VARIABLE_TWILIO_AUTH_TOKEN ?= test-twilio-auth-token
export SPIN_VARIABLE_WHATSAPP_API_BASE ?= http://$(DEV_INBOX)
export SPIN_VARIABLE_WHATSAPP_PHONE_NUMBER_ID ?= 123456789012345
export SPIN_VARIABLE_WHATSAPP_ACCESS_TOKEN ?= test-whatsapp-token
export SPIN_VARIABLE_EMAIL_API_BASE ?= http://$(DEV_INBOX)
export SPIN_VARIABLE_EMAIL_API_KEY ?= SG.test-key
export SPIN_VARIABLE_EMAIL_FROM ?= noreply@lapor.localhost
# The inbound webhooks' secrets, well known for trying them locally (README
# "SMS and WhatsApp"); set real ones in production.
export SPIN_VARIABLE_SMS_GATEWAY_SECRET ?= dev-gateway-secret
export SPIN_VARIABLE_WHATSAPP_APP_SECRET ?= dev-whatsapp-app-secret
export SPIN_VARIABLE_WHATSAPP_VERIFY_TOKEN ?= dev-whatsapp-verify-token
endif

# Application components (functions/*), built for wasm32-wasip2.
COMPONENTS := agencies assets calendar engagement health messaging notify open311 reports sla-sweep stats web workflow
# Test-only components.
TEST_COMPONENTS := runner-probe

wasm_packages = $(addprefix -p ,$(1))

.PHONY: help run build build-components build-runner test bench clean seed-agencies seed-holidays

help:
	@echo "make run    build everything and serve on $(LISTEN) (LISTEN=host:port STATE_DIR=dir)"
	@echo "make test   unit, runner and integration tests"
	@echo "make build  build the components and the runner without running"
	@echo "make bench  benchmarks into bench/results.md and .json (installs wrk, redis-server)"

build: build-components build-runner

build-components:
	@infra/scripts/setup.sh
	cargo build --release --target wasm32-wasip2 $(call wasm_packages,$(COMPONENTS))

build-runner:
	cargo build --release -p runner

run: build
	@mkdir -p $(STATE_DIR)
	@# The scheduled routes' tokens, for calling them by hand (see README).
	@umask 077; printf 'SPIN_VARIABLE_SLA_SWEEP_TOKEN=%s\nSPIN_VARIABLE_NOTIFY_TOKEN=%s\nSPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN=%s\n' \
		"$$SPIN_VARIABLE_SLA_SWEEP_TOKEN" "$$SPIN_VARIABLE_NOTIFY_TOKEN" "$$SPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN" > $(STATE_DIR)/tokens.env
	@echo "Tokens of the scheduled routes: $(STATE_DIR)/tokens.env (source it: . $(STATE_DIR)/tokens.env)"
	@echo "  SLA sweep:     $$SPIN_VARIABLE_SLA_SWEEP_TOKEN"
	@echo "  notifications: $$SPIN_VARIABLE_NOTIFY_TOKEN"
	@echo "  weekly summaries: $$SPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN"
	@if [ "$(DEV_INBOX)" != off ]; then cargo build --release -q -p test-support --bin dev-inbox; fi
	@if [ "$(DEV_INBOX)" != off ]; then target/release/dev-inbox $(DEV_INBOX) & inbox=$$!; \
		trap 'kill $$inbox 2>/dev/null' EXIT INT TERM; fi; \
		$(RUNNER) --from spin.toml --listen $(LISTEN) --state-dir $(STATE_DIR) \
			--sqlite @infra/seed/dev.sql --schedule-file infra/schedule.toml

# No separate `cargo build -p runner`: `cargo test` builds target/release/runner
# itself (the runner's tests/cli.rs needs the binary) with the features the
# tests unify, where a build of the runner alone unifies others and so would
# compile wasmtime a second time.
test:
	@infra/scripts/setup.sh redis browser
	cargo build --release --target wasm32-wasip2 $(call wasm_packages,$(COMPONENTS) $(TEST_COMPONENTS))
	@# The probe once more as a core module (WASI preview 1), which the runner
	@# must turn into a component on load as Spin does.
	cargo build --release --target wasm32-wasip1 -p runner-probe
	cargo test --release --no-fail-fast
	@# The integration suite once more with every app's key-value store on a
	@# real redis-server, as replicas share it (tests/src/lib.rs, "Redis
	@# mode"). scale_out runs on Redis in the first pass already.
	LAPOR_TEST_KEY_VALUE=redis cargo test --release --test app --no-fail-fast -- --skip scale_out::

bench: build
	@infra/scripts/setup.sh wrk redis
	cargo run --release -p bench --

# Regenerates infra/seed/agencies.tsv from the npm package idn-area-data.
seed-agencies:
	python3 infra/seed/generate_agencies.py

# Regenerates infra/seed/holidays.tsv from the PyPI package holidays.
seed-holidays:
	python3 infra/seed/generate_holidays.py

clean:
	cargo clean
	rm -rf .spin
