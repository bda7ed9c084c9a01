"""Settings every service reads from the environment; each service subclasses with its own prefix."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Shared settings; KAFKA_*, SIGHTLINE_* and OTEL_* names are the same for every service."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None, validate_by_name=True, validate_by_alias=True)

    service_name: str = "service"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://localhost/postgres")
    db_pool_size: int = Field(default=10, ge=1, le=200)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    kafka_replication_factor: int = Field(default=1, ge=1, validation_alias="KAFKA_REPLICATION_FACTOR")
    topic_prefix: str = Field(default="", validation_alias="SIGHTLINE_TOPIC_PREFIX")

    otel_endpoint: str | None = Field(default=None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    log_level: str = Field(default="INFO", validation_alias="SIGHTLINE_LOG_LEVEL")
    log_json: bool = Field(default=True, validation_alias="SIGHTLINE_LOG_JSON")
