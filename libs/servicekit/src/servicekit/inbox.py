"""Transactional inbox: the event ids a consumer has applied, written in the same transaction as their effects."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, Table, Text, func, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

INBOX_TABLE = "inbox"


def inbox_table(metadata: MetaData) -> Table:
    """The inbox table, declared in a service's own metadata so its migrations own it."""
    return Table(
        INBOX_TABLE,
        metadata,
        Column("event_id", postgresql.UUID(as_uuid=True), primary_key=True),
        Column("topic", Text, nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class InboxRepository:
    """Claims event ids on the caller's session: a redelivered event is claimed by nobody the second time."""

    def __init__(self, session: AsyncSession, table: Table) -> None:
        """Bind to a session and the service's inbox table."""
        self._session = session
        self._table = table

    async def claim(self, entries: Sequence[tuple[UUID, str, int, int]]) -> set[UUID]:
        """Record (event_id, topic, partition, offset) rows; returns the ids not seen before (to apply now)."""
        if not entries:
            return set()
        statement = text(
            f'INSERT INTO {self._table.name} (event_id, topic, "partition", "offset") '  # noqa: S608
            "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:topics AS text[]), CAST(:partitions AS int[]), "
            "CAST(:offsets AS bigint[])) ON CONFLICT DO NOTHING RETURNING event_id"
        )
        result = await self._session.execute(
            statement,
            {
                "ids": [e[0] for e in entries],
                "topics": [e[1] for e in entries],
                "partitions": [e[2] for e in entries],
                "offsets": [e[3] for e in entries],
            },
        )
        return set(result.scalars().all())
