"""What scoring reads and writes: researchers' facts, source stats, snapshot heads, snapshots, history, policy state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.keys import surname
from trust.domain import ResearcherFacts, SightingFacts, SourceStats, WorkFacts

POLICY_KEY = "policy_version"


@dataclass(frozen=True)
class StoredSnapshot:
    """A snapshot row ready to write (the current one, and a history row when its digest changed)."""

    researcher_id: str
    revision: int
    score: int
    band: str
    verification_level: str
    verification_rule: str
    verification_evidence: dict[str, Any]
    claimed: bool
    policy_version: str
    digest: str
    components: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    computed_at: datetime


class SnapshotStore:
    """Scoring's SQL, on the caller's session."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to a session."""
        self._session = session

    async def _rows(self, sql: str, **params: Any) -> Sequence[Any]:
        return (await self._session.execute(text(sql), params)).all()

    async def facts(self, researcher_ids: Sequence[str]) -> dict[str, ResearcherFacts]:
        """Every researcher's works with their sightings and co-authors, and the co-authors' identified works."""
        own = await self._rows(
            "SELECT researcher_id, work_id, name FROM authorships WHERE researcher_id = ANY(CAST(:r AS text[]))",
            r=list(researcher_ids),
        )
        work_ids = sorted({w for _, w, _ in own})
        works = {
            r[0]: r
            for r in await self._rows(
                "SELECT id, year, topic_ids, sources FROM works WHERE id = ANY(CAST(:w AS text[]))", w=work_ids
            )
        }
        slots: dict[str, list[str]] = {}
        for work, researcher in await self._rows(
            "SELECT work_id, researcher_id FROM authorships WHERE work_id = ANY(CAST(:w AS text[]))", w=work_ids
        ):
            slots.setdefault(work, []).append(researcher)
        sightings: dict[str, list[SightingFacts]] = {}
        for row in await self._rows(
            "SELECT k.work_id, s.event_id, s.source, s.seen_at, s.doi, s.arxiv, s.pmid, s.kind, s.venue, s.authors "
            "FROM work_keys k JOIN sightings s ON s.work_key = k.work_key WHERE k.work_id = ANY(CAST(:w AS text[])) "
            "ORDER BY s.seen_at, s.event_id",
            w=work_ids,
        ):
            sightings.setdefault(row[0], []).append(_sighting(row[1:]))
        coauthors = sorted({c for w in work_ids for c in slots.get(w, ())} - set(researcher_ids)) + list(researcher_ids)
        identified = {
            r: n
            for r, n in await self._rows(
                "SELECT a.researcher_id, count(*) FROM authorships a JOIN works w ON w.id = a.work_id "
                "WHERE a.researcher_id = ANY(CAST(:r AS text[])) AND w.identified GROUP BY 1",
                r=coauthors,
            )
        }
        by_researcher: dict[str, list[WorkFacts]] = {}
        surnames: dict[str, str] = {}
        for researcher, work, name in own:
            row = works.get(work)
            others = tuple(sorted({c for c in slots.get(work, ()) if c != researcher}))
            by_researcher.setdefault(researcher, []).append(
                WorkFacts(
                    work_id=work,
                    name=name,
                    surname=surnames.get(name) or surnames.setdefault(name, surname(name)),
                    year=row[1] if row else None,
                    topic_ids=tuple(row[2]) if row else (),
                    sources=tuple(row[3]) if row else (),
                    coauthors=others,
                    sightings=tuple(sightings.get(work, ())),
                )
            )
        result = {}
        for researcher in researcher_ids:
            listed = by_researcher.get(researcher, [])
            coauthor_ids = {c for w in listed for c in w.coauthors}
            result[researcher] = ResearcherFacts(
                researcher_id=researcher,
                works=tuple(listed),
                coauthor_identified_works={c: identified.get(c, 0) for c in sorted(coauthor_ids)},
            )
        return result

    async def source_stats(self) -> dict[str, SourceStats]:
        """Every source's counts."""
        rows = await self._rows("SELECT source, works, corroborated FROM source_stats")
        return {s: SourceStats(int(w), int(c)) for s, w, c in rows}

    async def replace_source_stats(self, stats: dict[str, SourceStats]) -> None:
        """Counts recounted from scratch (a policy may regroup source families)."""
        await self._session.execute(text("DELETE FROM source_stats"))
        if stats:
            await self._session.execute(
                text(
                    "INSERT INTO source_stats (source, works, corroborated) SELECT * FROM unnest("
                    "CAST(:s AS text[]), CAST(:w AS bigint[]), CAST(:c AS bigint[]))"
                ),
                {
                    "s": list(stats),
                    "w": [v.works for v in stats.values()],
                    "c": [v.corroborated for v in stats.values()],
                },
            )

    async def live_work_sources(self) -> list[list[str]]:
        """The sources of every live work (recounting source stats)."""
        return [list(r[0]) for r in await self._rows("SELECT sources FROM works WHERE merged_into IS NULL")]

    async def heads(self, researcher_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """Researcher -> (revision, digest) of the stored snapshot."""
        rows = await self._rows(
            "SELECT researcher_id, revision, digest FROM snapshots WHERE researcher_id = ANY(CAST(:r AS text[]))",
            r=list(researcher_ids),
        )
        return {r: (rev, digest) for r, rev, digest in rows}

    async def save(self, rows: Sequence[StoredSnapshot], changed: Sequence[StoredSnapshot]) -> None:
        """Upsert current snapshots; add history rows for the changed ones."""
        if rows:
            await self._session.execute(
                text(
                    "INSERT INTO snapshots (researcher_id, revision, score, band, verification_level, "
                    "verification_rule, verification_evidence, claimed, policy_version, digest, components, flags, "
                    "computed_at) SELECT r, v, s, b, l, lr, CAST(le AS jsonb), c, p, d, CAST(co AS jsonb), "
                    "CAST(f AS jsonb), t FROM unnest(CAST(:r AS text[]), CAST(:v AS int[]), CAST(:s AS smallint[]), "
                    "CAST(:b AS text[]), CAST(:l AS text[]), CAST(:lr AS text[]), CAST(:le AS text[]), "
                    "CAST(:c AS boolean[]), CAST(:p AS text[]), CAST(:d AS text[]), CAST(:co AS text[]), "
                    "CAST(:f AS text[]), CAST(:t AS timestamptz[])) AS x(r, v, s, b, l, lr, le, c, p, d, co, f, t) "
                    "ON CONFLICT (researcher_id) DO UPDATE SET revision = excluded.revision, score = excluded.score, "
                    "band = excluded.band, verification_level = excluded.verification_level, verification_rule = "
                    "excluded.verification_rule, verification_evidence = excluded.verification_evidence, claimed = "
                    "excluded.claimed, policy_version = excluded.policy_version, digest = excluded.digest, "
                    "components = excluded.components, flags = excluded.flags, computed_at = excluded.computed_at"
                ),
                {
                    "r": [x.researcher_id for x in rows],
                    "v": [x.revision for x in rows],
                    "s": [x.score for x in rows],
                    "b": [x.band for x in rows],
                    "l": [x.verification_level for x in rows],
                    "lr": [x.verification_rule for x in rows],
                    "le": [_json(x.verification_evidence) for x in rows],
                    "c": [x.claimed for x in rows],
                    "p": [x.policy_version for x in rows],
                    "d": [x.digest for x in rows],
                    "co": [_json(x.components) for x in rows],
                    "f": [_json(x.flags) for x in rows],
                    "t": [x.computed_at for x in rows],
                },
            )
        if changed:
            await self._session.execute(
                text(
                    "INSERT INTO snapshot_history (researcher_id, revision, score, band, verification_level, claimed, "
                    "policy_version, components, flags, computed_at) SELECT r, v, s, b, l, c, p, CAST(co AS jsonb), "
                    "CAST(f AS jsonb), t FROM unnest(CAST(:r AS text[]), CAST(:v AS int[]), CAST(:s AS smallint[]), "
                    "CAST(:b AS text[]), CAST(:l AS text[]), CAST(:c AS boolean[]), CAST(:p AS text[]), "
                    "CAST(:co AS text[]), CAST(:f AS text[]), CAST(:t AS timestamptz[])) "
                    "AS x(r, v, s, b, l, c, p, co, f, t) ON CONFLICT DO NOTHING"
                ),
                {
                    "r": [x.researcher_id for x in changed],
                    "v": [x.revision for x in changed],
                    "s": [x.score for x in changed],
                    "b": [x.band for x in changed],
                    "l": [x.verification_level for x in changed],
                    "c": [x.claimed for x in changed],
                    "p": [x.policy_version for x in changed],
                    "co": [_json(_summary(x.components)) for x in changed],
                    "f": [_json(_summary(x.flags)) for x in changed],
                    "t": [x.computed_at for x in changed],
                },
            )

    async def delete(self, researcher_ids: Iterable[str]) -> None:
        """Drop the snapshots of retired researchers (their ids redirect)."""
        ids = sorted(set(researcher_ids))
        if ids:
            await self._session.execute(
                text("DELETE FROM snapshots WHERE researcher_id = ANY(CAST(:r AS text[]))"), {"r": ids}
            )

    async def scored_researchers(self, after: str, limit: int) -> list[str]:
        """Researchers with a slot or a snapshot, in id order after `after` (a full recompute walks them)."""
        rows = await self._rows(
            "SELECT id FROM (SELECT researcher_id AS id FROM authorships UNION SELECT researcher_id FROM snapshots) "
            "AS r WHERE id > :after AND id NOT IN (SELECT id FROM researcher_redirects) ORDER BY id LIMIT :limit",
            after=after,
            limit=limit,
        )
        return [r[0] for r in rows]

    async def policy_version(self) -> str | None:
        """The policy the stored snapshots were computed with (None before the first)."""
        rows = await self._rows("SELECT value FROM trust_state WHERE key = :k", k=POLICY_KEY)
        return str(rows[0][0]) if rows else None

    async def set_policy_version(self, version: str) -> None:
        """Record that every snapshot is now computed with `version`."""
        await self._session.execute(
            text(
                "INSERT INTO trust_state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET "
                "value = excluded.value, updated_at = now()"
            ),
            {"k": POLICY_KEY, "v": version},
        )


def _sighting(row: Sequence[Any]) -> SightingFacts:
    event_id, source, seen_at, doi, arxiv, pmid, kind, venue, authors = row
    listed = orjson.loads(authors) if isinstance(authors, str | bytes) else authors
    return SightingFacts(
        event_id=str(event_id),
        source=source,
        seen_at=seen_at,
        doi=doi,
        arxiv=arxiv,
        pmid=pmid,
        kind=kind,
        venue=venue,
        surnames=tuple(a[0] for a in listed),
        orcids=tuple(a[1] for a in listed),
        affiliations=tuple(tuple(a[2]) for a in listed),
    )


def _summary(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History keeps the numbers, not the evidence lists."""
    return [{k: v for k, v in p.items() if k != "evidence"} for p in parts]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()
