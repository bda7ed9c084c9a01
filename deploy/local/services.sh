#!/usr/bin/env bash
# Run the app processes of deploy/local/Procfile with honcho, in the background in their own process group:
# services.sh start|stop|status|wait [SECONDS]|names|urls.
# Adding a service = one line in the Procfile + one entry in SERVICES below.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# name and readiness URL of each service (its API's base URL is the URL without /readyz).
SERVICES=(
  "ingest http://127.0.0.1:8001/readyz"
  "profiles http://127.0.0.1:8002/readyz"
  "trust http://127.0.0.1:8003/readyz"
)

PROCFILE="$ROOT/deploy/local/Procfile"
PID="$RUN/services.pid"
LOG="$LOGS/services.log"
KEY_FILE="$STATE/dev-crawler-key"

# http_ok URL: true when URL answers 2xx within 3 s.
http_ok() {
  python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
        sys.exit(0 if 200 <= r.status < 300 else 1)
except Exception:
    sys.exit(1)
PY
}

# host_port URL: "HOST PORT" of an http URL.
host_port() { local hp=${1#*://}; hp=${hp%%/*}; echo "${hp%:*} ${hp##*:}"; }

start() {
  if pid_alive "$PID"; then say "services already running (pid $(cat "$PID"), log: $LOG)"; return 0; fi
  local entry name url host port
  for entry in "${SERVICES[@]}"; do
    read -r name url <<<"$entry"
    read -r host port <<<"$(host_port "$url")"
    port_open "$host" "$port" && die "port $port ($name) is taken by another program; stop it first"
  done
  [[ -x $ROOT/.venv/bin/honcho ]] || die "honcho is missing from .venv: run 'make install'"
  # ingest registers the hash of the local dev crawler key on start (up.sh creates the key once).
  if [[ -z ${INGEST_DEV_CRAWLER_KEY:-} && -f $KEY_FILE ]]; then export INGEST_DEV_CRAWLER_KEY; INGEST_DEV_CRAWLER_KEY=$(cat "$KEY_FILE"); fi
  say "starting services from deploy/local/Procfile (log: $LOG)"
  printf '\n===== %s services start =====\n' "$(date -Is)" >>"$LOG"
  cd "$ROOT"
  setsid nohup uv run --no-sync honcho --no-colour -d "$ROOT" -f "$PROCFILE" start >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PID"
}

stop() { stop_pid "$PID" "honcho (the app services)"; }

# last_run_log: the log since the last start.
last_run_log() { awk '/^===== .* services start =====$/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$LOG"; }

# wait SECONDS: wait until every service is ready; on failure show the log tail and exit 1.
wait_ready() {
  local secs=${1:-60} entry name url pending=() deadline=$((SECONDS + ${1:-60}))
  while ((SECONDS < deadline)); do
    pending=()
    for entry in "${SERVICES[@]}"; do
      read -r name url <<<"$entry"
      http_ok "$url" || pending+=("$name")
    done
    if ((${#pending[@]} == 0)); then say "services ready: $(names | paste -sd ' ')"; return 0; fi
    pid_alive "$PID" || break
    sleep 0.5
  done
  if pid_alive "$PID"; then
    warn "not ready within ${secs}s: ${pending[*]}; last lines of $LOG:"
  else
    warn "the services exited; last lines of $LOG:"
  fi
  last_run_log | tail -n 40 >&2
  return 1
}

# status: one line per service (its readiness URL); non-zero when any is down.
status() {
  local entry name url rc=0
  for entry in "${SERVICES[@]}"; do
    read -r name url <<<"$entry"
    if http_ok "$url"; then
      printf '%-10s up    %s\n' "$name" "$url"
    else
      printf '%-10s down  %s\n' "$name" "$url"
      rc=1
    fi
  done
  return $rc
}

names() { local entry; for entry in "${SERVICES[@]}"; do echo "${entry%% *}"; done; }
urls() { local entry; for entry in "${SERVICES[@]}"; do echo "$entry"; done; }

case "${1:-}" in
  start) start ;;
  restart) stop; start ;;
  stop) stop ;;
  status) status ;;
  wait) wait_ready "${2:-60}" ;;
  names) names ;;
  urls) urls ;;
  *) die "usage: services.sh start|stop|restart|status|wait [SECONDS]|names|urls" ;;
esac
