"""Batched upserts by asyncpg binary COPY into a temporary staging table, then one INSERT … SELECT from it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import asyncpg
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_STATEMENTS: dict[tuple[str, tuple[str, ...], tuple[str, ...], frozenset[str]], tuple[str, str, str]] = {}


def _statements(
    table: Table, columns: Sequence[str], conflict: Sequence[str], keep: Collection[str]
) -> tuple[str, str, str]:
    """(create the staging table, its name, the INSERT … SELECT), built once per table and column list."""
    key = (table.name, tuple(columns), tuple(conflict), frozenset(keep))
    found = _STATEMENTS.get(key)
    if found is None:
        stage = f"_stage_{table.name}_{len(_STATEMENTS)}"
        spec = ", ".join(f'"{c}" {table.c[c].type.compile(dialect=_DIALECT)}' for c in columns)
        # Session-scoped, emptied at every commit; a rolled-back transaction takes its creation with it.
        create = f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" ({spec}, _n integer) ON COMMIT DELETE ROWS'
        names = ", ".join(f'"{c}"' for c in columns)
        # ORDER BY _n: rows are inserted, and their row locks taken, in the caller's (sorted) order, so two
        # replicas writing overlapping rows wait for each other instead of deadlocking.
        insert = (
            f'WITH s AS (DELETE FROM "{stage}" RETURNING *) '  # noqa: S608 - names come from the Table
            f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM s ORDER BY _n'
        )
        if conflict:
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in conflict and c not in keep)
            keys = ", ".join(f'"{c}"' for c in conflict)
            insert += (
                f" ON CONFLICT ({keys}) DO UPDATE SET {updates}" if updates else f" ON CONFLICT ({keys}) DO NOTHING"
            )
        found = _STATEMENTS[key] = (create, stage, insert)
    return found


async def copy_upsert(
    connection: asyncpg.Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    conflict: Sequence[str] = (),
    keep: Collection[str] = (),
    returning: str = "",
) -> list[asyncpg.Record]:
    """INSERT `rows` (tuples in `columns` order; JSONB values as JSON text) in their order; on a `conflict` key,
    update every column not in `keep`; the `returning` expressions of the rows written, if asked.
    Binary COPY: PostgreSQL parses no text and no JSON array of rows."""
    if not rows:
        return []
    create, stage, insert = _statements(table, columns, conflict, keep)
    await connection.execute(create)
    await connection.copy_records_to_table(
        stage, records=[(*row, n) for n, row in enumerate(rows)], columns=[*columns, "_n"]
    )
    if returning:
        return list(await connection.fetch(f"{insert} RETURNING {returning}"))
    await connection.execute(insert)
    return []
