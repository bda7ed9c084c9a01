"""drop the ledger's (source, source_url, content_hash) unique constraint: the event_id primary key already holds it

The event id is a digest of exactly those three values (domain.event_id_for), so the primary key refuses the
same repeats; the second index only cost every accepted sighting another index insert and its WAL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 07:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("uq_sightings_source_source_url_content_hash", "sightings", type_="unique")


def downgrade() -> None:
    op.create_unique_constraint(
        "uq_sightings_source_source_url_content_hash", "sightings", ["source", "source_url", "content_hash"]
    )
