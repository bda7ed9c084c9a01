"""Async SQLAlchemy engine and session factory from service settings."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from servicekit.settings import ServiceSettings


def create_engine(settings: ServiceSettings, *, fast_json: bool = False) -> AsyncEngine:
    """An asyncpg engine with a bounded pool; `fast_json` (de)serialises JSON/JSONB columns with orjson.

    No pre-ping (it doubles the cost of a short transaction): after a database restart the first statement on a
    dead connection fails, SQLAlchemy then discards the whole pool, and that one request answers 503.
    """
    options: dict[str, Any] = {}
    if fast_json:
        options = {"json_serializer": _orjson_text, "json_deserializer": orjson.loads}
    return create_async_engine(
        settings.database_url.get_secret_value(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_recycle=1800,
        **options,
    )


def _orjson_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def database_unavailable(exc: BaseException) -> bool:
    """True for errors that mean the database cannot be reached right now (worth a retry), not a bad query."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, InterfaceError | OperationalError | OSError | ConnectionError)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (handlers read results after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)
