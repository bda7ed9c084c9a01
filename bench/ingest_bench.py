"""Ingest benchmark: sightings/s from POST to Kafka (single and batched) and single-POST latency; prints figures."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from common import BOOTSTRAP, KEY, ROOT, Ingest, post_lean, running_ingest, write_results

from contracts import PAPER_SEEN
from ingest.demo import generate


async def kafka_count(consumer: AIOKafkaConsumer, topic: str) -> int:
    """Messages in the topic: the sum of its partitions' end offsets (read from the broker, not from ingest)."""
    partitions = [TopicPartition(topic, p) for p in range(PAPER_SEEN.partitions)]
    return sum((await consumer.end_offsets(partitions)).values())


async def wait_in_kafka(consumer: AIOKafkaConsumer, topic: str, expected: int, limit_s: float = 600) -> float:
    """Wait until the topic holds `expected` messages; returns the monotonic time it did."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if await kafka_count(consumer, topic) >= expected:
            return time.monotonic()
        await asyncio.sleep(0.02)
    raise TimeoutError(f"{topic} did not reach {expected} messages")


def payloads(count: int, batch: int, salt: str) -> list[bytes]:
    items = list(generate(count, seed=hash(salt) & 0xFFFF))
    for n, item in enumerate(items):
        item["source_url"] = f"{item['source_url']}#{salt}-{n}"
    if batch == 1:
        return [orjson.dumps(item) for item in items]
    return [orjson.dumps({"sightings": items[i : i + batch]}) for i in range(0, len(items), batch)]


async def post_all(url: str, bodies: list[bytes], concurrency: int) -> list[float]:
    """POST every body with `concurrency` clients; returns each request's latency in seconds."""
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}

    async def worker() -> None:
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            status, content = await post_lean(url, "/v1/sightings", body, headers)
            latencies.append(time.perf_counter() - started)
            summary = orjson.loads(content).get("summary", {}) if status == 202 else {}
            if not summary.get("accepted"):
                raise RuntimeError(f"{status}: {content[:300]!r}")
            if summary["rejected"] or summary["duplicate"]:
                raise RuntimeError(f"benchmark data was not all accepted: {summary}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def scenario(name: str, ingest: Ingest, count: int, batch: int, concurrency: int) -> dict[str, object]:
    url, topic = ingest.url, f"{ingest.prefix}paper.seen"
    bodies = payloads(count, batch, uuid.uuid4().hex[:12])
    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP)
    await consumer.start()
    try:
        before = await kafka_count(consumer, topic)
        cpu_before = ingest.cpu_seconds()
        started = time.monotonic()
        latencies = await post_all(url, bodies, concurrency)
        posted = time.monotonic()
        done = await wait_in_kafka(consumer, topic, before + count)
        cpu = ingest.cpu_seconds() - cpu_before
    finally:
        await consumer.stop()
    ordered = sorted(latencies)
    result = {
        "scenario": name,
        "sightings": count,
        "batch": batch,
        "concurrency": concurrency,
        "accepted_per_s": round(count / (posted - started)),
        "end_to_end_per_s": round(count / (done - started)),
        "latency_p50_ms": round(statistics.median(ordered) * 1000, 2),
        "latency_p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        # CPU the service spent per sighting (HTTP, validation, database, relay): unlike the rates above, it
        # does not depend on what else shares the two cores (Kafka, PostgreSQL, this client).
        "ingest_cpu_us_per_sighting": round(cpu / count * 1e6),
    }
    print(
        f"{name:<26} {count:>7} sightings  batch {batch:>4} x{concurrency}  "
        f"accepted {result['accepted_per_s']:>6}/s  into Kafka {result['end_to_end_per_s']:>6}/s  "
        f"request p50 {result['latency_p50_ms']:>7} ms  p99 {result['latency_p99_ms']:>7} ms  "
        f"ingest CPU {result['ingest_cpu_us_per_sighting']:>4} µs/sighting"
    )
    return result


async def scenarios(ingest: Ingest, args: argparse.Namespace) -> list[dict[str, object]]:
    if args.only:
        return [await scenario(f"batched 500 x{args.only}", ingest, args.batched, 500, args.only)]
    await scenario("warm-up", ingest, 2_000, 500, 2)
    return [
        await scenario("single POST (latency)", ingest, args.single, 1, 1),
        await scenario("single POST x8", ingest, args.single * 2, 1, 8),
        await scenario("batched 1000 x2", ingest, args.batched, 1000, 2),
        await scenario("batched 500 x4", ingest, args.batched, 500, 4),
        await scenario("batched 500 x8", ingest, args.batched, 500, 8),
    ]


def main(args: argparse.Namespace) -> list[dict[str, object]]:
    with running_ingest(args.workers, args.relay_process) as ingest:
        return asyncio.run(scenarios(ingest, args))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--single", type=int, default=1_000, help="sightings posted one per request")
    parser.add_argument("--batched", type=int, default=50_000, help="sightings posted in batches")
    parser.add_argument("--only", type=int, help="run only the batched scenario with this many clients")
    parser.add_argument("--relay-process", action="store_true", help="run the outbox relay as its own process")
    parser.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results/ingest.json")
    arguments = parser.parse_args()
    write_results(arguments.json, main(arguments))
