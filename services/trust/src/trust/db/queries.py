"""The API's reads: a snapshot, its history page, redirects of merged researchers, source stats, counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trust.db.snapshots import SnapshotStore
from trust.domain import SourceStats


class ReadModel:
    """Read-only queries on a request's session."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to a session."""
        self._session = session

    async def _rows(self, sql: str, **params: Any) -> Sequence[Any]:
        return (await self._session.execute(text(sql), params)).mappings().all()

    async def snapshot(self, researcher_id: str) -> dict[str, Any] | None:
        """The current snapshot with every component's and flag's evidence."""
        rows = await self._rows("SELECT * FROM snapshots WHERE researcher_id = :r", r=researcher_id)
        return dict(rows[0]) if rows else None

    async def survivor(self, researcher_id: str) -> str | None:
        """The live researcher a merged id redirects to (None when the id was never merged)."""
        rows = await self._rows(
            "WITH RECURSIVE chain(id, depth) AS (SELECT survivor_id, 1 FROM researcher_redirects WHERE id = :r "
            "UNION ALL SELECT d.survivor_id, c.depth + 1 FROM chain c JOIN researcher_redirects d ON d.id = c.id "
            "WHERE c.depth < 50) SELECT id FROM chain ORDER BY depth DESC LIMIT 1",
            r=researcher_id,
        )
        return str(rows[0]["id"]) if rows else None

    async def history(self, researcher_id: str, before: int | None, limit: int) -> list[dict[str, Any]]:
        """Revisions newest first, those below `before` when given."""
        rows = await self._rows(
            "SELECT * FROM snapshot_history WHERE researcher_id = :r AND (CAST(:b AS int) IS NULL OR revision < :b) "
            "ORDER BY revision DESC LIMIT :l",
            r=researcher_id,
            b=before,
            l=limit,
        )
        return [dict(r) for r in rows]

    async def source_stats(self) -> dict[str, SourceStats]:
        """Every source's counts."""
        return await SnapshotStore(self._session).source_stats()

    async def counts(self) -> tuple[int, str | None]:
        """Snapshots stored, and the policy they were computed with."""
        count = (await self._session.execute(text("SELECT count(*) FROM snapshots"))).scalar_one()
        return int(count), await SnapshotStore(self._session).policy_version()
