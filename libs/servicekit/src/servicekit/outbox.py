"""Transactional outbox: messages are written with the business rows and relayed to Kafka after commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

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


class OutboxMessage(NamedTuple):
    """A message waiting to be published: topic, key, value and string headers (one per event: a named tuple)."""

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
        # Plain SQL and positional rows: the relay's per-row cost (ORM result processing) was a tenth of a consumer.
        name = self._table.name
        statement = text(
            f"DELETE FROM {name} WHERE id IN (SELECT id FROM {name} ORDER BY id LIMIT :limit "  # noqa: S608
            "FOR UPDATE SKIP LOCKED) RETURNING id, topic, key, value, headers, created_at"
        )
        rows = sorted((await self._session.execute(statement, {"limit": limit})).all(), key=itemgetter(0))
        return [
            PendingMessage(i, OutboxMessage(topic, key, value, _headers(headers)), created)
            for i, topic, key, value, headers, created in rows
        ]

    async def bump_attempts(self, ids: Sequence[int]) -> None:
        """Count a failed publish attempt on rows (visible in metrics and for operators)."""
        t = self._table
        await self._session.execute(t.update().where(t.c.id.in_(ids)).values(attempts=t.c.attempts + 1))

    async def depth(self) -> int:
        """How many messages wait to be published: the span of the queued ids (0 exactly when none waits).

        Two ends of the primary key instead of count(*), which visited every row (dead ones too) each second and
        grew with the backlog when publishing was stuck. Exact while the queued ids are contiguous (the relay takes
        the oldest first); ids of rolled-back inserts, or rows another relay took out of order, make it an upper bound.
        """
        t = self._table
        span = select(func.coalesce(func.max(t.c.id) - func.min(t.c.id) + 1, 0))
        return int((await self._session.execute(span)).scalar_one())


def _headers(value: Any) -> dict[str, str]:
    """The headers column as a dict (JSONB arrives decoded, or as text without a JSON codec)."""
    return dict(orjson.loads(value) if isinstance(value, str | bytes) else value)
