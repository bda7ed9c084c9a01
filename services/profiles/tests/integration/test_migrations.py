"""Migrations: every step upgrades and downgrades cleanly (stairway), and they match the table definitions."""

from __future__ import annotations

import asyncio
import os
import subprocess

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from profiles.db.tables import metadata
from profiles.main import alembic_config
from profiles.settings import ProfilesSettings
from servicekit.testing import temporary_database

pytestmark = pytest.mark.integration


def _config(url: str) -> Config:
    return alembic_config(ProfilesSettings(database_url=url))


def test_stairway_up_down_up(maintenance_url: str) -> None:
    with temporary_database(maintenance_url) as url:
        config = _config(url)
        revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
        assert revisions, "profiles has no migrations"
        for revision in revisions:
            command.upgrade(config, revision.revision)
            command.downgrade(config, revision.down_revision or "base")
            command.upgrade(config, revision.revision)


def test_migrations_match_the_table_definitions(maintenance_url: str) -> None:
    with temporary_database(maintenance_url) as url:
        subprocess.run(["sightline-profiles", "migrate"], env={**os.environ, "PROFILES_DATABASE_URL": url}, check=True)
        diff = asyncio.run(_diff(url))
        assert diff == [], f"tables.py and the migrations disagree: {diff}"


async def _diff(url: str) -> list[object]:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
    finally:
        await engine.dispose()
