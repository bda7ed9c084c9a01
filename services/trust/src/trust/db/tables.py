"""Trust's tables: the facts it keeps from the events (sightings, works, authorships, redirects), snapshots, history.

Researcher and work ids are profiles'; trust stores only what its rules read, and recomputes from these facts.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per paper.seen event: what the rules read of it (identifiers, kind, venue, authors' ORCIDs, affiliations).
sightings = Table(
    "sightings",
    metadata,
    Column("event_id", UUID(as_uuid=False), primary_key=True),
    Column("work_key", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("doi", Text, nullable=True),
    Column("arxiv", Text, nullable=True),
    Column("pmid", Text, nullable=True),
    Column("kind", Text, nullable=True),
    Column("venue", Text, nullable=True),
    # [[folded surname, orcid or null, [affiliation, ...]], ...] in the source's order.
    Column("authors", JSONB, nullable=False, server_default="[]"),
    Index(None, "work_key"),
)

# Work key -> the canonical work profiles put it on (from work.attributed; repointed when works merge).
work_keys = Table(
    "work_keys",
    metadata,
    Column("work_key", Text, primary_key=True),
    Column("work_id", Text, nullable=False),
    Index(None, "work_id"),
)

# Canonical works as work.attributed describes them; a merged work keeps a tombstone (merged_into).
works = Table(
    "works",
    metadata,
    Column("id", Text, primary_key=True),
    Column("merged_into", Text, nullable=True),
    Column("year", SmallInteger, nullable=True),
    Column("topic_ids", ARRAY(Text), nullable=False, server_default="{}"),
    Column("sources", ARRAY(Text), nullable=False, server_default="{}"),
    # A work key with a registered identifier (doi:, arxiv:, pmid:) was attributed to it.
    Column("identified", Boolean, nullable=False, server_default="false"),
)

# The researcher of each author slot now (work.attributed, then researcher.merged/split applied).
authorships = Table(
    "authorships",
    metadata,
    Column("work_id", Text, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("researcher_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    PrimaryKeyConstraint("work_id", "position"),
    Index(None, "researcher_id"),
)

# Researchers retired by researcher.merged: the API answers 301 to the survivor.
researcher_redirects = Table(
    "researcher_redirects",
    metadata,
    Column("id", Text, primary_key=True),
    Column("survivor_id", Text, nullable=False),
)

# Per source: works it saw and how many of those another source family saw too (reputation is learned from these).
source_stats = Table(
    "source_stats",
    metadata,
    Column("source", Text, primary_key=True),
    Column("works", BigInteger, nullable=False, server_default="0"),
    Column("corroborated", BigInteger, nullable=False, server_default="0"),
)

# The current snapshot of each researcher, with the evidence of every component and flag.
snapshots = Table(
    "snapshots",
    metadata,
    Column("researcher_id", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("band", Text, nullable=False),
    Column("verification_level", Text, nullable=False),
    Column("verification_rule", Text, nullable=False),
    Column("verification_evidence", JSONB, nullable=False),
    Column("claimed", Boolean, nullable=False),
    Column("policy_version", Text, nullable=False),
    Column("digest", Text, nullable=False),
    Column("components", JSONB, nullable=False),
    Column("flags", JSONB, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

# Every changed snapshot, newest revision last: which policy produced which score.
snapshot_history = Table(
    "snapshot_history",
    metadata,
    Column("researcher_id", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("band", Text, nullable=False),
    Column("verification_level", Text, nullable=False),
    Column("claimed", Boolean, nullable=False),
    Column("policy_version", Text, nullable=False),
    Column("components", JSONB, nullable=False),
    Column("flags", JSONB, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("researcher_id", "revision"),
)

# Service state: the policy version every stored snapshot was computed with.
trust_state = Table(
    "trust_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

inbox = inbox_table(metadata)
outbox = outbox_table(metadata)
