# Sightline developer commands. Set-up on a fresh machine: `make up` (run everything) and `make test` (every check).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

RUN := uv run --no-sync
LOCAL := deploy/local
# Every service's sources, found by glob so a new service needs no change here.
SRC_DIRS := contracts/src libs/servicekit/src $(wildcard services/*/src)
TYPED_DIRS := $(SRC_DIRS) tools
export MYPYPATH := $(subst $(eval) ,:,$(SRC_DIRS))
TEST_DIRS := $(wildcard contracts libs services tests)

# header TEXT: a visible section header in the output.
header = @printf '\n\033[1;35m======== %s ========\033[0m\n' "$(1)"
# run-checks TARGETS: run every check even when one fails, then name the failed ones (and exit 1 if any).
run-checks = failed=(); for t in $(1); do $(MAKE) $$t || failed+=($$t); done; \
	if (( $${\#failed[@]} )); then printf '\n\033[1;31m======== FAILED: %s ========\033[0m\n' "$${failed[*]}"; exit 1; fi; \
	printf '\n\033[1;32m======== passed: %s ========\033[0m\n' "$(strip $(1))"
LINT_CHECKS := lint-format lint-ruff lint-types lint-imports lint-schemas lint-openapi

.PHONY: help install up down status infra lint fmt schemas openapi test bench eval-disambiguation \
	lint-format lint-ruff lint-types lint-imports lint-schemas lint-openapi pytest

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: ## install what is missing: uv, PostgreSQL, kcat, Maven, Java, the Python env, the Kafka jars
	@bash $(LOCAL)/install.sh

up: ## start Kafka, PostgreSQL and every service, load demo data, print the URLs and the crawler key
	@bash $(LOCAL)/up.sh

down: ## stop the services, Kafka and PostgreSQL (data is kept)
	@bash $(LOCAL)/down.sh

status: ## one line per component; non-zero when anything is down
	@bash $(LOCAL)/status.sh

# What the tests need running: PostgreSQL (with the service roles and databases), Kafka and the topics.
define START_INFRA
	@bash $(LOCAL)/postgres.sh start
	@bash $(LOCAL)/kafka.sh start
	@$(RUN) sightline-topics ensure
endef

infra: install ## what the tests need: PostgreSQL, Kafka and the topics
	$(START_INFRA)

lint: ## ruff format check, ruff, mypy --strict, import contracts, committed JSON Schemas and OpenAPI documents
	@$(call run-checks,$(LINT_CHECKS))

lint-format:
	$(call header,lint: ruff format --check)
	$(RUN) ruff format --check .

lint-ruff:
	$(call header,lint: ruff check)
	$(RUN) ruff check .

lint-types:
	$(call header,type check: mypy --strict)
	$(RUN) mypy --strict $(TYPED_DIRS)

lint-imports:
	$(call header,lint: import contracts (lint-imports))
	$(RUN) lint-imports

lint-schemas:
	$(call header,lint: committed JSON Schemas match the contracts)
	$(RUN) python -m contracts.schemas check

lint-openapi:
	$(call header,lint: committed OpenAPI documents match the services' APIs)
	$(RUN) python tools/openapi.py check

fmt: ## format the code and apply ruff's safe fixes
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

schemas: ## regenerate the committed JSON Schemas from the contract models
	$(RUN) python -m contracts.schemas write

openapi: ## regenerate the committed OpenAPI documents of the services (docs/api/)
	$(RUN) python tools/openapi.py write

# pytest exits 5 when it collects no test; that is not a failure of the code.
pytest:
	$(call header,tests: pytest against the real Kafka and PostgreSQL)
	rc=0; $(RUN) pytest -p no:cacheprovider $(TEST_DIRS) || rc=$$?; \
	if [[ $$rc == 5 ]]; then echo "pytest collected no tests"; rc=0; fi; \
	exit $$rc

test: ## install, start Kafka + PostgreSQL, then lint, type check and every test; non-zero on any failure
	$(call header,install)
	@bash $(LOCAL)/install.sh
	$(call header,infrastructure: PostgreSQL + Kafka + topics)
	$(START_INFRA)
	@$(call run-checks,$(LINT_CHECKS) pytest)

eval-disambiguation: infra ## MEDLINE pairs + DBLP Jun Zhangs through ingest's API into profiles: P/R/F1, B-cubed
	$(RUN) python -m eval.disambiguation.through_services

bench: infra ## ingest, import, profiles and trust benchmarks (results in bench/results/)
	$(RUN) python bench/ingest_bench.py
	$(RUN) python bench/import_bench.py
	$(RUN) python bench/profiles_bench.py
	$(RUN) python bench/trust_bench.py
