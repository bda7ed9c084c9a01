"""Alembic environment for ingest: its own tables, its own database."""

from alembic import context

from ingest.db.tables import metadata
from ingest.settings import IngestSettings
from servicekit.migrations import run_migrations

url = context.config.attributes.get("database_url") or IngestSettings().database_url.get_secret_value()
run_migrations(metadata, url)
