"""drop the ledger's foreign key to crawlers: a lock on the one crawler row for every accepted sighting

Each inserted ledger row made PostgreSQL look up and share-lock its crawler's row (a 100,000-row insert took
23 µs a row with the key, 16 without), and a backfill's concurrent requests, all from one crawler, turned those
shared locks into multixacts. Crawlers are never deleted (a key is revoked, its row stays), and ledger rows are
written only for a crawler just authenticated from that table, so the constraint guarded nothing the code can
break.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint("fk_sightings_crawler_id_crawlers", "sightings", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key("fk_sightings_crawler_id_crawlers", "sightings", "crawlers", ["crawler_id"], ["id"])
