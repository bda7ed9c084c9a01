"""Ingest's tables: crawler keys, the sighting ledger that deduplicates, and the outbox."""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import UUID

from servicekit.outbox import outbox_table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

crawlers = Table(
    "crawlers",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("key_hash", LargeBinary(32), nullable=False, unique=True),
    Column("key_hint", Text, nullable=False),
    Column("sources", ARRAY(Text), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# The ledger of accepted sightings; its unique constraints are what make a repeated post a duplicate.
sightings = Table(
    "sightings",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    # No foreign key to crawlers (migration 0004): it share-locked the crawler's row for every sighting, and
    # crawler rows are never deleted.
    Column("crawler_id", UUID(as_uuid=True), nullable=False),
    Column("sighting_id", Text, nullable=True),
    Column("source", Text, nullable=False),
    Column("source_url", Text, nullable=False),
    Column("content_hash", LargeBinary(32), nullable=False),
    Column("work_key", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # The primary key also refuses the same content from the same URL twice: event_id is a digest of
    # (source, source_url, content_hash), so a unique constraint on those three would repeat it.
    UniqueConstraint("crawler_id", "sighting_id"),
)

outbox = outbox_table(metadata)
