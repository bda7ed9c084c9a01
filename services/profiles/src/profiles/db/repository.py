"""All SQL of profiles, on the caller's session: batched reads for a consumer batch, batched writes, API queries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

import asyncpg
import orjson
from sqlalchemy import ARRAY, ColumnElement, Row, Text, any_, bindparam, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from profiles.db.copying import copy_upsert
from profiles.db.researcher_cache import ResearcherCache
from profiles.db.tables import authorships, researcher_blocks, researchers, work_identifiers, works
from profiles.disambiguation import Profile
from profiles.domain import Origin, display_name, name_tokens, title_print
from profiles.records import AuthorshipState, ResearcherState, WorkState, profile_block_keys

TOTAL = ("*", "*")


def _any(values: Iterable[str]) -> ColumnElement[Any]:
    """`= ANY(:array)`: one bound array however many values (IN would bind one parameter each, 32,767 at most)."""
    return any_(bindparam(None, list(values), type_=ARRAY(Text)))


def lock_id(key: str) -> int:
    """A signed 64-bit advisory lock id for a text key."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class ProfilesRepository:
    """Reads and writes of the consumer's batches."""

    def __init__(self, session: AsyncSession, cache: ResearcherCache | None = None) -> None:
        """Bind to a session (its transaction holds the locks and the writes), and to the process's researchers."""
        self._session = session
        self._cache = cache
        # The xmin each researcher row had when read or written by this batch (what the cache is validated by).
        self._versions: dict[str, str] = {}
        self._written: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}
        self._stored: dict[str, tuple[datetime, bool]] = {}

    # ------------------------------------------------------------ locking

    async def lock(self, keys: Iterable[str]) -> None:
        """Transaction-scoped advisory locks on every key, taken in one sorted order (so replicas never deadlock)."""
        ids = sorted({lock_id(k) for k in keys})
        if ids:
            await self._session.execute(
                text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:ids AS bigint[])) AS k"), {"ids": ids}
            )

    # ------------------------------------------------------------ loading

    async def work_ids_for(self, identifiers: Sequence[str]) -> dict[str, str]:
        """identifier -> work id for the identifiers already known."""
        if not identifiers:
            return {}
        t = work_identifiers
        rows = await self._session.execute(
            select(t.c.identifier, t.c.work_id).where(t.c.identifier == _any(identifiers))
        )
        return {r.identifier: r.work_id for r in rows}

    async def work_ids_with_titles(self, prints: Sequence[str]) -> list[str]:
        """Live works whose folded title has one of these fingerprints."""
        if not prints:
            return []
        rows = await self._session.execute(
            select(works.c.id).where(works.c.title_print == _any(prints), works.c.merged_into.is_(None))
        )
        return list(rows.scalars())

    async def load_works(self, ids: Iterable[str]) -> dict[str, WorkState]:
        """Works (following tombstones to their survivors) with their authorships."""
        wanted = set(ids)
        loaded: dict[str, WorkState] = {}
        while wanted:
            rows = (await self._session.execute(select(works).where(works.c.id == _any(wanted)))).all()
            for row in rows:
                loaded[row.id] = _work(row)
            wanted = {row.merged_into for row in rows if row.merged_into and row.merged_into not in loaded}
        live = [w.id for w in loaded.values() if w.merged_into is None]
        if live:
            for row in await self._session.execute(select(authorships).where(authorships.c.work_id == _any(live))):
                loaded[row.work_id].authorships[row.position] = _authorship(row)
        return loaded

    async def researcher_ids_in_blocks(self, keys: Sequence[str]) -> dict[str, set[str]]:
        """block key -> ids of the live researchers indexed under it."""
        if not keys:
            return {}
        t = researcher_blocks
        found: dict[str, set[str]] = {}
        for row in await self._session.execute(
            select(t.c.block_key, t.c.researcher_id).where(t.c.block_key == _any(keys))
        ):
            found.setdefault(row.block_key, set()).add(row.researcher_id)
        return found

    async def load_researchers(self, ids: Iterable[str], orcids: Iterable[str]) -> dict[str, ResearcherState]:
        """Researchers by id or ORCID (following tombstones): only the columns the batch needs, as asyncpg records;
        a cached researcher whose row is unchanged (same xmin) is not decoded again."""
        driver = await self._driver()
        wanted, orcid_list = sorted(set(ids)), sorted(set(orcids))
        loaded: dict[str, ResearcherState] = {}
        while wanted or orcid_list:
            cached, xmins = self._cache.versions(wanted) if self._cache is not None else ([], [])
            rows = await driver.fetch(LOAD_RESEARCHERS, wanted, orcid_list, cached, xmins)
            for row in rows:
                rid, xmin = row[0], row[1]
                state = self._cache.take(rid, xmin) if row[2] and self._cache is not None else None
                loaded[rid] = state or _researcher(row)
                self._versions[rid] = xmin
            wanted = sorted({row[6] for row in rows if row[6] and row[6] not in loaded})
            orcid_list = []
        return loaded

    async def corpus_counts(self, terms: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """How many mentions each term occurred in so far, and the mention total under ('*', '*')."""
        wanted = {*terms, TOTAL}
        # Tens of thousands of rows a batch: asyncpg's records directly (SQLAlchemy's row processing was most of it).
        rows = await (await self._driver()).fetch(
            "SELECT c.kind, c.term, c.mentions FROM corpus_terms c "
            "JOIN unnest($1::text[], $2::text[]) AS w(kind, term) ON c.kind = w.kind AND c.term = w.term",
            [k for k, _ in wanted],
            [v for _, v in wanted],
        )
        return {(kind, term): mentions for kind, term, mentions in rows}

    async def _driver(self) -> asyncpg.Connection:
        """The asyncpg connection under the session (same transaction), for statements with very many rows."""
        connection = await (await self._session.connection()).get_raw_connection()
        return cast(asyncpg.Connection, connection.driver_connection)

    # ------------------------------------------------------------ writing

    async def save_works(self, states: Sequence[WorkState], now: datetime) -> None:
        """Upsert works (live and tombstones) and replace the authorships of every one of them."""
        if not states:
            return
        driver = await self._driver()
        await copy_upsert(driver, works, WORK_COLUMNS, [_work_row(w, now) for w in states], conflict=["id"])
        ids = [w.id for w in states]
        await driver.execute("DELETE FROM authorships WHERE work_id = ANY($1::text[])", ids)
        slots = [_authorship_row(a, now) for w in states if w.merged_into is None for a in w.authorships.values()]
        await copy_upsert(driver, authorships, AUTHORSHIP_COLUMNS, slots)

    async def save_identifiers(self, mapping: Mapping[str, str]) -> None:
        """identifier -> work id (new identifiers, and identifiers of merged works moved to the survivor)."""
        if not mapping:
            return
        items = sorted(mapping.items())
        await self._session.execute(
            text(
                "INSERT INTO work_identifiers (identifier, work_id) SELECT * FROM unnest(CAST(:i AS text[]), "
                "CAST(:w AS text[])) ON CONFLICT (identifier) DO UPDATE SET work_id = excluded.work_id "
                "WHERE work_identifiers.work_id IS DISTINCT FROM excluded.work_id"
            ),
            {"i": [i for i, _ in items], "w": [w for _, w in items]},
        )

    async def redirect_authorships(self, moves: Mapping[str, str]) -> dict[str, list[str]]:
        """Point every authorship of a retired researcher at its survivor; returns old id -> the works moved."""
        if not moves:
            return {}
        items = sorted(moves.items())
        rows = await self._session.execute(
            text(
                "UPDATE authorships a SET researcher_id = m.new FROM unnest(CAST(:old AS text[]), "
                "CAST(:new AS text[])) AS m(old, new) WHERE a.researcher_id = m.old RETURNING m.old, a.work_id"
            ),
            {"old": [o for o, _ in items], "new": [n for _, n in items]},
        )
        moved: dict[str, list[str]] = {}
        for old, work_id in rows.all():
            moved.setdefault(old, []).append(work_id)
        return moved

    async def redirect_identifiers(self, moves: Mapping[str, str]) -> None:
        """Point every identifier of a retired work (loaded or not) at its survivor."""
        if not moves:
            return
        items = sorted(moves.items())
        await self._session.execute(
            text(
                "UPDATE work_identifiers i SET work_id = m.new FROM unnest(CAST(:old AS text[]), "
                "CAST(:new AS text[])) AS m(old, new) WHERE i.work_id = m.old"
            ),
            {"old": [o for o, _ in items], "new": [n for _, n in items]},
        )

    async def save_researchers(self, states: Sequence[ResearcherState], now: datetime) -> None:
        """Upsert researchers (tombstones first, so an ORCID moves without breaking uniqueness) and their block keys."""
        if not states:
            return
        ordered = sorted(states, key=lambda r: (r.merged_into is None, r.id))
        tombstones = [r.id for r in ordered if r.merged_into is not None]
        if tombstones:
            # Give up ORCIDs first: a live researcher may take the ORCID in this very batch.
            await self._session.execute(
                researchers.update().where(researchers.c.id == _any(tombstones)).values(orcid=None)
            )
        rows = []
        for r in ordered:
            evidence, keys = r.profile.to_json(), profile_block_keys(r.profile)
            rows.append(_researcher_row(r, now, evidence, keys))
            self._written[r.id] = (evidence, keys)
        driver = await self._driver()
        written = await copy_upsert(
            driver,
            researchers,
            RESEARCHER_COLUMNS,
            rows,
            conflict=["id"],
            keep={"created_at", "claimed"},
            returning="id, xmin::text, created_at, claimed",
        )
        for rid, xmin, created, claimed in written:
            self._versions[rid] = xmin
            self._stored[rid] = (created, claimed)
        changed = [
            r for r in ordered if r.merged_into is not None or profile_block_keys(r.profile) != r.stored_block_keys
        ]
        if changed:
            await self._session.execute(
                delete(researcher_blocks).where(researcher_blocks.c.researcher_id == _any([r.id for r in changed]))
            )
            pairs = sorted({(k, r.id) for r in changed if r.merged_into is None for k in profile_block_keys(r.profile)})
            if pairs:
                await self._session.execute(
                    text(
                        "INSERT INTO researcher_blocks (block_key, researcher_id) SELECT * FROM unnest("
                        "CAST(:k AS text[]), CAST(:r AS text[])) ON CONFLICT DO NOTHING"
                    ),
                    {"k": [k for k, _ in pairs], "r": [r for _, r in pairs]},
                )

    def committed(self, states: Iterable[ResearcherState]) -> list[tuple[str, ResearcherState]]:
        """(xmin, state) of the live researchers as their rows will decode once this batch commits: for the cache."""
        found = []
        for state in states:
            r, xmin = state, self._versions.get(state.id)
            if r.merged_into is not None or xmin is None:
                continue
            if r.id in self._written:
                evidence, keys = self._written[r.id]
                created, claimed = self._stored[r.id]
                # As read back: JSONB orders object keys (ties between equal counts follow that order).
                r = ResearcherState(
                    id=r.id,
                    orcid=r.orcid,
                    profile=Profile.from_json({k: _jsonb_order(v) for k, v in evidence.items()}),
                    names=_jsonb_order(r.names),
                    works_count=r.works_count,
                    origin=r.origin,
                    claimed=claimed,
                    created_at=created,
                    stored_block_keys=keys,
                )
            elif r.dirty:
                continue
            found.append((xmin, r))
        return found

    async def add_corpus_counts(self, counts: Mapping[tuple[str, str], int]) -> None:
        """Add to the term counts (one statement, in key order so concurrent batches never deadlock)."""
        if not counts:
            return
        items = sorted(counts.items())
        await (await self._driver()).execute(
            "INSERT INTO corpus_terms (kind, term, mentions) "
            "SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) "
            "ON CONFLICT (kind, term) DO UPDATE SET mentions = corpus_terms.mentions + excluded.mentions",
            [k for (k, _), _ in items],
            [t for (_, t), _ in items],
            [n for _, n in items],
        )


# ---------------------------------------------------------------- row mapping


def _work(row: Row[Any]) -> WorkState:
    return WorkState(
        id=row.id,
        founding_key=row.founding_key,
        founding_seen_at=row.founding_seen_at,
        fields={
            "title": row.title,
            "abstract": row.abstract,
            "kind": row.kind,
            "venue": row.venue,
            "published": row.published,
            "year": row.year,
            "keywords": list(row.keywords),
            "urls": dict(row.urls),
        },
        identifiers=dict(row.identifiers),
        topics=list(row.topics),
        provenance=dict(row.provenance),
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        sightings=row.sightings,
        merged_into=row.merged_into,
    )


def _jsonb_order(value: Any) -> Any:
    """An object's keys in the order PostgreSQL's JSONB keeps them (by length in bytes, then bytewise)."""
    if not isinstance(value, dict) or len(value) < 2:
        return value
    # UTF-8 byte order is code point order: sorting the strings, then (stably) by length, is JSONB's order.
    keys = sorted(sorted(value), key=len if "".join(value).isascii() else _utf8_length)
    return {k: value[k] for k in keys}


def _utf8_length(text: str) -> int:
    return len(text.encode())


def _json(value: Any) -> str:
    """A JSONB value for COPY (SQLAlchemy's JSONB codec on the connection takes JSON text)."""
    return orjson.dumps(value).decode()


WORK_COLUMNS = (
    "id",
    "merged_into",
    "founding_key",
    "founding_seen_at",
    "title",
    "title_print",
    "abstract",
    "kind",
    "venue",
    "published",
    "year",
    "keywords",
    "urls",
    "identifiers",
    "topics",
    "topic_ids",
    "provenance",
    "first_seen_at",
    "last_seen_at",
    "sightings",
    "author_count",
    "updated_at",
)


def _work_row(w: WorkState, now: datetime) -> tuple[Any, ...]:
    f = w.fields
    return (
        w.id,
        w.merged_into,
        w.founding_key,
        w.founding_seen_at,
        f.get("title"),
        title_print(f.get("title")) if w.merged_into is None else None,
        f.get("abstract"),
        f.get("kind"),
        f.get("venue"),
        f.get("published"),
        f.get("year"),
        list(f.get("keywords") or []),
        _json(f.get("urls") or {}),
        _json(w.identifiers),
        _json(w.topics),
        w.topic_ids,
        _json(w.provenance),
        w.first_seen_at,
        w.last_seen_at,
        w.sightings,
        len(w.authorships),
        now,
    )


def _authorship(row: Row[Any]) -> AuthorshipState:
    return AuthorshipState(
        work_id=row.work_id,
        position=row.position,
        name=row.name,
        family_name=row.family_name,
        given_name=row.given_name,
        orcid=row.orcid,
        affiliations=list(row.affiliations),
        institutions=list(row.institutions),
        researcher_id=row.researcher_id,
        confidence=row.confidence,
        reasons=list(row.reasons),
        sources=dict(row.sources),
        origin=Origin(row.origin_at, row.origin_key, row.origin_pos),
        assigned_at=row.assigned_at,
    )


AUTHORSHIP_COLUMNS = (
    "work_id",
    "position",
    "name",
    "family_name",
    "given_name",
    "orcid",
    "affiliations",
    "institutions",
    "researcher_id",
    "confidence",
    "reasons",
    "sources",
    "origin_at",
    "origin_key",
    "origin_pos",
    "assigned_at",
)


def _authorship_row(a: AuthorshipState, now: datetime) -> tuple[Any, ...]:
    return (
        a.work_id,
        a.position,
        a.name,
        a.family_name,
        a.given_name,
        a.orcid,
        a.affiliations,
        _json(a.institutions),
        a.researcher_id,
        a.confidence,
        _json(a.reasons),
        _json(a.sources),
        a.origin.seen_at,
        a.origin.key,
        a.origin.position,
        a.assigned_at or now,
    )


# The evidence of a researcher the cache holds at this very xmin is neither detoasted nor sent.
LOAD_RESEARCHERS = (
    "SELECT r.id, r.xmin::text, r.xmin::text = c.x, r.orcid, r.works_count, r.origin_at, r.merged_into, "
    "r.origin_key, r.origin_pos, r.claimed, r.created_at, "
    "CASE WHEN r.xmin::text = c.x THEN NULL ELSE r.profile END, "
    "CASE WHEN r.xmin::text = c.x THEN NULL ELSE r.names END, "
    "CASE WHEN r.xmin::text = c.x THEN NULL ELSE r.block_keys END "
    "FROM researchers r LEFT JOIN unnest($3::text[], $4::text[]) AS c(id, x) ON c.id = r.id "
    "WHERE r.id = ANY($1::text[]) OR r.orcid = ANY($2::text[])"
)


def _researcher(row: asyncpg.Record) -> ResearcherState:
    rid, _, _, orcid, works_count, origin_at, merged_into, origin_key, origin_pos, claimed, created, *evidence = row
    profile, names, keys = evidence
    return ResearcherState(
        id=rid,
        orcid=orcid,
        profile=Profile.from_json(profile),
        names=names,
        works_count=works_count,
        origin=Origin(origin_at, origin_key, origin_pos),
        merged_into=merged_into,
        claimed=claimed,
        created_at=created,
        stored_block_keys=tuple(keys),
    )


RESEARCHER_COLUMNS = (
    "id",
    "merged_into",
    "orcid",
    "display_name",
    "names",
    "name_tokens",
    "works_count",
    "profile",
    "block_keys",
    "origin_at",
    "origin_key",
    "origin_pos",
    "created_at",
    "updated_at",
    "claimed",
)


def _researcher_row(
    r: ResearcherState, now: datetime, evidence: dict[str, Any], keys: tuple[str, ...]
) -> tuple[Any, ...]:
    live = r.merged_into is None
    return (
        r.id,
        r.merged_into,
        r.orcid if live else None,
        display_name(r.names) if r.names else "(unknown)",
        _json(r.names),
        name_tokens(r.names) if live else [],
        r.works_count if live else 0,
        _json(evidence),
        list(keys) if live else [],
        r.origin.seen_at,
        r.origin.key,
        r.origin.position,
        r.created_at or now,
        now,
        r.claimed,
    )


def counts_query() -> Any:
    """Live works and researchers (for /v1/status)."""
    return select(
        select(func.count()).select_from(works).where(works.c.merged_into.is_(None)).scalar_subquery(),
        select(func.count()).select_from(researchers).where(researchers.c.merged_into.is_(None)).scalar_subquery(),
    )
