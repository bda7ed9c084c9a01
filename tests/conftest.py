"""Cross-service end-to-end fixtures: real service processes started the way `make up` starts them."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from servicekit.testing import free_port, temporary_database

INGEST_MAINTENANCE_URL = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)


@dataclass
class ServiceProcess:
    """A service running as its own OS process, as in production."""

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


def start_ingest(env: dict[str, str], log: Path) -> ServiceProcess:
    """Migrate ingest's database and start `sightline-ingest serve` on a free port; wait until it answers."""
    port = free_port()
    full_env = {**os.environ, **env, "INGEST_PORT": str(port), "SIGHTLINE_LOG_JSON": "true"}
    subprocess.run(["sightline-ingest", "migrate"], env=full_env, check=True)
    handle = log.open("wb")
    process = subprocess.Popen(["sightline-ingest", "serve"], env=full_env, stdout=handle, stderr=subprocess.STDOUT)
    service = ServiceProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ingest exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{service.url}/healthz", timeout=1).status_code == 200:
                return service
        except httpx.HTTPError:
            time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"ingest did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def ingest_database() -> Iterator[str]:
    with temporary_database(INGEST_MAINTENANCE_URL) as url:
        yield url
