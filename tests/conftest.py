"""Cross-service end-to-end fixtures: real service processes started the way `make up` starts them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from servicekit.testing import ServiceProcess, start_service, temporary_database

INGEST_MAINTENANCE_URL = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)


PROFILES_MAINTENANCE_URL = os.environ.get(
    "PROFILES_TEST_DATABASE_URL", "postgresql+asyncpg://profiles:profiles@127.0.0.1:5432/profiles_test"
)


def start_profiles(env: dict[str, str], log: Path) -> ServiceProcess:
    """Migrate and start `sightline-profiles serve` (API, consumer and relay) on a free port; wait until ready."""
    return start_service("profiles", env, log, ready="/readyz")


@pytest.fixture
def profiles_database() -> Iterator[str]:
    with temporary_database(PROFILES_MAINTENANCE_URL) as url:
        yield url


def start_ingest(env: dict[str, str], log: Path) -> ServiceProcess:
    """Migrate ingest's database and start `sightline-ingest serve` on a free port; wait until it answers."""
    return start_service("ingest", env, log)


@pytest.fixture
def ingest_database() -> Iterator[str]:
    with temporary_database(INGEST_MAINTENANCE_URL) as url:
        yield url
