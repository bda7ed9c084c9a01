"""Test support for every service: an independent Kafka reader (kcat), a private broker, a fresh database."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine

REPO_ROOT = Path(__file__).resolve().parents[4]


@dataclass(frozen=True)
class KafkaRecord:
    """A record as an independent client (kcat) read it."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: Any
    headers: dict[str, str]


def read_topic(bootstrap: str, topic: str, timeout: float = 20.0) -> list[KafkaRecord]:
    """Every record of a topic from the beginning, read by kcat (not by our own client code)."""
    kcat = shutil.which("kcat") or shutil.which("kafkacat")
    if kcat is None:
        raise RuntimeError("kcat is not installed: run `make install` (apt-get install kcat)")
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            kcat,
            "-b",
            bootstrap,
            "-C",
            "-t",
            topic,
            "-o",
            "beginning",
            "-e",
            "-q",
            "-J",
            "-X",
            "api.version.request=true",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    records = []
    for line in completed.stdout.splitlines():
        raw = json.loads(line)
        pairs = raw.get("headers") or []
        headers = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}
        records.append(
            KafkaRecord(
                raw["topic"],
                raw["partition"],
                raw["offset"],
                raw.get("key"),
                _json(raw["payload"]),
                headers,
            )
        )
    return records


def _json(payload: str | None) -> Any:
    """A JSON payload parsed, anything else (a dead-lettered poison message) as its text."""
    try:
        return json.loads(payload or "")
    except ValueError:
        return payload


def wait_for_records(bootstrap: str, topic: str, count: int, timeout: float = 30.0) -> list[KafkaRecord]:
    """Poll the topic with kcat until it holds at least `count` records (or time runs out); returns them all."""
    deadline = time.monotonic() + timeout
    records = read_topic(bootstrap, topic)
    while len(records) < count and time.monotonic() < deadline:
        time.sleep(0.5)
        records = read_topic(bootstrap, topic)
    return records


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PrivateBroker:
    """A Kafka broker of the test's own, which it may stop and start at will."""

    port: int
    controller_port: int
    home: Path

    @property
    def bootstrap(self) -> str:
        """host:port to connect to."""
        return f"127.0.0.1:{self.port}"

    def _script(self, action: str) -> None:
        env = {
            **os.environ,
            "KAFKA_PORT": str(self.port),
            "KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "KAFKA_HOME_DIR": str(self.home),
            "KAFKA_HEAP": "384m",
        }
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["bash", str(REPO_ROOT / "deploy/local/kafka.sh"), action],  # noqa: S607 - bash from PATH
            env=env,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        """Start (formatting storage the first time); returns when the port accepts connections."""
        self._script("start")

    def stop(self) -> None:
        """Stop gracefully; data stays for the next start."""
        self._script("stop")


@contextmanager
def private_broker(home: Path) -> Iterator[PrivateBroker]:
    """A started private broker, stopped afterwards whatever happens."""
    broker = PrivateBroker(free_port(), free_port(), home)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@contextmanager
def temporary_database(maintenance_url: str) -> Iterator[str]:
    """A new, empty database owned by the URL's role, dropped afterwards; yields its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(maintenance_url, f'CREATE DATABASE "{name}"'))
    try:
        yield maintenance_url.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(_drop(maintenance_url, name))


async def _drop(maintenance_url: str, name: str, attempts: int = 20) -> None:
    # FORCE refuses while a backend of another role (an autovacuum worker) is attached: wait it out.
    for attempt in range(attempts):
        try:
            await _execute(maintenance_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except Exception:  # retried: an autovacuum worker may hold the database for a moment
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)


async def _execute(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def temporary_topics(bootstrap: str, label: str = "test") -> Iterator[str]:
    """Every contract topic under a fresh prefix (yielded), deleted afterwards: tests never touch real topics."""
    from servicekit.topics import delete_topics, ensure_topics

    prefix = f"{label}-{uuid.uuid4().hex[:8]}."
    asyncio.run(ensure_topics(bootstrap, prefix))
    try:
        yield prefix
    finally:
        asyncio.run(delete_topics(bootstrap, prefix))


def shared_data() -> Path:
    """The project's real sample data: SIGHTLINE_SHARED_DATA, else ../shared/data beside the checkout (as in CI)."""
    configured = os.environ.get("SIGHTLINE_SHARED_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


@dataclass
class ServiceProcess:
    """A service running as its own OS process, started the way `make up` starts it."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait; returns the exit code (uvicorn re-raises SIGTERM after a clean shutdown: -15)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return int(self.process.returncode)

    def stopped_gracefully(self) -> bool:
        """SIGTERM the process; True when it finished its shutdown (lifespan complete) in time."""
        code = self.stop()
        return code in (0, -signal.SIGTERM) and "Application shutdown complete" in self.log.read_text()


@dataclass(frozen=True)
class ImportRun:
    """One `sightline import` run: its exit code, output, and the counts of its closing summary."""

    returncode: int
    stdout: str
    stderr: str

    def counts(self) -> tuple[int, int, int, int]:
        """(read, accepted, duplicate, rejected) from the summary; ValueError when it printed none."""
        read = re.search(r"records read: ([\d,]+)", self.stdout)
        found = re.search(r"accepted: ([\d,]+)\s+duplicate: ([\d,]+)\s+rejected: ([\d,]+)", self.stdout)
        if read is None or found is None:
            raise ValueError(f"the importer printed no summary:\n{self.stdout}\n{self.stderr[-2000:]}")
        read_count, accepted, duplicate, rejected = (int(g.replace(",", "")) for g in (read[1], *found.groups()))
        return read_count, accepted, duplicate, rejected

    @property
    def accepted(self) -> int:
        """How many sightings ingest accepted."""
        return self.counts()[1]


def sightline_import(
    fmt: str, paths: Iterable[Path], *, url: str, key: str, rejects: Path, state_dir: Path, options: Sequence[str] = ()
) -> ImportRun:
    """Run the importer CLI as a user does (its own process, the public ingest API); never raises on failure."""
    command = ["sightline", "import", "--format", fmt, *map(str, paths), "--url", url, "--key", key]
    command += ["--rejects", str(rejects), "--state-dir", str(state_dir), *options]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    return ImportRun(done.returncode, done.stdout, done.stderr)


def maintenance_url_of(service: str) -> str:
    """Where a service's tests create their throwaway databases: <SERVICE>_TEST_DATABASE_URL, or the local default
    (the service's role and its `<service>_test` database, as deploy/local/postgres.sh creates them)."""
    default = f"postgresql+asyncpg://{service}:{service}@127.0.0.1:5432/{service}_test"
    return os.environ.get(f"{service.upper()}_TEST_DATABASE_URL", default)


def migrate_with_cli(service: str, url: str) -> None:
    """Apply the service's migrations with its real CLI (`sightline-<service> migrate`), as the prestart step does."""
    env = {**os.environ, f"{service.upper()}_DATABASE_URL": url}
    subprocess.run([f"sightline-{service}", "migrate"], env=env, check=True)  # noqa: S603 - our own entry point


@contextmanager
def migrated_database(service: str) -> Iterator[str]:
    """A throwaway database of the service, migrated to head by its CLI, dropped afterwards; yields its URL."""
    with temporary_database(maintenance_url_of(service)) as url:
        migrate_with_cli(service, url)
        yield url


def start_service(name: str, env: dict[str, str], log: Path, ready: str = "/healthz") -> ServiceProcess:
    """`sightline-<name> migrate`, then `sightline-<name> serve` on a free port (<NAME>_PORT); wait until ready."""
    port = free_port()
    full_env = {**os.environ, **env, f"{name.upper()}_PORT": str(port), "SIGHTLINE_LOG_JSON": "true"}
    command = f"sightline-{name}"  # our own entry points, never user input
    subprocess.run([command, "migrate"], env=full_env, check=True)  # noqa: S603
    handle = log.open("wb")
    process = subprocess.Popen([command, "serve"], env=full_env, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603
    service = ServiceProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{service.url}{ready}", timeout=1) as answer:  # noqa: S310 - local URL
                if answer.status == 200:
                    return service
        except OSError:
            time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"{name} did not start:\n{log.read_text()[-3000:]}")


def assert_migration_stairway(config: Config) -> None:
    """Every revision upgrades, downgrades and upgrades again cleanly, one step at a time from the base."""
    revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    assert revisions, "the service has no migrations"
    for revision in revisions:
        command.upgrade(config, revision.revision)
        command.downgrade(config, "-1")
        command.upgrade(config, revision.revision)


def schema_drift(url: str, metadata: MetaData) -> list[object]:
    """What differs between a migrated database and the table definitions (empty when they agree)."""

    async def compare() -> list[object]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                    )
                )
        finally:
            await engine.dispose()

    return asyncio.run(compare())
