# Shared helpers for the local (no Docker) stack: paths, messages, waiting for ports, pid files.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${SIGHTLINE_STATE_DIR:-$ROOT/.local}"
LOGS="$STATE/logs"
RUN="$STATE/run"
mkdir -p "$LOGS" "$RUN"

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_port HOST PORT SECONDS WHAT LOGFILE: wait for a port, or fail pointing at the log.
wait_port() {
  local host=$1 port=$2 secs=$3 what=$4 log=$5 i
  for ((i = 0; i < secs * 4; i++)); do
    port_open "$host" "$port" && return 0
    sleep 0.25
  done
  warn "$what did not open $host:$port within ${secs}s; last lines of $log:"
  tail -n 30 "$log" >&2 || true
  return 1
}

# pid_alive FILE: true when FILE names a running process.
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid FILE WHAT: SIGTERM the process group, wait, then SIGKILL; idempotent.
stop_pid() {
  local file=$1 what=$2 pid i
  if ! pid_alive "$file"; then rm -f "$file"; say "$what is not running"; return 0; fi
  pid=$(cat "$file")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$what did not stop in 30s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
  say "$what stopped"
}

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }
