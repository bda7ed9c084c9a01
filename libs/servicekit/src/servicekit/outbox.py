"""Transactional outbox: messages are written with the business rows and relayed to Kafka after commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

OUTBOX_TABLE = "outbox"


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table, declared in a service's own metadata so its migrations own it."""
    return Table(
        OUTBOX_TABLE,
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("topic", Text, nullable=False),
        Column("key", LargeBinary, nullable=True),
        Column("value", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("attempts", Integer, nullable=False, server_default="0"),
    )


@dataclass(frozen=True)
class OutboxMessage:
    """A message waiting to be published: topic, key, value and string headers."""

    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class PendingMessage:
    """A stored outbox row claimed by the relay."""

    id: int
    message: OutboxMessage
    created_at: datetime


class OutboxRepository:
    """All SQL touching the outbox, on the caller's session (so writes share its transaction)."""

    def __init__(self, session: AsyncSession, table: Table) -> None:
        """Bind to a session and the service's outbox table."""
        self._session = session
        self._table = table

    async def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        """Queue messages in the current transaction; they are published only if it commits."""
        if not messages:
            return
        # Column arrays and unnest: one cheap statement for a whole batch, ids assigned in the given order.
        statement = text(
            f"INSERT INTO {self._table.name} (topic, key, value, headers) "  # noqa: S608
            "SELECT t, k, v, CAST(h AS jsonb) FROM unnest(CAST(:topics AS text[]), CAST(:keys AS bytea[]), "
            "CAST(:values AS bytea[]), CAST(:headers AS text[])) WITH ORDINALITY AS m(t, k, v, h, n) ORDER BY n"
        )
        await self._session.execute(
            statement,
            {
                "topics": [m.topic for m in messages],
                "keys": [m.key for m in messages],
                "values": [m.value for m in messages],
                "headers": [orjson.dumps(m.headers).decode() for m in messages],
            },
        )

    async def take(self, limit: int) -> list[PendingMessage]:
        """Remove and return the oldest rows in one statement; they come back if the transaction rolls back.

        Rows another relay holds are skipped, not waited for, so relays in several processes share the work.
        """
        t = self._table
        oldest = select(t.c.id).order_by(t.c.id).limit(limit).with_for_update(skip_locked=True).scalar_subquery()
        statement = (
            delete(t)
            .where(t.c.id.in_(oldest))
            .returning(t.c.id, t.c.topic, t.c.key, t.c.value, t.c.headers, t.c.created_at)
        )
        rows = sorted((await self._session.execute(statement)).all(), key=lambda r: r.id)
        return [
            PendingMessage(r.id, OutboxMessage(r.topic, r.key, r.value, dict(r.headers)), r.created_at) for r in rows
        ]

    async def bump_attempts(self, ids: Sequence[int]) -> None:
        """Count a failed publish attempt on rows (visible in metrics and for operators)."""
        t = self._table
        await self._session.execute(t.update().where(t.c.id.in_(ids)).values(attempts=t.c.attempts + 1))

    async def depth(self) -> int:
        """How many messages wait to be published."""
        return int((await self._session.execute(select(func.count()).select_from(self._table))).scalar_one())
