"""Fixtures servicekit's integration tests share: a throwaway database and throwaway topics per module."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from servicekit.testing import temporary_database, temporary_topics

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with temporary_database(MAINTENANCE) as url:
        yield url


@pytest.fixture(scope="module")
def prefix(request: pytest.FixtureRequest) -> Iterator[str]:
    label = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    with temporary_topics(BOOTSTRAP, label) as value:
        yield value
