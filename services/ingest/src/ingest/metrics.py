"""Ingest's Prometheus metrics (the outbox and publish metrics come from servicekit's relay)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

SIGHTINGS = Counter("ingest_sightings_total", "Sightings by outcome", ["outcome", "source"])
REJECTIONS = Counter("ingest_rejections_total", "Reasons sightings were rejected, by field", ["field", "code"])
REQUESTS = Counter("ingest_requests_total", "Crawler API requests by HTTP status", ["status"])
BATCH_SIZE = Histogram(
    "ingest_batch_size", "Sightings per request", buckets=(1, 2, 5, 10, 50, 100, 250, 500, 1000, 2500, 10_000)
)
