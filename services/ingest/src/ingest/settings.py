"""Ingest settings (INGEST_* environment variables, plus the shared KAFKA_*/SIGHTLINE_*/OTEL_* ones)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class IngestSettings(ServiceSettings):
    """How ingest runs: where its database is, its limits, and the optional local dev crawler key."""

    model_config = SettingsConfigDict(
        env_prefix="INGEST_", extra="ignore", validate_by_name=True, validate_by_alias=True
    )

    service_name: str = "ingest"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest")
    port: int = 8001
    dev_crawler_key: SecretStr | None = Field(default=None, description="Registered on start as crawler 'local-dev'.")
    max_batch: int = Field(default=1000, ge=1, le=10_000)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    relay_batch_size: int = Field(default=1000, ge=1)
    relay_poll_interval: float = Field(default=0.5, gt=0)
    workers: int = Field(default=1, ge=1, le=64, description="HTTP worker processes (each relays too).")
    publish_direct: bool = Field(
        default=True, description="Publish to Kafka inside the request; the outbox takes a batch only when Kafka fails."
    )
    publish_timeout: float = Field(default=5.0, gt=0, description="How long a request waits for Kafka's acks.")
    publish_cooldown: float = Field(default=5.0, ge=0, description="After a Kafka failure, outbox-only for this long.")
    run_relay: bool = Field(default=True, description="Run the outbox relay inside the API process.")
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    key_cache_seconds: float = Field(default=30.0, ge=0)
