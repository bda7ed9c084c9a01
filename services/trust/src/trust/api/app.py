"""The trust ASGI application: routers, health and readiness, 422 problem bodies, the consumer's progress."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from servicekit.health import health_router, readiness_checks
from servicekit.outbox import OutboxRepository
from servicekit.problems import install_parameter_handlers, install_unavailable_handler
from trust.api.trust import trust_router
from trust.bootstrap import Trust
from trust.db.queries import ReadModel
from trust.db.tables import outbox


def create_app(trust: Trust) -> FastAPI:
    """The trust ASGI application; the consumer and the relay run beside it unless disabled."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with trust.running():
            yield

    app = FastAPI(
        title="Sightline trust",
        version="0.1.0",
        summary="Explainable trust snapshots of researchers: score, band, verification level, evidence, flags.",
        lifespan=lifespan,
    )
    relay = trust.relay
    app.include_router(
        health_router(readiness_checks(trust.engine, (lambda: relay.producer) if trust.settings.run_relay else None))
    )
    install_unavailable_handler(app)
    install_parameter_handlers(app)
    app.include_router(_status_router(trust))
    app.include_router(trust_router(trust))
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def _status_router(trust: Trust) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/v1/status", summary="Consumer progress on every consumed topic, outbox depth, counts")
    async def status() -> dict[str, Any]:
        progress = await trust.measure()
        async with trust.sessions() as session:
            depth = await OutboxRepository(session, outbox).depth()
            snapshots, policy_version = await ReadModel(session).counts()
        lag = sum(p.lag for p in progress)
        return {
            "consumer": {
                "group": trust.settings.consumer_group,
                "lag": lag,
                "topics": [
                    {
                        "topic": p.topic,
                        "lag": p.lag,
                        "partitions": [
                            {"partition": x.partition, "committed": x.committed, "end": x.end, "lag": x.lag}
                            for x in p.partitions
                        ],
                    }
                    for p in progress
                ],
            },
            "outbox_depth": depth,
            "caught_up": lag == 0 and depth == 0,
            "snapshots": snapshots,
            "policy_version": policy_version,
        }

    return router
