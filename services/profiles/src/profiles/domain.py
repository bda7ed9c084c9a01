"""Pure rules of profiles: content-derived ids, work matching, field precedence, author alignment, collaborators.

Nothing here touches the database or Kafka; the service applies these rules to a consumer batch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from contracts import Identifiers
from contracts.keys import fold, surname
from profiles.names import ParsedName
from profiles.names import compatible as _names_compatible

ID_HEX = 20
# A close collaborator shares at least this many works with the researcher (one shared paper is an acquaintance).
CLOSE_COLLABORATOR_MIN_SHARED = 2
# Works with more authors than this do not make close collaborators (a 2,000-author collaboration is no evidence).
MAX_COLLABORATION_AUTHORS = 100
# Titles of at most this many words ("Introduction", "Deep learning") need stronger author evidence to match.
SHORT_TITLE_WORDS = 4
# A preprint and its published version may straddle a year boundary, never more.
MAX_YEAR_GAP = 1
# DataCite DOIs arXiv mints for every preprint: the same work as the arXiv id, never a publisher DOI.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")
MAX_KEYWORDS = 30
# The fields topics are computed from: a change to any of them re-classifies the work.
FIELDS_FOR_TOPICS = ("title", "abstract", "keywords", "venue")


# ---------------------------------------------------------------- ids


def _hashed(prefix: str, basis: str) -> str:
    return prefix + hashlib.sha256(basis.encode()).hexdigest()[:ID_HEX]


def work_id_for(key: str) -> str:
    """The canonical id of a work whose founding key is `key` ('doi:10.1/x' -> 'w_...')."""
    return _hashed("w_", f"work:{key}")


@dataclass(frozen=True, order=True)
class Origin:
    """The earliest evidence of something: when it was seen, under which work key, at which author position.

    Ordered (seen_at, key, position): the minimum is the same whatever order the events were processed in.
    """

    seen_at: datetime
    key: str
    position: int


def researcher_id_for(orcid: str | None, origin: Origin) -> str:
    """A researcher's id: from its ORCID when it has one, else from its earliest authorship (work key + position)."""
    if orcid:
        return _hashed("r_", f"orcid:{orcid}")
    return _hashed("r_", f"authorship:{origin.key}#{origin.position}")


def survivor(candidates: Iterable[tuple[Origin, str]]) -> str:
    """The id that survives a merge: the earliest evidence, then the smaller id (order-independent)."""
    return min(candidates)[1]


# ---------------------------------------------------------------- identifiers and matching


def identifiers(work_key: str, ids: Identifiers) -> list[str]:
    """Every identifier of a sighting as 'scheme:value', the work key first; arXiv DataCite DOIs count as arXiv ids."""
    found = [work_key]
    if ids.doi:
        arxiv_doi = _ARXIV_DOI.match(ids.doi)
        found.append(f"arxiv:{arxiv_doi.group(1)}" if arxiv_doi else f"doi:{ids.doi}")
    for scheme in ("arxiv", "pmid", "openalex", "dblp", "s2"):
        value = getattr(ids, scheme)
        if value:
            found.append(f"{scheme}:{value}")
    return list(dict.fromkeys(found))


@lru_cache(maxsize=65_536)
def title_print(title: str | None) -> str | None:
    """A short fingerprint of the folded title (indexed), or None when the title has no letters or digits."""
    folded = fold(title or "")
    return hashlib.sha256(folded.encode()).hexdigest()[:24] if folded else None


@dataclass(frozen=True)
class WorkFacts:
    """What title matching compares: the folded title, year, identifiers by scheme and author surnames."""

    title: str
    year: int | None
    schemes: Mapping[str, str]
    surnames: frozenset[str]

    @classmethod
    def of(cls, title: str | None, year: int | None, idents: Iterable[str], names: Iterable[str]) -> WorkFacts:
        """Facts from raw values; identifiers are 'scheme:value' strings."""
        schemes: dict[str, str] = {}
        for ident in idents:
            scheme, _, value = ident.partition(":")
            if scheme in {"doi", "arxiv", "pmid", "openalex"}:
                schemes.setdefault(scheme, value)
        return cls(fold(title or ""), year, schemes, frozenset(s for s in (surname(n) for n in names) if s))


def title_match(a: WorkFacts, b: WorkFacts) -> float:
    """How strongly two records with the same folded title are one work (0 = not the same work).

    Rules: no identifier conflict (two different DOIs, arXiv ids, PMIDs or OpenAlex ids are two works); years at
    most MAX_YEAR_GAP apart; author surnames overlap by at least half of the shorter list (at least two shared
    surnames for a short title); without authors on either side, only a long title in the same year matches.
    """
    if not a.title or a.title != b.title:
        return 0.0
    if any(a.schemes[s] != b.schemes[s] for s in a.schemes.keys() & b.schemes.keys()):
        return 0.0
    if a.year is not None and b.year is not None and abs(a.year - b.year) > MAX_YEAR_GAP:
        return 0.0
    short = len(a.title.split()) <= SHORT_TITLE_WORDS
    if not a.surnames or not b.surnames:
        if short or a.year is None or a.year != b.year:
            return 0.0
        return 0.5
    shared = len(a.surnames & b.surnames)
    smaller = min(len(a.surnames), len(b.surnames))
    if shared == 0 or shared * 2 < smaller:
        return 0.0
    if short and (shared < min(2, smaller) or a.year is None or b.year is None):
        return 0.0
    return 0.5 + 0.5 * shared / max(len(a.surnames), len(b.surnames))


# ---------------------------------------------------------------- field precedence

# Lower ranks are more authoritative for bibliographic fields: publishers and curated indexes over preprint
# servers and aggregators.
SOURCE_RANK: Mapping[str, int] = {
    "crossref": 0,
    "pubmed": 1,
    "openalex": 2,
    "dblp": 3,
    "semantic_scholar": 4,
    "arxiv": 5,
    "hf_daily_papers": 6,
    "academia": 7,
}
UNKNOWN_RANK = 8
PREPRINT_SOURCES = frozenset({"arxiv", "hf_daily_papers", "biorxiv", "medrxiv", "ssrn"})
PRECEDENCE = {
    "title": "most authoritative source (SOURCE_RANK); the first seen among equals",
    "abstract": "the richest (longest) abstract",
    "venue": "a publisher or index over a preprint server, then SOURCE_RANK",
    "kind": "a published kind over 'preprint', then SOURCE_RANK",
    "published": "SOURCE_RANK (the version of record's date), then the more precise date",
    "keywords": "union in first-seen order (at most 30)",
    "urls": "union by role; the first link of a role stays",
}


def source_rank(source: str) -> int:
    """The authority of a source for bibliographic fields (lower wins)."""
    return SOURCE_RANK.get(source, UNKNOWN_RANK)


@dataclass(frozen=True)
class Offer:
    """The fields one sighting offers for a work (a field it does not give is empty)."""

    source: str
    title: str | None = None
    abstract: str | None = None
    kind: str | None = None
    venue: str | None = None
    published: str | None = None
    year: int | None = None
    keywords: tuple[str, ...] = ()
    urls: Mapping[str, str] = field(default_factory=dict)


def _published_of(published: str | None, year: int | None) -> str | None:
    return published or (str(year) if year else None)


def choose_fields(
    current: Mapping[str, Any], sources: Mapping[str, str], offer: Offer
) -> tuple[dict[str, Any], dict[str, str]]:
    """The work's fields after one more sighting, and which source gave each (the PRECEDENCE rules)."""
    fields, given = dict(current), dict(sources)
    rank = source_rank(offer.source)
    preprint_offer = offer.source in PREPRINT_SOURCES

    def take(name: str, value: Any) -> None:
        fields[name] = value
        given[name] = offer.source

    def holder_rank(name: str) -> int:
        return source_rank(given[name]) if name in given else UNKNOWN_RANK + 1

    if offer.title and (fields.get("title") is None or rank < holder_rank("title")):
        take("title", offer.title)
    if offer.abstract and len(offer.abstract) > len(fields.get("abstract") or ""):
        take("abstract", offer.abstract)
    if offer.venue:
        held_preprint = given.get("venue") in PREPRINT_SOURCES
        if (
            fields.get("venue") is None
            or (held_preprint and not preprint_offer)
            or (held_preprint == preprint_offer and rank < holder_rank("venue"))
        ):
            take("venue", offer.venue)
    if offer.kind:
        held = fields.get("kind")
        if (
            held is None
            or (held == "preprint" and offer.kind != "preprint")
            or ((held == "preprint") == (offer.kind == "preprint") and rank < holder_rank("kind"))
        ):
            take("kind", offer.kind)
    published = _published_of(offer.published, offer.year)
    if published:
        held_published = fields.get("published")
        if (
            held_published is None
            or rank < holder_rank("published")
            or (
                rank == holder_rank("published")
                and published.startswith(held_published)
                and published != held_published
            )
        ):
            take("published", published)
            fields["year"] = int(published[:4])
    if offer.keywords:
        merged = list(dict.fromkeys([*(fields.get("keywords") or []), *offer.keywords]))[:MAX_KEYWORDS]
        if merged != list(fields.get("keywords") or []):
            fields["keywords"] = merged
            given.setdefault("keywords", offer.source)
    if offer.urls:
        urls = dict(fields.get("urls") or {})
        for role, url in offer.urls.items():
            urls.setdefault(role, url)
        fields["urls"] = urls
    return fields, given


# ---------------------------------------------------------------- authors


@lru_cache(maxsize=65_536)
def compatible(a: ParsedName, b: ParsedName) -> bool:
    """`names.compatible`, remembered: repeated sightings compare the same bylines again and again."""
    return _names_compatible(a, b)


def align_authors(existing: Sequence[tuple[int, ParsedName]], incoming: Sequence[ParsedName]) -> list[int]:
    """The canonical position of each incoming author: the same slot when the names agree, else a new one.

    An incoming author joins an existing slot at its own position when the names are compatible, else the nearest
    unused compatible slot; otherwise it gets its own position when free, else the next free one after the end.
    """
    by_position = dict(existing)
    used: set[int] = set()
    result: list[int | None] = [None] * len(incoming)
    for index, parsed in enumerate(incoming):
        held = by_position.get(index)
        if held is not None and compatible(held, parsed):
            result[index] = index
            used.add(index)
    for index, parsed in enumerate(incoming):
        if result[index] is not None:
            continue
        options = [p for p, name in existing if p not in used and compatible(name, parsed)]
        if options:
            chosen = min(options, key=lambda p: (abs(p - index), p))
            result[index] = chosen
            used.add(chosen)
    taken = set(by_position) | used
    next_free = max(taken, default=-1) + 1
    for index in range(len(incoming)):
        if result[index] is not None:
            continue
        if index not in taken:
            result[index] = index
        else:
            while next_free in taken:
                next_free += 1
            result[index] = next_free
        taken.add(result[index])  # type: ignore[arg-type]
    return [p for p in result if p is not None]


# ---------------------------------------------------------------- collaborators


def close_collaborators(
    shared: Iterable[tuple[str, str]], minimum: int = CLOSE_COLLABORATOR_MIN_SHARED
) -> list[tuple[str, list[str]]]:
    """Co-authors with at least `minimum` shared works, most shared first: (researcher id, the shared work ids)."""
    works: dict[str, list[str]] = {}
    for coauthor, work in shared:
        listed = works.setdefault(coauthor, [])
        if work not in listed:
            listed.append(work)
    close = [(coauthor, sorted(ids)) for coauthor, ids in works.items() if len(ids) >= minimum]
    close.sort(key=lambda item: (-len(item[1]), item[0]))
    return close


def name_tokens(names: Iterable[str]) -> list[str]:
    """The folded words of every name variant: what `?q=` search matches (all query words must appear)."""
    return list(_name_tokens(tuple(names)))


@lru_cache(maxsize=65_536)
def _name_tokens(names: tuple[str, ...]) -> tuple[str, ...]:
    # Every researcher written in a batch asks again; most keep the variants they had.
    return tuple(sorted({token for name in names for token in fold(name).split() if token}))


def display_name(counts: Mapping[str, int]) -> str:
    """The most printed name; among equals the longest (the fullest form), then alphabetical."""
    return min(counts, key=lambda name: (-counts[name], -len(name), name))
