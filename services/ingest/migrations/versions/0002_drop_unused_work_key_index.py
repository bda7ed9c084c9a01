"""drop the ledger's work_key index: no query reads by it, and every accepted sighting paid to maintain it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 06:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_sightings_work_key", table_name="sightings")


def downgrade() -> None:
    op.create_index("ix_sightings_work_key", "sightings", ["work_key"], unique=False)
