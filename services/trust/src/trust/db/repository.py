"""The consumer's writes of facts: sightings, work keys, works, authorships, researcher redirects, source stats."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trust.domain import SourceStats


@dataclass
class WorkRow:
    """A work as the batch holds it (loaded, changed in memory, written once)."""

    id: str
    merged_into: str | None = None
    year: int | None = None
    topic_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    identified: bool = False


@dataclass(frozen=True)
class SightingRow:
    """One paper.seen as stored."""

    event_id: str
    work_key: str
    source: str
    seen_at: Any
    doi: str | None
    arxiv: str | None
    pmid: str | None
    kind: str | None
    venue: str | None
    authors: list[Any]


LOCK_BUCKETS = 1024


class TrustRepository:
    """All SQL the consumer's batch runs, on the inbox's session (one transaction per batch)."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to the batch's session."""
        self._session = session

    async def _rows(self, sql: str, **params: Any) -> Sequence[Any]:
        return (await self._session.execute(text(sql), params)).all()

    async def _run(self, sql: str, **params: Any) -> None:
        await self._session.execute(text(sql), params)

    async def lock_researchers(self, ids: Iterable[str]) -> None:
        """Transaction locks on researchers, in sorted order: two replicas never score one researcher at once.

        Researchers share LOCK_BUCKETS locks (hashed), so a batch holds at most that many whatever it touches: one
        lock per researcher (10,000 in a 5,000-event batch) would crowd PostgreSQL's shared lock table.
        """
        keys = sorted(set(ids))
        if keys:
            await self._run(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT 7300000 + abs(hashtext(i)) % :buckets AS k "
                "FROM unnest(CAST(:ids AS text[])) AS i ORDER BY 1) AS s",
                ids=keys,
                buckets=LOCK_BUCKETS,
            )

    async def add_sightings(self, rows: Sequence[SightingRow]) -> None:
        """Store new sightings (a replayed one is already there)."""
        if not rows:
            return
        await self._run(
            "INSERT INTO sightings (event_id, work_key, source, seen_at, doi, arxiv, pmid, kind, venue, authors) "
            "SELECT e, k, s, t, d, a, p, ki, v, CAST(au AS jsonb) FROM unnest(CAST(:e AS uuid[]), "
            "CAST(:k AS text[]), CAST(:s AS text[]), CAST(:t AS timestamptz[]), CAST(:d AS text[]), "
            "CAST(:a AS text[]), CAST(:p AS text[]), CAST(:ki AS text[]), CAST(:v AS text[]), CAST(:au AS text[])) "
            "AS x(e, k, s, t, d, a, p, ki, v, au) ON CONFLICT DO NOTHING",
            e=[r.event_id for r in rows],
            k=[r.work_key for r in rows],
            s=[r.source for r in rows],
            t=[r.seen_at for r in rows],
            d=[r.doi for r in rows],
            a=[r.arxiv for r in rows],
            p=[r.pmid for r in rows],
            ki=[r.kind for r in rows],
            v=[r.venue for r in rows],
            au=[orjson.dumps(r.authors).decode() for r in rows],
        )

    async def works_of_keys(self, keys: Iterable[str]) -> dict[str, str]:
        """Work key -> work id, for the keys already attributed."""
        rows = await self._rows(
            "SELECT work_key, work_id FROM work_keys WHERE work_key = ANY(CAST(:k AS text[]))", k=sorted(set(keys))
        )
        return {key: work for key, work in rows}

    async def load_works(self, ids: Iterable[str]) -> dict[str, WorkRow]:
        """The stored works among `ids`."""
        rows = await self._rows(
            "SELECT id, merged_into, year, topic_ids, sources, identified FROM works "
            "WHERE id = ANY(CAST(:i AS text[]))",
            i=sorted(set(ids)),
        )
        return {r[0]: WorkRow(r[0], r[1], r[2], list(r[3]), list(r[4]), r[5]) for r in rows}

    async def load_authorships(self, work_ids: Iterable[str]) -> dict[str, dict[int, tuple[str, str]]]:
        """Work id -> position -> (researcher id, name)."""
        rows = await self._rows(
            "SELECT work_id, position, researcher_id, name FROM authorships WHERE work_id = ANY(CAST(:w AS text[]))",
            w=sorted(set(work_ids)),
        )
        found: dict[str, dict[int, tuple[str, str]]] = {}
        for work, position, researcher, name in rows:
            found.setdefault(work, {})[position] = (researcher, name)
        return found

    async def redirects(self, ids: Iterable[str]) -> dict[str, str]:
        """Retired researchers among `ids` -> their survivor (stored redirects always name a live researcher)."""
        rows = await self._rows(
            "SELECT id, survivor_id FROM researcher_redirects WHERE id = ANY(CAST(:i AS text[]))", i=sorted(set(ids))
        )
        return {loser: survivor for loser, survivor in rows}

    async def add_redirects(self, moves: Mapping[str, str]) -> None:
        """Retire researchers into survivors and move their authorships."""
        if not moves:
            return
        losers, survivors = list(moves), [moves[k] for k in moves]
        await self._run(
            "INSERT INTO researcher_redirects (id, survivor_id) SELECT * FROM unnest(CAST(:l AS text[]), "
            "CAST(:s AS text[])) ON CONFLICT (id) DO UPDATE SET survivor_id = excluded.survivor_id",
            l=losers,
            s=survivors,
        )
        await self._run(
            "UPDATE researcher_redirects r SET survivor_id = m.s FROM unnest(CAST(:l AS text[]), CAST(:s AS text[])) "
            "AS m(l, s) WHERE r.survivor_id = m.l",
            l=losers,
            s=survivors,
        )
        await self._run(
            "UPDATE authorships a SET researcher_id = m.s FROM unnest(CAST(:l AS text[]), CAST(:s AS text[])) "
            "AS m(l, s) WHERE a.researcher_id = m.l",
            l=losers,
            s=survivors,
        )

    async def save_work_keys(self, keys: Mapping[str, str]) -> None:
        """Point work keys at works."""
        if keys:
            await self._run(
                "INSERT INTO work_keys (work_key, work_id) SELECT * FROM unnest(CAST(:k AS text[]), "
                "CAST(:w AS text[])) ON CONFLICT (work_key) DO UPDATE SET work_id = excluded.work_id",
                k=list(keys),
                w=[keys[k] for k in keys],
            )

    async def repoint_work_keys(self, moves: Mapping[str, str]) -> None:
        """Keys of merged works now name the surviving work."""
        if moves:
            await self._run(
                "UPDATE work_keys k SET work_id = m.s FROM unnest(CAST(:l AS text[]), CAST(:s AS text[])) AS m(l, s) "
                "WHERE k.work_id = m.l",
                l=list(moves),
                s=[moves[k] for k in moves],
            )

    async def save_works(self, rows: Sequence[WorkRow]) -> None:
        """Upsert works (topic ids and sources as comma-free text arrays)."""
        if not rows:
            return
        await self._run(
            "INSERT INTO works (id, merged_into, year, topic_ids, sources, identified) "
            "SELECT i, m, y, CAST(t AS text[]), CAST(s AS text[]), d FROM unnest(CAST(:i AS text[]), "
            "CAST(:m AS text[]), CAST(:y AS smallint[]), CAST(:t AS text[]), CAST(:s AS text[]), "
            "CAST(:d AS boolean[])) AS x(i, m, y, t, s, d) ON CONFLICT (id) DO UPDATE SET merged_into = "
            "excluded.merged_into, year = excluded.year, topic_ids = excluded.topic_ids, sources = excluded.sources, "
            "identified = excluded.identified",
            i=[r.id for r in rows],
            m=[r.merged_into for r in rows],
            y=[r.year for r in rows],
            t=["{" + ",".join(_quoted(v) for v in r.topic_ids) + "}" for r in rows],
            s=["{" + ",".join(_quoted(v) for v in r.sources) + "}" for r in rows],
            d=[r.identified for r in rows],
        )

    async def replace_authorships(self, slots: Mapping[str, Mapping[int, tuple[str, str]]]) -> None:
        """The author slots of these works, as given (works given without slots lose theirs)."""
        if not slots:
            return
        await self._run("DELETE FROM authorships WHERE work_id = ANY(CAST(:w AS text[]))", w=list(slots))
        flat = [(w, p, r, n) for w, by in slots.items() for p, (r, n) in by.items()]
        if flat:
            await self._run(
                "INSERT INTO authorships (work_id, position, researcher_id, name) SELECT * FROM unnest("
                "CAST(:w AS text[]), CAST(:p AS smallint[]), CAST(:r AS text[]), CAST(:n AS text[]))",
                w=[f[0] for f in flat],
                p=[f[1] for f in flat],
                r=[f[2] for f in flat],
                n=[f[3] for f in flat],
            )

    async def split(self, researcher_id: str, part_id: str, work_ids: Sequence[str]) -> None:
        """Slots of `researcher_id` on these works move to the part."""
        await self._run(
            "UPDATE authorships SET researcher_id = :p WHERE researcher_id = :r AND work_id = ANY(CAST(:w AS text[]))",
            p=part_id,
            r=researcher_id,
            w=list(work_ids),
        )

    async def researchers_of_works(self, work_ids: Iterable[str]) -> set[str]:
        """Researchers holding a slot on any of the works."""
        rows = await self._rows(
            "SELECT DISTINCT researcher_id FROM authorships WHERE work_id = ANY(CAST(:w AS text[]))",
            w=sorted(set(work_ids)),
        )
        return {r[0] for r in rows}

    async def identified_counts(self, researcher_ids: Iterable[str]) -> dict[str, int]:
        """How many works with a registered identifier each researcher holds (what makes a trusted co-author)."""
        rows = await self._rows(
            "SELECT a.researcher_id, count(*) FROM authorships a JOIN works w ON w.id = a.work_id "
            "WHERE a.researcher_id = ANY(CAST(:r AS text[])) AND w.identified GROUP BY 1",
            r=sorted(set(researcher_ids)),
        )
        return {r[0]: r[1] for r in rows}

    async def coauthors_of(self, researcher_ids: Iterable[str]) -> set[str]:
        """Researchers sharing a work with any of the given ones."""
        rows = await self._rows(
            "SELECT DISTINCT o.researcher_id FROM authorships a JOIN authorships o ON o.work_id = a.work_id "
            "WHERE a.researcher_id = ANY(CAST(:r AS text[])) AND o.researcher_id <> a.researcher_id",
            r=sorted(set(researcher_ids)),
        )
        return {r[0] for r in rows}

    async def researchers_of_sources(self, sources: Iterable[str]) -> set[str]:
        """Researchers with a live work any of the sources saw (a scan: only when a source's standing changes)."""
        rows = await self._rows(
            "SELECT DISTINCT a.researcher_id FROM works w JOIN authorships a ON a.work_id = w.id "
            "WHERE w.merged_into IS NULL AND w.sources && CAST(:s AS text[])",
            s=sorted(set(sources)),
        )
        return {r[0] for r in rows}

    async def add_source_stats(self, deltas: Mapping[str, SourceStats]) -> None:
        """Add (or, negative, take back) works and corroborations per source."""
        changed = {s: d for s, d in sorted(deltas.items()) if d.works or d.corroborated}
        if changed:
            await self._run(
                "INSERT INTO source_stats (source, works, corroborated) SELECT * FROM unnest(CAST(:s AS text[]), "
                "CAST(:w AS bigint[]), CAST(:c AS bigint[])) ON CONFLICT (source) DO UPDATE SET works = "
                "source_stats.works + excluded.works, corroborated = source_stats.corroborated + excluded.corroborated",
                s=list(changed),
                w=[d.works for d in changed.values()],
                c=[d.corroborated for d in changed.values()],
            )


def _quoted(value: str) -> str:
    """One element of a PostgreSQL array literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
