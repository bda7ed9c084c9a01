"""Import benchmark: arXiv JSON lines from file to accepted (records/s), through a running ingest; prints figures."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import start_ingest  # noqa: E402 - starts ingest exactly as `make up` does

from servicekit.testing import shared_data, temporary_database  # noqa: E402
from servicekit.topics import delete_topics, ensure_topics  # noqa: E402

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)
SAMPLE = shared_data() / "arxiv_snapshot_sample" / "arxiv-metadata-oai-snapshot.head.jsonl"


def synthetic_arxiv(path: Path, records: int) -> None:
    """Real arXiv snapshot records, repeated with fresh ids so none is a duplicate of another."""
    sample = [orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip()]
    with path.open("wb") as out:
        for n in range(records):
            record = dict(sample[n % len(sample)])
            record["id"] = f"{2101 + n // 99_999}.{n % 99_999 + 1:05d}"  # valid new-style ids, 99,999 a month
            record["doi"] = None
            out.write(orjson.dumps(record) + b"\n")


def main(args: argparse.Namespace) -> dict[str, object]:
    import asyncio

    prefix = f"bench-{uuid.uuid4().hex[:6]}."
    key = "slk_bench_" + uuid.uuid4().hex
    asyncio.run(ensure_topics(BOOTSTRAP, prefix))
    try:
        with temporary_database(MAINTENANCE) as db, tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "arxiv.jsonl"
            synthetic_arxiv(data, args.records)
            env = {
                "INGEST_DATABASE_URL": db,
                "SIGHTLINE_TOPIC_PREFIX": prefix,
                "INGEST_DEV_CRAWLER_KEY": key,
                "SIGHTLINE_LOG_LEVEL": "WARNING",
                "INGEST_WORKERS": str(args.workers),
            }
            service = start_ingest(env, Path(tmp) / "ingest.log")
            try:
                started = time.monotonic()
                done = subprocess.run(
                    [
                        "sightline",
                        "import",
                        "--format",
                        "arxiv-json",
                        str(data),
                        "--url",
                        service.url,
                        "--key",
                        key,
                        "--batch",
                        "1000",
                        "--rejects",
                        str(Path(tmp) / "rejects.jsonl"),
                        "--state-dir",
                        tmp,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                elapsed = time.monotonic() - started
            finally:
                service.stop()
    finally:
        asyncio.run(delete_topics(BOOTSTRAP, prefix))
    accepted = int(re.search(r"accepted: ([\d,]+)", done.stdout).group(1).replace(",", ""))  # type: ignore[union-attr]
    if accepted != args.records:
        raise SystemExit(f"benchmark data was not all accepted:\n{done.stdout}")
    result = {
        "records": args.records,
        "accepted": accepted,
        "seconds": round(elapsed, 2),
        "records_per_s": round(args.records / elapsed),
    }
    print(
        f"import arxiv-json  {args.records:>7} records  accepted {accepted:>7}  "
        f"{result['records_per_s']:>6} records/s from file to accepted"
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results/import.json")
    arguments = parser.parse_args()
    outcome = main(arguments)
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(outcome, indent=2) + "\n")
