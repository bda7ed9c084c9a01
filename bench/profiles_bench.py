"""Profiles benchmark: paper.seen events/s through one consumer, then GET /v1/researchers/{id} latency.

Synthetic but shaped like the real feed: labs of co-authors with a field each, homonyms (a small name pool), 30%
of people with an ORCID, a fifth of the papers seen twice (preprint, then the publisher's record found by title).
Everything runs on a throwaway database and topic prefix. Figures are printed and written to bench/results/.
The default 126,000 events make about 100,000 works through the real consumer (99,853 to 100,001: batch
boundaries vary), the size at which the researcher page's p99 is judged (issue 5: under 20 ms at 100k works).

    uv run --no-sync python bench/profiles_bench.py [--events 126000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from contracts import PAPER_SEEN, Identifiers, PaperSeenV1, Sighting, topic_name, work_key
from profiles.bootstrap import bootstrap
from profiles.settings import ProfilesSettings
from servicekit.testing import free_port, temporary_database, temporary_topics

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import tree_cpu_seconds, write_results  # noqa: E402

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = os.environ.get(
    "PROFILES_TEST_DATABASE_URL", "postgresql+asyncpg://profiles:profiles@127.0.0.1:5432/profiles_test"
)
GIVEN = [
    "Jun",
    "Wei",
    "Li",
    "Anna",
    "Maria",
    "Jose",
    "Juan",
    "Ahmed",
    "Fatima",
    "Olga",
    "Ivan",
    "Hans",
    "Eva",
    "Paul",
    "Sara",
    "Kenji",
    "Yuki",
    "Min",
    "Ji",
    "Raj",
    "Priya",
    "Omar",
    "Lena",
    "Tom",
    "Kate",
    "Luca",
    "Marco",
    "Sofia",
    "Elena",
    "David",
    "Daniel",
    "Laura",
    "Chen",
    "Hao",
    "Yan",
    "Ming",
    "Xin",
    "Lei",
    "Tao",
    "Emma",
    "Noah",
    "Liam",
    "Mia",
    "Ana",
    "Ben",
]
FAMILY = [
    "Zhang",
    "Wang",
    "Li",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Smith",
    "Johnson",
    "Garcia",
    "Martinez",
    "Rossi",
    "Bianchi",
    "Muller",
    "Schmidt",
    "Kim",
    "Lee",
    "Park",
    "Sato",
    "Suzuki",
    "Tanaka",
    "Nguyen",
    "Tran",
    "Singh",
    "Patel",
    "Kumar",
    "Ivanov",
    "Petrov",
    "Novak",
    "Silva",
    "Santos",
    "Costa",
    "Dubois",
    "Martin",
    "Bernard",
    "Lopez",
    "Gonzalez",
    "Hernandez",
    "Wilson",
    "Brown",
    "Taylor",
    "Anderson",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
]
FIELDS = {
    "ml": ("neural networks transformers attention language models reinforcement learning graph embeddings", "NeurIPS"),
    "bio": ("protein folding gene expression single cell sequencing CRISPR genome assembly", "Bioinformatics"),
    "chem": ("electrochemical cathode battery catalysis perovskite solar cells", "Journal of Materials Chemistry A"),
    "phys": ("quantum entanglement superconducting qubits topological phases lattice", "Physical Review Letters"),
    "med": ("randomized trial cohort mortality diabetes hypertension cancer screening", "The Lancet"),
    "cs": ("distributed systems consensus databases query optimization compilers", "VLDB"),
}
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def people(count: int, rng: random.Random) -> list[dict[str, object]]:
    """Researchers: a name from a small pool (homonyms), a field, a lab, an ORCID for some."""
    field_names = list(FIELDS)
    found = []
    syllables = ["ka", "ro", "mi", "tsu", "le", "an", "do", "vi", "sel", "mar"]
    syllables += ["tin", "ber", "go", "ha", "na", "lu", "pe", "zo", "ri", "cha"]
    for n in range(count):
        orcid = f"0000-000{rng.randint(1, 3)}-{rng.randint(1000, 9999)}-{n % 10000:04d}" if rng.random() < 0.3 else None
        # A fifth from a small pool of common names (homonyms, big blocks), the rest rarer (as in real bylines).
        common = rng.random() < 0.2
        given = rng.choice(GIVEN) if common else "".join(rng.sample(syllables, 2)).capitalize()
        family = rng.choice(FAMILY) if common else "".join(rng.sample(syllables, 3)).capitalize()
        found.append(
            {
                "name": f"{given} {family}",
                "field": field_names[n % len(field_names)],
                "lab": n // 8,
                "orcid": orcid,
            }
        )
    return found


def events(count: int, seed: int = 7) -> list[PaperSeenV1]:
    """`count` paper.seen events; about a fifth are a second sighting of an earlier paper."""
    rng = random.Random(seed)
    population = people(max(50, count // 4), rng)
    labs: dict[object, list[dict[str, object]]] = {}
    for person in population:
        labs.setdefault(person["lab"], []).append(person)
    produced: list[PaperSeenV1] = []
    papers: list[tuple[str, list[dict[str, object]], int, str]] = []
    while len(produced) < count:
        n = len(produced)
        if papers and rng.random() < 0.2:
            title, authors, year, field = papers.pop(rng.randrange(len(papers)))
            ids = {"doi": f"10.5555/bench.{n}"}
            source, kind, venue = "crossref", "article", FIELDS[field][1]
        else:
            lead = rng.choice(population)
            lab = labs[lead["lab"]]
            authors = [lead, *rng.sample(lab, min(len(lab), rng.randint(1, 5)))]
            authors = list({id(a): a for a in authors}.values())
            field = str(lead["field"])
            words = FIELDS[field][0].split()
            title = " ".join(rng.sample(words, 4)).capitalize() + f" study {n}"
            year = rng.randint(2010, 2025)
            papers.append((title, authors, year, field))
            month = rng.randint(1, 12)
            # New-style arXiv numbers have 5 digits: past 100,000 papers, old-style ids keep every one unique.
            ids = {"arxiv": f"{year % 100:02d}{month:02d}.{n:05d}" if n < 100_000 else f"bench/{n:07d}"}
            source, kind, venue = "arxiv", "preprint", None
        listed = [{"name": a["name"], **({"orcid": a["orcid"]} if a["orcid"] else {})} for a in authors]
        identifiers = Identifiers.model_validate(ids)
        seen_at = T0 + timedelta(seconds=n)
        data = Sighting.model_validate(
            {
                "source": source,
                "source_url": f"https://{source}.example/{n}",
                "seen_at": seen_at,
                "crawler": "bench",
                "work_key": work_key(identifiers, title, year, listed[0]["name"]),
                "paper": {
                    "title": title,
                    "year": year,
                    "kind": kind,
                    "venue": venue,
                    "identifiers": identifiers,
                    "authors": listed,
                    "keywords": FIELDS[field][0].split()[:3],
                },
            }
        )
        produced.append(
            PaperSeenV1(event_id=uuid.uuid4(), occurred_at=seen_at, ingested_at=seen_at, producer="bench", data=data)
        )
    return produced


async def produce(prefix: str, batch: list[PaperSeenV1]) -> None:
    """Publish every event (keyed by work key) and wait for Kafka's acknowledgements."""
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    try:
        topic = topic_name(PAPER_SEEN, prefix)
        futures = [
            await producer.send(topic, e.model_dump_json().encode(), key=e.data.work_key.encode()) for e in batch
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


class BackendClock:
    """CPU time of the PostgreSQL backends serving one database, sampled from /proc (PostgreSQL on this machine)."""

    def __init__(self, database: str) -> None:
        """Watch the backends connected to `database` (a SQLAlchemy URL)."""
        self._engine = create_async_engine(database, pool_size=1)
        self._seen: dict[int, float] = {}

    async def sample(self) -> None:
        """Remember the CPU seconds of every backend connected now (a backend's time is lost once it exits)."""
        async with self._engine.connect() as connection:
            pids = (
                await connection.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                    )
                )
            ).scalars()
            for pid in pids:
                self._seen[pid] = max(self._seen.get(pid, 0.0), tree_cpu_seconds(pid))

    async def close(self) -> float:
        """Stop watching; the CPU seconds seen."""
        await self._engine.dispose()
        return sum(self._seen.values())


async def consume(settings: ProfilesSettings, expected: int, profile: bool) -> dict[str, object]:
    """Run one consumer (and the relay) until the group has committed every record; events/s."""
    profiles = bootstrap(settings)
    backends = BackendClock(settings.database_url.get_secret_value())
    profiler = cProfile.Profile() if profile else None
    collecting: list[float] = []
    gc_seconds = [0.0, 0.0, 0.0]  # CPU seconds of the cyclic collector by generation

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting.append(time.process_time())
        elif collecting:
            gc_seconds[info["generation"]] += time.process_time() - collecting.pop()

    gc.callbacks.append(gc_timer)
    started = time.perf_counter()
    cpu = time.process_time()
    async with profiles.running():
        if profiler:
            profiler.enable()
        while True:
            progress = await profiles.progress.measure()
            await backends.sample()
            if progress.partitions and progress.lag == 0:
                break
            await asyncio.sleep(0.5)
        elapsed = time.perf_counter() - started
        load = os.getloadavg()
        if profiler:
            profiler.disable()
    cpu = time.process_time() - cpu
    pg_cpu = await backends.close()
    gc.callbacks.remove(gc_timer)
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)
    return {
        "events": expected,
        "seconds": round(elapsed, 2),
        "events_per_s": round(expected / elapsed, 1),
        "consumer_cpu_s": round(cpu, 2),
        # CPU per event of the consumer process: robust to other work on the machine, unlike events/s.
        "cpu_us_per_event": round(cpu / expected * 1e6),
        # PostgreSQL's share: the CPU of the backends serving the consumer and the relay.
        "pg_cpu_us_per_event": round(pg_cpu / expected * 1e6),
        "gc_s": round(sum(gc_seconds), 2),
        "gc_s_by_generation": [round(g, 2) for g in gc_seconds],
        # Two shared cores: events/s means little without how busy the machine was (1, 5 minutes).
        "load_average": [round(load[0], 2), round(load[1], 2)],
    }


async def api_latency(url: str, database: str, requests: int) -> dict[str, float]:
    """GET /v1/researchers/{id} for random live researchers, one at a time; latency percentiles in ms."""
    engine = create_async_engine(database)
    async with engine.connect() as connection:
        ids = [r[0] for r in await connection.execute(text("SELECT id FROM researchers WHERE merged_into IS NULL"))]
        works = (await connection.execute(text("SELECT count(*) FROM works WHERE merged_into IS NULL"))).scalar_one()
    await engine.dispose()
    rng = random.Random(3)
    timings = []
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        for _ in range(50):  # warm-up
            await http.get(f"/v1/researchers/{rng.choice(ids)}")
        for _ in range(requests):
            started = time.perf_counter()
            response = await http.get(f"/v1/researchers/{rng.choice(ids)}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
    timings.sort()
    return {
        "works": works,
        "researchers": len(ids),
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def serve(database: str, prefix: str) -> tuple[subprocess.Popen[bytes], str]:
    """`sightline-profiles serve` without consumer and relay, as a separate process; waits until it answers."""
    port = free_port()
    env = {
        **os.environ,
        "PROFILES_DATABASE_URL": database,
        "PROFILES_PORT": str(port),
        "PROFILES_RUN_RELAY": "false",
        "SIGHTLINE_TOPIC_PREFIX": prefix,
        "SIGHTLINE_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        ["sightline-profiles", "serve", "--no-consumer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("profiles did not start")


def main() -> None:
    """Generate, publish, consume, then measure the API."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=126_000, help="126,000 events make about 100,000 works")
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=1_000, help="records per consumer batch (transaction)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the consumer")
    args = parser.parse_args()
    print(f"generating {args.events} paper.seen events ...")
    batch = events(args.events)
    with temporary_topics(BOOTSTRAP, "bench-profiles") as prefix, temporary_database(MAINTENANCE) as database:
        subprocess.run(
            ["sightline-profiles", "migrate"],
            env={**os.environ, "PROFILES_DATABASE_URL": database},
            check=True,
            capture_output=True,
        )
        asyncio.run(produce(prefix, batch))
        print(f"published {len(batch)} events; consuming with one profiles consumer (batches of {args.batch}) ...")
        settings = ProfilesSettings(
            database_url=database,
            topic_prefix=prefix,
            kafka_bootstrap_servers=BOOTSTRAP,
            consumer_group=f"bench-{uuid.uuid4().hex[:6]}",
            consume_batch=args.batch,
            log_level="WARNING",
        )
        throughput = asyncio.run(consume(settings, len(batch), args.profile))
        print(f"consumer: {throughput}")
        process, url = serve(database, prefix)
        try:
            latency = asyncio.run(api_latency(url, database, args.requests))
        finally:
            process.terminate()
            process.wait(30)
        print(f"GET /v1/researchers/{{id}}: {latency}")
    write_results(ROOT / "bench" / "results" / "profiles.json", {"consumer": throughput, "researcher_api": latency})


if __name__ == "__main__":
    main()
