"""Health, readiness and Prometheus metrics endpoints, the same for every service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

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
