#!/usr/bin/env bash
# Start the whole local stack (no Docker): install what is missing, PostgreSQL, Kafka, topics, migrations, the
# services, demo data; then print the URLs and the local crawler key. Idempotent: running it again is fine.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
cd "$ROOT"

KEY_FILE="$STATE/dev-crawler-key"
INGEST_URL=$("$HERE/services.sh" urls | awk '$1 == "ingest" { sub("/readyz$", "", $2); print $2 }')

"$HERE/install.sh"
"$HERE/postgres.sh" start
"$HERE/kafka.sh" start

say "ensuring Kafka topics"
uv run --no-sync sightline-topics ensure || die "creating the Kafka topics failed (sightline-topics ensure)"

for svc in $("$HERE/services.sh" names); do
  say "migrating $svc's database"
  uv run --no-sync "sightline-$svc" migrate || die "the $svc migrations failed (sightline-$svc migrate)"
done

if [[ ! -s $KEY_FILE ]]; then
  say "creating the local dev crawler key in ${KEY_FILE#"$ROOT"/}"
  (umask 077 && python3 -c 'import secrets;print("slk_dev_"+secrets.token_urlsafe(24))' >"$KEY_FILE")
fi
KEY=$(cat "$KEY_FILE")
export INGEST_DEV_CRAWLER_KEY="$KEY"

# Restarted on every `make up`, so the services always run the code of this checkout.
"$HERE/services.sh" restart
"$HERE/services.sh" wait 60 || die "the services did not become ready (full log: $LOGS/services.log)"

"$HERE/demo.sh" "$INGEST_URL" "$KEY" || die "loading the demo data failed"

bold() { printf '\033[1m%s\033[0m\n' "$*"; }
echo
bold "Sightline is up."
echo
echo "Services:"
while read -r name url; do
  base=${url%/readyz}
  printf '  %-11s %s\n    docs      %s/docs\n    metrics   %s/metrics\n    readiness %s\n' \
    "$name API" "$base" "$base" "$base" "$url"
done < <("$HERE/services.sh" urls)
echo "  kafka       127.0.0.1:${KAFKA_PORT:-9092}"
echo "  postgres    127.0.0.1:${PGPORT:-5432}  (one role + database per service; password = role name)"
echo
echo "Local crawler key (also in ${KEY_FILE#"$ROOT"/}):"
echo "  $KEY"
echo
echo "Post a sighting:"
cat <<EOF
  curl -sS -X POST $INGEST_URL/v1/sightings \\
    -H "Authorization: Bearer \$(cat $KEY_FILE)" \\
    -H 'Content-Type: application/json' \\
    -d '{"source":"arxiv","source_url":"https://arxiv.org/abs/2203.06321v2","seen_at":"2026-11-21T10:00:00Z",
         "paper":{"title":"An example paper seen on arXiv","identifiers":{"arxiv":"2203.06321v2"},
                  "authors":[{"name":"Kaisheng Ma"}]}}'
EOF
echo
PROFILES_URL=$("$HERE/services.sh" urls | awk '$1 == "profiles" { sub("/readyz$", "", $2); print $2 }')
echo "Researcher profiles (profiles consumes paper.seen; wait for \"caught_up\": true before reading):"
echo "  curl -sS $PROFILES_URL/v1/status"
echo "  curl -sS '$PROFILES_URL/v1/researchers?q=jun+zhang'"
echo
TRUST_URL=$("$HERE/services.sh" urls | awk '$1 == "trust" { sub("/readyz$", "", $2); print $2 }')
echo "Trust snapshots (trust consumes paper.seen, work.attributed and researcher.changes):"
echo "  curl -sS $TRUST_URL/v1/status"
echo "  curl -sS $TRUST_URL/v1/researchers/<researcher id>/trust"
echo "  curl -sS $TRUST_URL/v1/sources"
echo
echo "Watch paper.seen events:"
echo "  kcat -b 127.0.0.1:${KAFKA_PORT:-9092} -C -t ${SIGHTLINE_TOPIC_PREFIX:-}paper.seen -o beginning -f '%k\\t%s\\n'"
echo
echo "Logs:   $LOGS/ (services.log, kafka-${KAFKA_PORT:-9092}.log)"
echo "Status: make status     Stop: make down"
