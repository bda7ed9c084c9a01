"""Migrations: every step upgrades and downgrades cleanly (stairway), and they match the table definitions."""

from __future__ import annotations

import os
import subprocess

import pytest

from servicekit.testing import assert_migration_stairway, schema_drift, temporary_database
from trust.db.tables import metadata
from trust.main import alembic_config
from trust.settings import TrustSettings

pytestmark = pytest.mark.integration


def test_stairway_up_down_up(maintenance_url: str) -> None:
    with temporary_database(maintenance_url) as url:
        assert_migration_stairway(alembic_config(TrustSettings(database_url=url)))


def test_migrations_match_the_table_definitions(maintenance_url: str) -> None:
    with temporary_database(maintenance_url) as url:
        subprocess.run(["sightline-trust", "migrate"], env={**os.environ, "TRUST_DATABASE_URL": url}, check=True)
        diff = schema_drift(url, metadata)
        assert diff == [], f"tables.py and the migrations disagree: {diff}"
