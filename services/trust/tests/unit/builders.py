"""Fact builders for the rule tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from trust.domain import SightingFacts, WorkFacts

T0 = datetime(2026, 1, 5, tzinfo=UTC)


def seen(source: str, n: int, *, days: int = 0, **extra: Any) -> SightingFacts:
    """A sighting by `source` (event id from n), `days` after T0."""
    fields: dict[str, Any] = {"surnames": ("ma", "lin", "zhou"), "orcids": (None, None, None)}
    fields["affiliations"] = ((), (), ())
    fields.update(extra)
    return SightingFacts(event_id=f"e-{source}-{n}", source=source, seen_at=T0 + timedelta(days=days), **fields)


def work(
    n: int, *sightings: SightingFacts, year: int = 2022, topics: tuple[str, ...] = ("cv",), **extra: Any
) -> WorkFacts:
    """Work n of Kaisheng Ma with co-authors and the given sightings."""
    fields: dict[str, Any] = {"coauthors": ("r_lin", "r_zhou")}
    fields.update(extra)
    return WorkFacts(
        work_id=f"w_{n:03d}",
        name="Kaisheng Ma",
        surname="ma",
        year=year,
        topic_ids=topics,
        sources=tuple(sorted({s.source for s in sightings})),
        sightings=sightings,
        **fields,
    )
