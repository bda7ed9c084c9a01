"""Fixtures for ingest's tests: a throwaway database migrated by the real CLI, and test-only Kafka topics."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from ingest.api import create_app
from ingest.bootstrap import Ingest, bootstrap
from ingest.service import register_crawler
from ingest.settings import IngestSettings
from servicekit.testing import temporary_database, temporary_topics

MAINTENANCE_URL = os.environ.get(
    "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
)
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


def migrate(url: str) -> None:
    """Apply ingest's migrations with the real CLI, as the prestart step does."""
    subprocess.run(["sightline-ingest", "migrate"], env={**os.environ, "INGEST_DATABASE_URL": url}, check=True)


@pytest.fixture(scope="session")
def maintenance_url() -> str:
    """A database the test role may connect to in order to create throwaway databases."""
    return MAINTENANCE_URL


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with temporary_database(MAINTENANCE_URL) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def topic_prefix() -> Iterator[str]:
    with temporary_topics(BOOTSTRAP) as prefix:
        yield prefix


@pytest.fixture(scope="session")
def settings(database_url: str, topic_prefix: str) -> IngestSettings:
    return IngestSettings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        kafka_bootstrap_servers=BOOTSTRAP,
        key_cache_seconds=0,
        max_body_bytes=2 * 1024 * 1024,
        relay_poll_interval=0.2,
    )


@pytest.fixture(scope="session")
def ingest(settings: IngestSettings) -> Ingest:
    return bootstrap(settings)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(ingest: Ingest) -> AsyncIterator[FastAPI]:
    """The ingest app with its lifespan running (so its outbox relay publishes to the test topics)."""
    application = create_app(ingest)
    async with application.router.lifespan_context(application):
        yield application


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def crawler_key(app: FastAPI, ingest: Ingest) -> str:
    return await register_crawler(ingest.uow(), f"test-{uuid.uuid4().hex[:6]}", ["*"])


@pytest_asyncio.fixture(loop_scope="session")
async def client(app: FastAPI, crawler_key: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {crawler_key}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://ingest", headers=headers) as http:
        yield http
