"""What the benchmarks share: ingest started as `make up` starts it, on a throwaway database and topic prefix."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servicekit.testing import start_service, temporary_database, temporary_topics

ROOT = Path(__file__).resolve().parents[1]

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)
KEY = "slk_bench_" + uuid.uuid4().hex


@dataclass(frozen=True)
class Ingest:
    """A running ingest: where it answers, its topic prefix, and a scratch folder removed with it."""

    url: str
    prefix: str
    workdir: Path
    pids: tuple[int, ...]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by ingest's processes, worker processes included."""
        return sum(tree_cpu_seconds(pid) for pid in self.pids)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a live process and its live descendants, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(tree_cpu_seconds(int(child)) for child in children)


@contextmanager
def running_ingest(workers: int, relay_process: bool = False) -> Iterator[Ingest]:
    """Ingest with `workers` processes on fresh topics and database, KEY its dev crawler key; all removed after.

    With `relay_process`, the outbox relay runs as its own process instead of inside each API worker.
    """
    with (
        temporary_topics(BOOTSTRAP, "bench") as prefix,
        temporary_database(MAINTENANCE) as db,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            "INGEST_DATABASE_URL": db,
            "SIGHTLINE_TOPIC_PREFIX": prefix,
            "INGEST_DEV_CRAWLER_KEY": KEY,
            "SIGHTLINE_LOG_LEVEL": "WARNING",
            "INGEST_WORKERS": str(workers),
            "INGEST_RUN_RELAY": "false" if relay_process else "true",
        }
        service = start_service("ingest", env, Path(tmp) / "ingest.log")
        relay = subprocess.Popen(["sightline-ingest", "relay"], env={**os.environ, **env}) if relay_process else None
        try:
            pids = (service.process.pid,) + ((relay.pid,) if relay is not None else ())
            yield Ingest(service.url, prefix, Path(tmp), pids)
        finally:
            service.stop()
            if relay is not None:
                relay.terminate()
                relay.wait(30)


def write_results(path: Path, results: object) -> None:
    """The benchmark's figures as JSON, for bench/results/."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")


async def post_lean(url: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST over a fresh HTTP/1.1 connection with almost no client-side work; returns (status, body).

    The benchmark client shares the two cores with what it measures, and a full HTTP client spends more CPU
    per 500 KB request than the service's own parsing does. A connection per request also lets whichever
    service worker is free take the next one, as many independent crawlers would.
    """
    host, _, port = url.removeprefix("http://").partition(":")
    reader, writer = await asyncio.open_connection(host, int(port or 80))
    try:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n{head}"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        status_line = await reader.readline()
        length = None
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        content = await (reader.readexactly(length) if length is not None else reader.read())
        return int(status_line.split()[1]), content
    finally:
        writer.close()
