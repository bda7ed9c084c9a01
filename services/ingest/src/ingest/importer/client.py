"""Posting batches to the crawler API with retries: backoff on 429/5xx and network faults, split on 413."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class ImportAbortedError(Exception):
    """The API refused the import in a way retrying cannot fix (bad key, forbidden, malformed request)."""


@dataclass
class IngestClient:
    """A crawler-API client that retries what is worth retrying and splits batches the server finds too large."""

    http: httpx.AsyncClient
    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0
    retries: int = 0

    async def post(self, sightings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Results for each sighting, in order; raises ImportAbortedError on a non-retryable refusal."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self.http.post(
                    "/v1/sightings",
                    content=orjson.dumps({"sightings": sightings}),
                    headers={"Content-Type": "application/json"},
                )
            except httpx.TransportError as exc:
                await self._backoff(attempt, f"network error: {exc!r}", None)
                continue
            if response.status_code == 202:
                return list(orjson.loads(response.content)["results"])
            if response.status_code == 413 and len(sightings) > 1:
                half = len(sightings) // 2
                return await self.post(sightings[:half]) + await self.post(sightings[half:])
            if response.status_code in RETRYABLE:
                await self._backoff(attempt, f"HTTP {response.status_code}", response.headers.get("retry-after"))
                continue
            raise ImportAbortedError(f"ingest answered {response.status_code}: {response.text[:500]}")

    async def _backoff(self, attempt: int, why: str, retry_after: str | None) -> None:
        if attempt >= self.max_attempts:
            raise ImportAbortedError(f"giving up after {attempt} attempts ({why}); run the import again to resume")
        self.retries += 1
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) * (0.5 + random.random())  # noqa: S311
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        await asyncio.sleep(delay)
