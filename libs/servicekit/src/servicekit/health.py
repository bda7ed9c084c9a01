"""Health, readiness and Prometheus metrics endpoints, the same for every service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.kafka import kafka_reachable

Check = Callable[[], Awaitable[bool]]


def health_router(checks: Mapping[str, Check], check_seconds: float = 3.0) -> APIRouter:
    """/healthz (the process answers), /readyz (every dependency check passes), /metrics (Prometheus text)."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness: the process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: database and Kafka reachable")
    async def readyz() -> JSONResponse:
        results = await asyncio.gather(*(_run(check, check_seconds) for check in checks.values()))
        status = {name: "ok" if ok else "unavailable" for name, ok in zip(checks, results, strict=True)}
        ready = all(results)
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": status}, 200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _run(check: Check, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            return await check()
    except Exception:  # a failing or hanging check means 'not ready', never a 500
        return False


def readiness_checks(engine: AsyncEngine, producer: Callable[[], AIOKafkaProducer | None] | None) -> dict[str, Check]:
    """The database check, plus Kafka when the process publishes (`producer` gives the relay's current producer)."""

    async def database_ok() -> bool:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    checks: dict[str, Check] = {"database": database_ok}
    if producer is not None:

        async def kafka_ok() -> bool:
            return await kafka_reachable(producer())

        checks["kafka"] = kafka_ok
    return checks
