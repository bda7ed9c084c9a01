"""Trust benchmark: events/s and CPU µs per event of one trust consumer (paper.seen + work.attributed, merges).

Synthetic but shaped like what profiles publishes: researchers in labs of eight, a field (topics) each, 30% with an
ORCID; every paper seen on arXiv and attributed; a fifth seen again by crossref (DOI, journal) and attributed again;
one researcher.merged per 500 papers. Everything runs on a throwaway database and topic prefix.

    uv run --no-sync python bench/trust_bench.py [--papers 40000] [--batch 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from contracts import (
    PAPER_SEEN,
    RESEARCHER_CHANGES,
    WORK_ATTRIBUTED,
    Envelope,
    Identifiers,
    PaperSeenV1,
    ResearcherMergedV1,
    WorkAttributedV1,
    work_key,
)
from servicekit.testing import temporary_database, temporary_topics
from trust.bootstrap import bootstrap
from trust.settings import TrustSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import write_results  # noqa: E402

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = os.environ.get("TRUST_TEST_DATABASE_URL", "postgresql+asyncpg://trust:trust@127.0.0.1:5432/trust_test")
FIELDS = ["machine-learning", "computer-vision", "genomics", "oncology", "quantum-physics", "databases"]
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def hexid(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:20]


def envelope(model: type[Envelope], at: datetime, data: dict[str, object]) -> Envelope:
    return model.model_validate(
        {"event_id": uuid.uuid4(), "occurred_at": at, "ingested_at": at, "producer": "bench", "data": data}
    )


def events(papers: int, seed: int = 11) -> list[tuple[str, bytes, Envelope]]:
    """(topic name, key, event) in publishing order."""
    rng = random.Random(seed)
    people = [
        {"id": hexid("r_", f"p{n}"), "name": f"Person{n} Family{n % 997}", "lab": n // 8, "field": n % len(FIELDS)}
        for n in range(max(40, papers // 3))
    ]
    for person in people:
        person["orcid"] = (
            f"0000-0002-{rng.randint(1000, 9999)}-{int(str(person['lab'])) % 1000:03d}X" if rng.random() < 0.3 else None
        )
    labs: dict[object, list[dict[str, object]]] = {}
    for person in people:
        labs.setdefault(person["lab"], []).append(person)
    out: list[tuple[str, bytes, Envelope]] = []
    for n in range(papers):
        lead = rng.choice(people)
        authors = list(
            {id(a): a for a in [lead, *rng.sample(labs[lead["lab"]], min(4, len(labs[lead["lab"]])))]}.values()
        )
        year = rng.randint(2012, 2025)
        title = f"Study {n} of {FIELDS[int(str(lead['field']))]}"
        work_id = hexid("w_", f"work{n}")
        topics = (
            [FIELDS[int(str(lead["field"]))]] if rng.random() > 0.03 else [FIELDS[(int(str(lead["field"])) + 3) % 6]]
        )
        seen = [
            ("arxiv", {"arxiv": f"{year % 100:02d}01.{n:05d}" if n < 100_000 else f"bench/{n:07d}"}, "preprint", None)
        ]
        if rng.random() < 0.2:
            seen.append(("crossref", {"doi": f"10.5555/bench.{n}"}, "article", "Journal of Benchmarks"))
        for source, ids, kind, venue in seen:
            at = T0 + timedelta(minutes=n)
            identifiers = Identifiers.model_validate(ids)
            listed = [{"name": a["name"], **({"orcid": a["orcid"]} if a["orcid"] else {})} for a in authors]
            key = work_key(identifiers, title, year, str(authors[0]["name"]))
            paper = envelope(
                PaperSeenV1,
                at,
                {
                    "source": source,
                    "source_url": f"https://{source}.example/{n}",
                    "seen_at": at,
                    "crawler": "bench",
                    "work_key": key,
                    "paper": {
                        "title": title,
                        "year": year,
                        "kind": kind,
                        "venue": venue,
                        "identifiers": identifiers,
                        "authors": listed,
                    },
                },
            )
            out.append((PAPER_SEEN.name, key.encode(), paper))
            attributed = envelope(
                WorkAttributedV1,
                at,
                {
                    "work_id": work_id, "work_key": key, "source": source, "is_new_work": source == "arxiv",
                    "title": title, "year": year, "topic_ids": topics,
                    "authors": [
                        {"position": i, "name": a["name"], "researcher_id": a["id"], "new_for_researcher": True,
                         "confidence": 0.9}
                        for i, a in enumerate(authors)
                    ],
                },
            )  # fmt: skip
            out.append((WORK_ATTRIBUTED.name, work_id.encode(), attributed))
        if n % 500 == 499:
            loser, survivor = rng.sample(labs[lead["lab"]], 2) if len(labs[lead["lab"]]) > 1 else (lead, lead)
            if loser is not survivor:
                merge = envelope(
                    ResearcherMergedV1,
                    T0 + timedelta(minutes=n),
                    {"loser_id": loser["id"], "survivor_id": survivor["id"], "rule": "merge_pass", "confidence": 0.9},
                )
                out.append((RESEARCHER_CHANGES.name, str(loser["id"]).encode(), merge))
    return out


async def produce(prefix: str, batch: list[tuple[str, bytes, Envelope]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    try:
        futures = [await producer.send(prefix + t, e.model_dump_json().encode(), key=k) for t, k, e in batch]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def consume(settings: TrustSettings, expected: int) -> dict[str, float]:
    """One consumer (and the relay) until the group committed every record of the three topics."""
    trust = bootstrap(settings)
    started, cpu = time.perf_counter(), time.process_time()
    async with trust.running():
        while True:
            progress = await trust.measure()
            if all(p.partitions for p in progress) and sum(p.lag for p in progress) == 0:
                break
            await asyncio.sleep(0.5)
        elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return {
        "events": expected,
        "seconds": round(elapsed, 2),
        "events_per_s": round(expected / elapsed, 1),
        "consumer_cpu_s": round(cpu, 2),
        "cpu_us_per_event": round(cpu / expected * 1e6),
    }


async def counts(database: str) -> dict[str, object]:
    engine = create_async_engine(database)
    async with engine.connect() as connection:
        snapshots = (await connection.execute(text("SELECT count(*) FROM snapshots"))).scalar_one()
        bands = dict((await connection.execute(text("SELECT band, count(*) FROM snapshots GROUP BY 1"))).all())
        history = (await connection.execute(text("SELECT count(*) FROM snapshot_history"))).scalar_one()
    await engine.dispose()
    return {"snapshots": snapshots, "history_rows": history, "bands": bands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=40_000, help="papers (each 2 or 4 events)")
    parser.add_argument("--batch", type=int, default=5_000, help="records per consumer batch (as TRUST_CONSUME_BATCH)")
    args = parser.parse_args()
    batch = events(args.papers)
    print(f"generated {len(batch)} events for {args.papers} papers")
    with temporary_topics(BOOTSTRAP, "bench-trust") as prefix, temporary_database(MAINTENANCE) as database:
        subprocess.run(
            ["sightline-trust", "migrate"], env={**os.environ, "TRUST_DATABASE_URL": database}, check=True,
            capture_output=True,
        )  # fmt: skip
        asyncio.run(produce(prefix, batch))
        print(f"published; consuming with one trust consumer (batches of {args.batch}) ...")
        settings = TrustSettings(
            database_url=database,
            topic_prefix=prefix,
            kafka_bootstrap_servers=BOOTSTRAP,
            consumer_group=f"bench-{uuid.uuid4().hex[:6]}",
            consume_batch=args.batch,
            log_level="WARNING",
        )
        throughput = asyncio.run(consume(settings, len(batch)))
        print(f"consumer: {throughput}")
        state = asyncio.run(counts(database))
        print(f"state: {state}")
    write_results(ROOT / "bench" / "results" / "trust.json", {"consumer": throughput, "state": state})


if __name__ == "__main__":
    main()
