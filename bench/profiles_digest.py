"""Profiles digest: the bench's events applied in fixed batches without Kafka; a digest of the result, CPU per event.

The same events in the same batches always give the same works, researchers and authorships, so the digest
checks that a performance change changed no outcome (compare the digests printed before and after). The run is
also a Kafka-free measure of the consumer's cost: process CPU and PostgreSQL backend CPU per event.

    uv run --no-sync python bench/profiles_digest.py [--events 20000] [--seeds 7 11] [--batch 1000] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import os
import pstats
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from profiles.bootstrap import bootstrap
from profiles.db.researcher_cache import LIMIT, ResearcherCache
from profiles.handlers import apply_batch
from profiles.service import Publishing
from profiles.settings import ProfilesSettings
from servicekit.runtime import collector_paused, tune_gc
from servicekit.testing import temporary_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import tree_cpu_seconds  # noqa: E402
from bench.profiles_bench import MAINTENANCE, events  # noqa: E402

# What the digest covers: every outcome of disambiguation and work matching, none of the wall-clock columns.
DIGESTED = {
    "works": "SELECT id, merged_into, title_print, sightings, author_count, identifiers::text FROM works ORDER BY id",
    "identifiers": "SELECT identifier, work_id FROM work_identifiers ORDER BY identifier",
    "authorships": "SELECT work_id, position, researcher_id, confidence, reasons::text FROM authorships "
    "ORDER BY work_id, position",
    "researchers": "SELECT id, merged_into, orcid, works_count, names::text, profile::text, block_keys, name_tokens "
    "FROM researchers ORDER BY id",
    "blocks": "SELECT block_key, researcher_id FROM researcher_blocks ORDER BY block_key, researcher_id",
    "corpus": "SELECT kind, term, mentions FROM corpus_terms ORDER BY kind, term",
    "outbox": "SELECT topic, key FROM outbox ORDER BY topic, key, id",
}
T_NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def run(database: str, seed: int, count: int, size: int, profile: bool, cache_limit: int) -> dict[str, object]:
    """Apply `count` events of `seed` in batches of `size`; the digest and the costs."""
    profiles = bootstrap(ProfilesSettings(database_url=database, log_level="WARNING"))
    publishing = Publishing(producer="digest", topic_prefix="digest.")
    batch = events(count, seed)
    cache = ResearcherCache(limit=cache_limit)
    tune_gc()
    backends: set[int] = set()
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(0, len(batch), size):
        # As WakingProcessor.process: the whole batch without cyclic collection.
        with collector_paused():
            async with profiles.sessions() as session, session.begin():
                backends.add((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
                now = T_NOW + timedelta(minutes=n // size)
                if profiler:
                    profiler.enable()
                await apply_batch(session, batch[n : n + size], publishing, cache, now)
                if profiler:
                    profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    pg_cpu = sum(tree_cpu_seconds(pid) for pid in backends)
    digests = {}
    async with profiles.sessions() as session:
        for name, query in DIGESTED.items():
            h = hashlib.sha256()
            for row in await session.execute(text(query)):
                h.update(repr(tuple(row)).encode())
            digests[name] = h.hexdigest()[:12]
        counts = (
            await session.execute(
                text(
                    "SELECT (SELECT count(*) FROM works WHERE merged_into IS NULL), "
                    "(SELECT count(*) FROM researchers WHERE merged_into IS NULL)"
                )
            )
        ).one()
    await profiles.engine.dispose()
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(60)
    return {
        "seed": seed,
        "events": count,
        "works": counts[0],
        "researchers": counts[1],
        "events_per_s": round(count / elapsed, 1),
        "cpu_us_per_event": round(cpu / count * 1e6),
        "pg_cpu_us_per_event": round(pg_cpu / count * 1e6),
        "load_average": round(os.getloadavg()[0], 2),
        "cached": len(cache),
        "digest": hashlib.sha256(repr(sorted(digests.items())).encode()).hexdigest()[:16],
        "tables": digests,
    }


def main() -> None:
    """Migrate a throwaway database per seed, apply, print the figures and the digest."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the batches")
    parser.add_argument("--cache", type=int, default=LIMIT, help="researchers cached across batches (0: none)")
    args = parser.parse_args()
    for seed in args.seeds:
        with temporary_database(MAINTENANCE) as database:
            subprocess.run(
                ["sightline-profiles", "migrate"],
                env={**os.environ, "PROFILES_DATABASE_URL": database},
                check=True,
                capture_output=True,
            )
            print(asyncio.run(run(database, seed, args.events, args.batch, args.profile, args.cache)), flush=True)


if __name__ == "__main__":
    main()
