"""The read side of the public API: each query is one indexed statement (researcher pages stay in milliseconds)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from profiles.domain import CLOSE_COLLABORATOR_MIN_SHARED, MAX_COLLABORATION_AUTHORS

# A retired id points at its survivor, which may itself have been retired: follow the chain (bounded).
_RESOLVE = """
WITH RECURSIVE chain(id, merged_into, depth) AS (
    SELECT id, merged_into, 0 FROM {table} WHERE id = :id
    UNION ALL
    SELECT t.id, t.merged_into, c.depth + 1 FROM {table} t JOIN chain c ON t.id = c.merged_into WHERE c.depth < 50
)
SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1
"""


# What a researcher's page aggregates, each for the researcher named by {who} (":id" alone, "r.id" in the page).
_TOPICS = (
    "SELECT e->>'topic_id' AS topic_id, e->>'name' AS name, e->>'field' AS field, count(*) AS works "
    "FROM authorships a JOIN works w ON w.id = a.work_id, jsonb_array_elements(w.topics) e "
    "WHERE a.researcher_id = {who} GROUP BY 1, 2, 3"
)
_INSTITUTIONS = (
    "SELECT e->>'key' AS key, min(e->>'name') AS name, min(e->>'country') AS country, min(e->>'kind') AS kind, "
    "count(DISTINCT a.work_id) AS works, max(w.year) AS last_year "
    "FROM authorships a JOIN works w ON w.id = a.work_id, jsonb_array_elements(a.institutions) e "
    "WHERE a.researcher_id = {who} GROUP BY 1"
)
# Works with more than :big authors do not count: in a collaboration of thousands, sharing a paper says nothing
# about working together.
_COLLABORATORS = (
    "SELECT b.researcher_id AS id, o.display_name AS display_name, o.orcid AS orcid, "
    "count(DISTINCT a.work_id) AS shared, array_agg(DISTINCT a.work_id ORDER BY a.work_id) AS works "
    "FROM authorships a JOIN works w ON w.id = a.work_id AND w.author_count <= :big "
    "JOIN authorships b ON b.work_id = a.work_id AND b.researcher_id <> a.researcher_id "
    "JOIN researchers o ON o.id = b.researcher_id "
    "WHERE a.researcher_id = {who} GROUP BY b.researcher_id, o.display_name, o.orcid "
    "HAVING count(DISTINCT a.work_id) >= :minimum"
)
# The researcher page in one statement: the row, then the three aggregates above as JSON arrays, in the same
# orders as the standalone queries of ReadModel.
_RESEARCHER_PAGE = f"""
SELECT r.id, r.display_name, r.names, r.orcid, r.works_count, r.claimed OR coalesce(ts.claimed, false) AS claimed,
  ts.score AS trust_score, ts.band AS trust_band, ts.verification_level AS trust_level,
  ts.computed_at AS trust_computed_at,
  (SELECT coalesce(json_agg(json_build_array(t.topic_id, t.name, t.field, t.works) ORDER BY t.works DESC, t.topic_id),
                   '[]')
   FROM ({_TOPICS.format(who="r.id")}) t) AS topics,
  (SELECT coalesce(json_agg(json_build_array(c.id, c.display_name, c.orcid, c.works) ORDER BY c.shared DESC, c.id),
                   '[]')
   FROM ({_COLLABORATORS.format(who="r.id")}) c) AS collaborators,
  (SELECT coalesce(json_agg(json_build_array(i.key, i.name, i.country, i.kind, i.works, i.last_year)
                            ORDER BY i.works DESC, i.key), '[]')
   FROM ({_INSTITUTIONS.format(who="r.id")}) i) AS institutions
FROM researchers r LEFT JOIN trust_snapshots ts ON ts.researcher_id = r.id
WHERE r.id = :id AND r.merged_into IS NULL
"""  # noqa: S608 - fixed fragments, no input


class ReadModel:
    """Queries of the API on one session."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to a session."""
        self._s = session

    async def _all(self, sql: str, **params: Any) -> Sequence[Row[Any]]:
        return (await self._s.execute(text(sql), params)).all()

    async def resolve(self, table: str, entity_id: str) -> tuple[bool, str | None]:
        """(exists, live id it resolves to): (False, None) unknown, (True, id) live or merged into id."""
        assert table in {"works", "researchers"}
        rows = await self._all(f"SELECT merged_into FROM {table} WHERE id = :id", id=entity_id)  # noqa: S608
        if not rows:
            return False, None
        if rows[0].merged_into is None:
            return True, entity_id
        live = await self._all(_RESOLVE.format(table=table), id=entity_id)
        return True, live[0].id if live else None

    # ------------------------------------------------------------ researchers

    async def researcher(self, researcher_id: str) -> Row[Any] | None:
        """One live researcher row."""
        rows = await self._all(
            "SELECT id, display_name, names, orcid, works_count, claimed, created_at, updated_at "
            "FROM researchers WHERE id = :id AND merged_into IS NULL",
            id=researcher_id,
        )
        return rows[0] if rows else None

    async def researcher_page(self, researcher_id: str) -> Row[Any] | None:
        """One live researcher with its topics, close collaborators and institutions (JSON arrays): one round trip."""
        rows = await self._all(
            _RESEARCHER_PAGE, id=researcher_id, big=MAX_COLLABORATION_AUTHORS, minimum=CLOSE_COLLABORATOR_MIN_SHARED
        )
        return rows[0] if rows else None

    async def researcher_institutions(self, researcher_id: str) -> Sequence[Row[Any]]:
        """Institutions named in the researcher's affiliations, with how many works name each and the last year."""
        return await self._all(f"{_INSTITUTIONS.format(who=':id')} ORDER BY works DESC, key", id=researcher_id)

    async def collaborators(self, researcher_id: str) -> Sequence[Row[Any]]:
        """Co-authors sharing at least CLOSE_COLLABORATOR_MIN_SHARED works, with the shared works listed."""
        return await self._all(
            f"{_COLLABORATORS.format(who=':id')} ORDER BY shared DESC, id",
            id=researcher_id,
            big=MAX_COLLABORATION_AUTHORS,
            minimum=CLOSE_COLLABORATOR_MIN_SHARED,
        )

    async def researcher_works(
        self, researcher_id: str, after: tuple[str, str] | None, limit: int
    ) -> Sequence[Row[Any]]:
        """The researcher's works, newest first (by publication date, then id), after a cursor."""
        condition = "AND (coalesce(w.published, ''), w.id) < (:published, :wid)" if after else ""
        return await self._all(
            "SELECT w.id, w.title, w.published, w.year, w.venue, w.kind, w.topic_ids, w.author_count, "  # noqa: S608
            "a.position, a.confidence, coalesce(w.published, '') AS sort_date "
            "FROM authorships a JOIN works w ON w.id = a.work_id "
            f"WHERE a.researcher_id = :id {condition} "
            "ORDER BY coalesce(w.published, '') DESC, w.id DESC LIMIT :limit",
            id=researcher_id,
            published=after[0] if after else "",
            wid=after[1] if after else "",
            limit=limit,
        )

    async def search(
        self,
        tokens: list[str],
        orcid: str | None,
        topic: str | None,
        after: tuple[int, str] | None,
        limit: int,
    ) -> Sequence[Row[Any]]:
        """Live researchers matching every name token, the ORCID and the topic; most works first, then id."""
        clauses = ["r.merged_into IS NULL"]
        if tokens:
            clauses.append("r.name_tokens @> CAST(:tokens AS text[])")
        if orcid:
            clauses.append("r.orcid = :orcid")
        if topic:
            clauses.append(
                "EXISTS (SELECT 1 FROM authorships a JOIN works w ON w.id = a.work_id "
                "WHERE a.researcher_id = r.id AND w.topic_ids @> ARRAY[CAST(:topic AS text)])"
            )
        if after:
            clauses.append("(r.works_count < :count OR (r.works_count = :count AND r.id > :rid))")
        return await self._all(
            "SELECT r.id, r.display_name, r.orcid, r.works_count, r.names FROM researchers r "  # noqa: S608
            f"WHERE {' AND '.join(clauses)} ORDER BY r.works_count DESC, r.id LIMIT :limit",
            tokens=tokens,
            orcid=orcid,
            topic=topic,
            count=after[0] if after else 0,
            rid=after[1] if after else "",
            limit=limit,
        )

    async def coauthor_links(self, ids: Sequence[str]) -> Sequence[Row[Any]]:
        """Pairs among these researchers with how many works they share (for graph depth 2)."""
        return await self._all(
            "SELECT a.researcher_id AS source, b.researcher_id AS target, count(DISTINCT a.work_id) AS shared "
            "FROM authorships a JOIN authorships b ON b.work_id = a.work_id AND a.researcher_id < b.researcher_id "
            "JOIN works w ON w.id = a.work_id AND w.author_count <= :big "
            "WHERE a.researcher_id = ANY(:ids) AND b.researcher_id = ANY(:ids) GROUP BY 1, 2",
            ids=list(ids),
            big=MAX_COLLABORATION_AUTHORS,
        )

    async def work_coauthors(self, work_ids: Sequence[str], exclude: str) -> Sequence[Row[Any]]:
        """Researchers on these works other than `exclude`."""
        return await self._all(
            "SELECT a.work_id, a.researcher_id, r.display_name FROM authorships a "
            "JOIN researchers r ON r.id = a.researcher_id WHERE a.work_id = ANY(:ids) AND a.researcher_id <> :me",
            ids=list(work_ids),
            me=exclude,
        )

    # ------------------------------------------------------------ works

    async def work(self, work_id: str) -> Row[Any] | None:
        """One live work row."""
        rows = await self._all("SELECT * FROM works WHERE id = :id AND merged_into IS NULL", id=work_id)
        return rows[0] if rows else None

    async def authorships(self, work_id: str) -> Sequence[Row[Any]]:
        """The work's author slots in order, with their researchers' display names."""
        return await self._all(
            "SELECT a.*, r.display_name FROM authorships a LEFT JOIN researchers r ON r.id = a.researcher_id "
            "WHERE a.work_id = :id ORDER BY a.position",
            id=work_id,
        )

    async def work_for(self, identifier: str) -> str | None:
        """The work an identifier ('doi:10.1/x') belongs to."""
        rows = await self._all("SELECT work_id FROM work_identifiers WHERE identifier = :i", i=identifier)
        return rows[0].work_id if rows else None
