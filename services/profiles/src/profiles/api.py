"""The public HTTP API of profiles: researchers, works, the research graph; health, readiness, progress."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import text

from profiles.bootstrap import Profiles
from profiles.db.repository import counts_query
from profiles.db.tables import outbox
from servicekit.health import health_router
from servicekit.kafka import kafka_reachable
from servicekit.outbox import OutboxRepository
from servicekit.problems import install_unavailable_handler


def create_app(profiles: Profiles) -> FastAPI:
    """The profiles ASGI application; the consumer and relay run beside it unless disabled."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with profiles.running():
            yield

    app = FastAPI(
        title="Sightline profiles",
        version="0.1.0",
        summary="Researcher profiles and canonical works built from paper sightings.",
        lifespan=lifespan,
    )

    async def database_ok() -> bool:
        async with profiles.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    async def kafka_ok() -> bool:
        return await kafka_reachable(profiles.relay.producer)

    checks = {"database": database_ok}
    if profiles.settings.run_relay:
        checks["kafka"] = kafka_ok
    app.include_router(health_router(checks))
    install_unavailable_handler(app)

    @app.get("/v1/status", tags=["operations"], summary="Consumer progress: paper.seen lag, outbox depth, counts")
    async def status() -> dict[str, Any]:
        progress = await profiles.progress.measure()
        async with profiles.sessions() as session:
            depth = await OutboxRepository(session, outbox).depth()
            works, researchers = (await session.execute(counts_query())).one()
        return {
            "consumer": {
                "group": progress.group,
                "topic": progress.topic,
                "lag": progress.lag,
                "partitions": [
                    {"partition": p.partition, "committed": p.committed, "end": p.end, "lag": p.lag}
                    for p in progress.partitions
                ],
            },
            "outbox_depth": depth,
            "caught_up": progress.lag == 0 and depth == 0,
            "works": works,
            "researchers": researchers,
        }

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app
