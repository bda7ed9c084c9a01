"""The unit of work: one transaction spanning the ledger, the crawler keys and the outbox."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ingest.db.repository import CrawlerRepository, SightingLedger
from ingest.db.tables import outbox
from servicekit.outbox import OutboxRepository


class UnitOfWork:
    """`async with uow:` opens a transaction; `commit()` makes every write durable at once, else all roll back."""

    crawlers: CrawlerRepository
    sightings: SightingLedger
    outbox: OutboxRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Use sessions from this factory."""
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        """Start a session and bind the repositories to it."""
        self._session = self._sessions()
        self.crawlers = CrawlerRepository(self._session)
        self.sightings = SightingLedger(self._session)
        self.outbox = OutboxRepository(self._session, outbox)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed, and release the connection."""
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        """Commit the transaction."""
        assert self._session is not None
        await self._session.commit()
