"""Tracing: the crawler's request and the Kafka message share one trace, so consumers continue it."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ingest.settings import IngestSettings
from servicekit.testing import wait_for_records

pytestmark = pytest.mark.integration


async def test_request_span_and_message_headers_share_a_trace(
    client: httpx.AsyncClient, settings: IngestSettings
) -> None:
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), "bootstrap installs the SDK tracer provider"
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    marker = uuid.uuid4().hex
    sighting = {
        "source": "arxiv",
        "source_url": f"https://arxiv.org/abs/{marker}",
        "paper": {"title": f"Traced paper {marker}", "authors": [{"name": "Kaisheng Ma"}]},
    }
    response = await client.post("/v1/sightings", json=sighting)
    event_id = response.json()["results"][0]["event_id"]

    topic = f"{settings.topic_prefix}paper.seen"
    records = await asyncio.to_thread(wait_for_records, settings.kafka_bootstrap_servers, topic, 1)
    record = next(r for r in records if r.value["event_id"] == event_id)
    _, trace_id, parent_span_id, flags = record.headers["traceparent"].split("-")

    spans = {span.name: span for span in exporter.get_finished_spans()}
    accept = spans["ingest.accept_sightings"]
    assert format(accept.context.trace_id, "032x") == trace_id
    assert format(accept.context.span_id, "016x") == parent_span_id
    assert int(flags, 16) & 1, "sampled"
    http_spans = [s for s in exporter.get_finished_spans() if s.name.startswith("POST /v1/sightings")]
    assert http_spans, [s.name for s in exporter.get_finished_spans()]
    assert all(format(s.context.trace_id, "032x") == trace_id for s in http_spans)
