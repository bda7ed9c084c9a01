"""Profiles' tables: canonical works and their identifiers, authorships, researchers, the block index, corpus counts.

Ids are text derived from content (see profiles.domain), never sequences, so a replay rebuilds the same ids. A
retired work or researcher keeps its row as a tombstone (`merged_into`), so its id keeps answering (a redirect).
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per canonical work (live, or a tombstone pointing at the work it was merged into).
works = Table(
    "works",
    metadata,
    Column("id", Text, primary_key=True),
    Column("merged_into", Text, nullable=True),
    # The id derives from the founding key: the key with the earliest (seen_at, key) among the work's sightings.
    Column("founding_key", Text, nullable=False),
    Column("founding_seen_at", DateTime(timezone=True), nullable=False),
    Column("title", Text, nullable=True),
    Column("title_print", Text, nullable=True),
    Column("abstract", Text, nullable=True),
    Column("kind", Text, nullable=True),
    Column("venue", Text, nullable=True),
    Column("published", Text, nullable=True),
    Column("year", SmallInteger, nullable=True),
    Column("keywords", ARRAY(Text), nullable=False, server_default="{}"),
    Column("urls", JSONB, nullable=False, server_default="{}"),
    Column("identifiers", JSONB, nullable=False, server_default="{}"),
    Column("topics", JSONB, nullable=False, server_default="[]"),
    Column("topic_ids", ARRAY(Text), nullable=False, server_default="{}"),
    # {"fields": {field: source}, "sources": {source: {first_seen, last_seen, sightings, urls}}}
    Column("provenance", JSONB, nullable=False, server_default="{}"),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("sightings", Integer, nullable=False, server_default="0"),
    # Author slots on the canonical work (close collaborators ignore works with very many authors).
    Column("author_count", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index(None, "title_print", postgresql_where=text("merged_into IS NULL AND title_print IS NOT NULL")),
    Index(None, "topic_ids", postgresql_using="gin"),
)

# Every identifier and work key ever seen ('doi:10.1/x', 'arxiv:2401.00001', 'title:...') -> its work. Unique: one
# identifier is one work, also when two replicas see it at once.
work_identifiers = Table(
    "work_identifiers",
    metadata,
    Column("identifier", Text, primary_key=True),
    Column("work_id", Text, nullable=False),
    Index(None, "work_id"),
)

# One author slot of a canonical work and the researcher it is attributed to, with the evidence.
authorships = Table(
    "authorships",
    metadata,
    Column("work_id", Text, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("family_name", Text, nullable=True),
    Column("given_name", Text, nullable=True),
    Column("orcid", Text, nullable=True),
    Column("affiliations", ARRAY(Text), nullable=False, server_default="{}"),
    Column("institutions", JSONB, nullable=False, server_default="[]"),
    Column("researcher_id", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reasons", JSONB, nullable=False, server_default="[]"),
    # {source: name as that source printed it}
    Column("sources", JSONB, nullable=False, server_default="{}"),
    # The earliest evidence of this slot: (seen_at, work key, position in that sighting); researcher ids derive from it.
    Column("origin_at", DateTime(timezone=True), nullable=False),
    Column("origin_key", Text, nullable=False),
    Column("origin_pos", SmallInteger, nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("work_id", "position"),
    Index(None, "researcher_id"),
)

researchers = Table(
    "researchers",
    metadata,
    Column("id", Text, primary_key=True),
    Column("merged_into", Text, nullable=True),
    Column("split_into", ARRAY(Text), nullable=True),
    # The global ORCID index: unique, only on live researchers (tombstones give theirs up).
    Column("orcid", Text, nullable=True, unique=True),
    Column("display_name", Text, nullable=False),
    # {name as printed: how many authorships print it}
    Column("names", JSONB, nullable=False, server_default="{}"),
    Column("name_tokens", ARRAY(Text), nullable=False, server_default="{}"),
    Column("works_count", Integer, nullable=False, server_default="0"),
    Column("profile", JSONB, nullable=False),
    Column("block_keys", ARRAY(Text), nullable=False, server_default="{}"),
    Column("origin_at", DateTime(timezone=True), nullable=False),
    Column("origin_key", Text, nullable=False),
    Column("origin_pos", SmallInteger, nullable=False),
    Column("claimed", Boolean, nullable=False, server_default="false"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index(None, "name_tokens", postgresql_using="gin"),
    Index("ix_researchers_listing", text("works_count DESC"), "id", postgresql_where=text("merged_into IS NULL")),
)

# The block-key index: which live researchers a name key may mean (candidates for the engine).
researcher_blocks = Table(
    "researcher_blocks",
    metadata,
    Column("block_key", Text, nullable=False),
    Column("researcher_id", Text, nullable=False),
    PrimaryKeyConstraint("block_key", "researcher_id"),
    Index(None, "researcher_id"),
)

# Corpus statistics for the engine: in how many mentions each (kind, term) occurred; ('*', '*') counts mentions.
corpus_terms = Table(
    "corpus_terms",
    metadata,
    Column("kind", Text, nullable=False),
    Column("term", Text, nullable=False),
    Column("mentions", BigInteger, nullable=False),
    PrimaryKeyConstraint("kind", "term"),
)

# The latest trust snapshot of each researcher (trust.changed): the newest computed_at, then revision, wins.
trust_snapshots = Table(
    "trust_snapshots",
    metadata,
    Column("researcher_id", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("band", Text, nullable=False),
    Column("verification_level", Text, nullable=False),
    Column("claimed", Boolean, nullable=False),
    Column("policy_version", Text, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

inbox = inbox_table(metadata)
outbox = outbox_table(metadata)
