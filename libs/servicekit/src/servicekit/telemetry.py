"""OpenTelemetry tracing, W3C trace context in Kafka headers, and JSON logs that carry the trace id."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from servicekit.settings import ServiceSettings

_configured = False


def setup_telemetry(settings: ServiceSettings) -> None:
    """Install the tracer provider (exporting by OTLP/HTTP when an endpoint is set) and the log format, once."""
    global _configured  # noqa: PLW0603 - process-wide providers must be installed exactly once
    if _configured:
        return
    _configured = True
    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    if settings.otel_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    setup_logging(settings.log_level, settings.log_json)


def setup_logging(level: str, as_json: bool) -> None:
    """Route the root logger to stdout, as JSON lines with trace ids or as plain text."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka logs every failed reconnect at ERROR, many per second during a broker outage; the relay and
    # consumers report such faults themselves, once per attempt, so its own logs show only at DEBUG.
    logging.getLogger("aiokafka").setLevel(logging.DEBUG if root.level <= logging.DEBUG else logging.CRITICAL)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with the active trace and span ids so logs join traces."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record, its extras and the current span's ids."""
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        for key, value in record.__dict__.items():
            if key.startswith("ctx_"):
                entry[key[4:]] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def current_trace_headers() -> dict[str, str]:
    """The W3C trace context (traceparent, tracestate) of the active span, to store or send along a message."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier
