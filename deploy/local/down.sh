#!/usr/bin/env bash
# Stop the local stack: the services, Kafka, PostgreSQL (data is kept in .local/ and Debian's cluster).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/services.sh" stop
"$HERE/kafka.sh" stop
"$HERE/postgres.sh" stop
