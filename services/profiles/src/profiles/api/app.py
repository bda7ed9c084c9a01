"""The profiles ASGI application: routers, health and readiness, 422 problem bodies, the consumer's progress."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from profiles.api.graph import graph_router
from profiles.api.researchers import researchers_router
from profiles.api.works import works_router
from profiles.bootstrap import Profiles
from profiles.db.repository import counts_query
from profiles.db.tables import outbox
from servicekit.health import health_router, readiness_checks
from servicekit.outbox import OutboxRepository
from servicekit.problems import install_parameter_handlers, install_unavailable_handler


def create_app(profiles: Profiles) -> FastAPI:
    """The profiles ASGI application; the consumer and the relay run beside it unless disabled."""

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

    # A process that leaves relaying to others does not talk to Kafka: only its database matters.
    relay = profiles.relay
    app.include_router(
        health_router(
            readiness_checks(profiles.engine, (lambda: relay.producer) if profiles.settings.run_relay else None)
        )
    )
    install_unavailable_handler(app)

    install_parameter_handlers(app)
    app.include_router(_status_router(profiles))
    app.include_router(researchers_router(profiles))
    app.include_router(graph_router(profiles))
    app.include_router(works_router(profiles))
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def _status_router(profiles: Profiles) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/v1/status", summary="Consumer progress: paper.seen and trust.changed lag, outbox depth, counts")
    async def status() -> dict[str, Any]:
        progress = await profiles.progress.measure()
        trust = await profiles.trust_progress.measure()
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
            "trust_changed": {"topic": trust.topic, "lag": trust.lag},
            "outbox_depth": depth,
            "caught_up": progress.lag == 0 and trust.lag == 0 and depth == 0,
            "works": works,
            "researchers": researchers,
        }

    return router
