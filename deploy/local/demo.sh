#!/usr/bin/env bash
# Load demo data through the importer: the real samples in ../shared/data when they are there, otherwise
# sightings the project generates. Re-running is harmless: ingest answers 'duplicate' for what it has.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

URL=${1:?usage: demo.sh INGEST_URL KEY}
KEY=${2:?usage: demo.sh INGEST_URL KEY}
SHARED="${SIGHTLINE_SHARED_DATA:-$ROOT/../shared/data}"
REJECTS="$LOGS/demo-rejects.jsonl"
import() { uv run --no-sync sightline import --url "$URL" --key "$KEY" --rejects "$REJECTS" "$@"; }

if [[ -d $SHARED ]]; then
  say "loading demo data from $SHARED (arXiv sample, OpenAlex works, DBLP 'Jun Zhang' files)"
  import --format arxiv-json "$SHARED"/arxiv_snapshot_sample/*.jsonl
  import --format openalex "$SHARED"/openalex_samples/*.jsonl
  import --format dblp-bib "$SHARED"/dblp_jun_zhang/*.bib
else
  say "no $SHARED here: loading generated demo sightings"
  uv run --no-sync sightline-ingest demo --out "$STATE/demo-sightings.jsonl" --count 600
  import --format sightings "$STATE/demo-sightings.jsonl"
fi
