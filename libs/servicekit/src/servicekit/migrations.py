"""Alembic plumbing shared by every service's migrations/env.py: async engine, one metadata, one URL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def alembic_config(service_root: Path, database_url: str) -> Config:
    """Alembic configuration of a service folder (its alembic.ini and migrations/) against a database."""
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def run_migrations(metadata: MetaData, url: str) -> None:
    """Run the migrations of the current Alembic context, offline (SQL script) or online (async)."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        # Called from running code (tests, prestart) that already holds a connection: no nested event loop.
        _migrate(connection, metadata)
        return
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata, url))


async def _run_online(metadata: MetaData, url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_migrate, metadata)
    await engine.dispose()


def _migrate(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
