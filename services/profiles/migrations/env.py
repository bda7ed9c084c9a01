"""Alembic environment for profiles: its own tables, its own database."""

from alembic import context

from profiles.db.tables import metadata
from profiles.settings import ProfilesSettings
from servicekit.migrations import run_migrations

url = context.config.attributes.get("database_url") or ProfilesSettings().database_url.get_secret_value()
run_migrations(metadata, url)
