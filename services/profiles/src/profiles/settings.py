"""Profiles settings (PROFILES_* environment variables, plus the shared KAFKA_*/SIGHTLINE_*/OTEL_* ones)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class ProfilesSettings(ServiceSettings):
    """How profiles runs: its database, its consumer group, batch sizes and which loops run in the process."""

    model_config = SettingsConfigDict(
        env_prefix="PROFILES_", extra="ignore", validate_by_name=True, validate_by_alias=True
    )

    service_name: str = "profiles"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://profiles:profiles@127.0.0.1:5432/profiles")
    port: int = 8002
    consumer_group: str = Field(default="profiles", min_length=1)
    consume_batch: int = Field(default=1000, ge=1, le=10_000, description="paper.seen records per transaction.")
    fetch_min_bytes: int = Field(
        default=256 * 1024, ge=1, description="The broker fills fetches up to this (or the wait) for big batches."
    )
    fetch_max_wait_ms: int = Field(default=100, ge=0, le=10_000)
    run_consumer: bool = Field(default=True, description="Consume paper.seen inside the API process.")
    run_relay: bool = Field(default=True, description="Run the outbox relay inside the process.")
    relay_batch_size: int = Field(default=1000, ge=1)
    relay_poll_interval: float = Field(default=0.5, gt=0)
    retry_delay: float = Field(default=1.0, ge=0, description="Pause before a failed batch is redelivered.")
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    page_size: int = Field(default=20, ge=1, le=200, description="Default page size of the list endpoints.")
