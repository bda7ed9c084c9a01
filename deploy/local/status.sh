#!/usr/bin/env bash
# One line per component of the local stack (postgres, kafka, each service's /readyz); non-zero when any is down.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
rc=0
"$HERE/postgres.sh" status || rc=1
"$HERE/kafka.sh" status || rc=1
"$HERE/services.sh" status || rc=1
exit $rc
