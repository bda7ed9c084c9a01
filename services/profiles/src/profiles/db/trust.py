"""Trust snapshots trust.changed delivers: kept per researcher, the newest (computed_at, revision) winning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import TrustSnapshot


class TrustSnapshots:
    """The trust_snapshots table on the caller's session."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to the batch's session."""
        self._session = session

    async def save(self, snapshots: Sequence[TrustSnapshot]) -> None:
        """Upsert each researcher's newest snapshot of the batch; an older one never replaces a newer one.

        Newest by computation time, then revision: trust rebuilt by replay numbers its revisions from 1 again.
        """
        newest: dict[str, TrustSnapshot] = {}
        for s in snapshots:
            if s.researcher_id not in newest or _order(newest[s.researcher_id]) < _order(s):
                newest[s.researcher_id] = s
        if not newest:
            return
        rows = [newest[r] for r in sorted(newest)]
        await self._session.execute(
            text(
                "INSERT INTO trust_snapshots (researcher_id, revision, score, band, verification_level, claimed, "
                "policy_version, computed_at) SELECT * FROM unnest(CAST(:r AS text[]), CAST(:v AS int[]), "
                "CAST(:s AS smallint[]), CAST(:b AS text[]), CAST(:l AS text[]), CAST(:c AS boolean[]), "
                "CAST(:p AS text[]), CAST(:t AS timestamptz[])) ON CONFLICT (researcher_id) DO UPDATE SET "
                "revision = excluded.revision, score = excluded.score, band = excluded.band, verification_level = "
                "excluded.verification_level, claimed = excluded.claimed, policy_version = excluded.policy_version, "
                "computed_at = excluded.computed_at WHERE (trust_snapshots.computed_at, trust_snapshots.revision) "
                "< (excluded.computed_at, excluded.revision)"
            ),
            {
                "r": [x.researcher_id for x in rows],
                "v": [x.revision for x in rows],
                "s": [x.score for x in rows],
                "b": [x.band for x in rows],
                "l": [x.verification_level for x in rows],
                "c": [x.claimed for x in rows],
                "p": [x.policy_version for x in rows],
                "t": [x.computed_at for x in rows],
            },
        )


def _order(snapshot: TrustSnapshot) -> tuple[datetime, int]:
    return (snapshot.computed_at, snapshot.revision)
