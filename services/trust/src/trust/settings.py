"""Trust settings (TRUST_* environment variables, plus the shared KAFKA_*/SIGHTLINE_*/OTEL_* ones)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class TrustSettings(ServiceSettings):
    """How trust runs: its database, its consumer group, batch sizes and which loops run in the process."""

    model_config = SettingsConfigDict(
        env_prefix="TRUST_", extra="ignore", validate_by_name=True, validate_by_alias=True
    )

    service_name: str = "trust"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://trust:trust@127.0.0.1:5432/trust")
    port: int = 8003
    consumer_group: str = Field(default="trust", min_length=1)
    # Each batch rescores every researcher it touched once: 5,000 records took 2.2x less CPU per event than 1,000.
    consume_batch: int = Field(default=5000, ge=1, le=20_000, description="Records per transaction.")
    # Fetches big enough to fill such batches when the topics hold a backlog.
    fetch_min_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    fetch_max_wait_ms: int = Field(default=500, ge=0, le=10_000)
    run_consumer: bool = Field(default=True, description="Consume inside the API process.")
    run_relay: bool = Field(default=True, description="Run the outbox relay inside the process.")
    relay_batch_size: int = Field(default=1000, ge=1)
    relay_poll_interval: float = Field(default=0.5, gt=0)
    retry_delay: float = Field(default=1.0, ge=0, description="Pause before a failed batch is redelivered.")
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    recompute_chunk: int = Field(default=500, ge=1, description="Researchers per transaction in a full recompute.")
    page_size: int = Field(default=20, ge=1, le=200, description="Default page size of the history endpoint.")
