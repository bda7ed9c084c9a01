"""Alembic environment for trust: its own tables, its own database."""

from alembic import context

from servicekit.migrations import run_migrations
from trust.db.tables import metadata
from trust.settings import TrustSettings

url = context.config.attributes.get("database_url") or TrustSettings().database_url.get_secret_value()
run_migrations(metadata, url)
