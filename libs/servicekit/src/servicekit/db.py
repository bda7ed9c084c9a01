"""Async SQLAlchemy engine and session factory from service settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from servicekit.settings import ServiceSettings


def create_engine(settings: ServiceSettings) -> AsyncEngine:
    """An asyncpg engine with a bounded pool that checks connections before use (survives DB restarts)."""
    return create_async_engine(
        settings.database_url.get_secret_value(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (handlers read results after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)
