#!/usr/bin/env bash
# Run Debian's PostgreSQL cluster on 127.0.0.1:5432 and provision one role + database per service: postgres.sh start|stop|status|provision.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PORT="${PGPORT:-5432}"
SERVICES=(ingest profiles trust notify)

version() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [[ -n $v && -x /usr/lib/postgresql/$v/bin/postgres ]] || die "PostgreSQL is not installed: run 'make install' (apt-get install postgresql)"
  echo "$v"
}

as_postgres() { runuser -u postgres -- "$@"; }
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"; }

ensure_cluster() {
  local v=$1
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$v main"; then
    say "creating PostgreSQL $v cluster 'main'"
    pg_createcluster "$v" main --port "$PORT" >/dev/null
  fi
  # Debian's postgresql.conf reads conf.d/ last, so these settings win without editing the packaged file.
  cat >"/etc/postgresql/$v/main/conf.d/sightline.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
max_connections = 200
# A profiles batch of 1,000 events holds ~7,000 advisory locks until it commits; the shared lock table has
# max_locks_per_transaction x max_connections slots, and at the default 64 two such batches (two replicas, or a
# replica and the tests) ran out of it ("out of shared memory"). Starting restarts a running server to apply it.
max_locks_per_transaction = 256
# Loopback only: TLS would cost CPU on every query and protect nothing here (production sets its own).
ssl = off
CONF
}

start() {
  local v
  v=$(version)
  if pg_lsclusters -h 2>/dev/null | awk -v v="$v" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    say "PostgreSQL $v already running on 127.0.0.1:$PORT"
    ensure_cluster "$v"
    pg_ctlcluster "$v" main reload
    # Settings such as max_locks_per_transaction only change at a start: restart when one is pending.
    if [[ $(psql_admin -Atc "SELECT count(*) FROM pg_settings WHERE pending_restart" 2>/dev/null) != 0 ]]; then
      say "restarting PostgreSQL $v to apply changed settings"
      pg_ctlcluster "$v" main restart
    fi
  else
    ensure_cluster "$v"
    say "starting PostgreSQL $v on 127.0.0.1:$PORT"
    pg_ctlcluster "$v" main start || die "PostgreSQL failed to start; see /var/log/postgresql/postgresql-$v-main.log"
  fi
  wait_port 127.0.0.1 "$PORT" 30 PostgreSQL "/var/log/postgresql/postgresql-$v-main.log" || die "PostgreSQL is not accepting connections"
  provision
}

# provision: idempotently create each service's role (password from <SVC>_DB_PASSWORD, default the role name) and its databases.
provision() {
  local svc pw db
  for svc in "${SERVICES[@]}"; do
    pw_var="${svc^^}_DB_PASSWORD"
    pw="${!pw_var:-$svc}"
    psql_admin -v role="$svc" -v pw="$pw" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L CREATEDB', :'role', :'pw') \gexec
SQL
    for db in "$svc" "${svc}_test"; do
      psql_admin -v db="$db" -v role="$svc" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    done
  done
  say "databases ready: ${SERVICES[*]} (and *_test), one role each"
}

stop() {
  local v
  v=$(version)
  if pg_lsclusters -h | awk -v v="$v" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    pg_ctlcluster "$v" main stop && say "PostgreSQL stopped"
  else
    say "PostgreSQL is not running"
  fi
}

status() {
  if port_open 127.0.0.1 "$PORT"; then echo "postgres   up    127.0.0.1:$PORT"; else echo "postgres   down  127.0.0.1:$PORT"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  provision) provision ;;
  *) die "usage: postgres.sh start|stop|status|provision" ;;
esac
