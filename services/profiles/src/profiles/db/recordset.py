"""Batched inserts and upserts as one statement over one JSON parameter (`jsonb_to_recordset`), not executemany."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Table, TextClause, text
from sqlalchemy.dialects import postgresql

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def recordset_insert(
    table: Table, columns: Sequence[str], *, conflict: Sequence[str] = (), keep: Collection[str] = ()
) -> TextClause:
    """INSERT of the rows in `:rows` (a JSON array of objects); on a `conflict` key, update every column not in `keep`.

    One bound text parameter, parsed by PostgreSQL: SQLAlchemy's per-row parameter handling of executemany was a
    tenth of the consumer's CPU. JSON arrays fill array columns, JSON objects fill JSONB columns.
    """
    names = ", ".join(f'"{c}"' for c in columns)
    spec = ", ".join(f'"{c}" {table.c[c].type.compile(dialect=_DIALECT)}' for c in columns)
    sql = (
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} '  # noqa: S608 - names come from the Table
        f"FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r({spec})"
    )
    if conflict:
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in conflict and c not in keep)
        keys = ", ".join(f'"{c}"' for c in conflict)
        sql += f" ON CONFLICT ({keys}) DO UPDATE SET {updates}" if updates else f" ON CONFLICT ({keys}) DO NOTHING"
    return text(sql)


def rows_parameter(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The `:rows` parameter of a `recordset_insert`."""
    return {"rows": orjson.dumps(rows).decode()}
