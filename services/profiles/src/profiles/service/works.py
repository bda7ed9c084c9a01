"""Phase A: each sighting lands on a canonical work (identifiers, else title + year + authors); fields follow the
precedence rules; a sighting naming two works merges them; author slots are aligned."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from contracts import Sighting
from profiles.domain import (
    FIELDS_FOR_TOPICS,
    Offer,
    Origin,
    WorkFacts,
    align_authors,
    choose_fields,
    title_match,
    title_print,
    work_id_for,
)
from profiles.institutions import institutions
from profiles.names import parse_name
from profiles.records import AuthorshipState, WorkState
from profiles.service.incoming import PENDING, Attribution, Incoming
from profiles.service.researchers import lose_work
from profiles.service.state import BatchState
from profiles.topics import classify


def apply_sighting(b: BatchState, item: Incoming) -> None:
    """Land one sighting on its work (matched, merged or new) and absorb its fields and authors."""
    s = item.sighting
    matched = _match(b, item)
    if matched:
        work = matched[0]
        attribution = Attribution(item, work, False)
        for other in matched[1:]:
            _merge_works(b, other, work)
            attribution.merged.append(other.id)
    else:
        work = _new_work(b, s)
        attribution = Attribution(item, work, True)
    _absorb_sighting(b, work, item)
    for ident in item.idents:
        if b.ident_map.get(ident) != work.id:
            b.ident_map[ident] = b.ident_dirty[ident] = work.id
    _absorb_authors(b, work, item, attribution)
    work.dirty = True
    b.attributions.append(attribution)


def _facts(work: WorkState) -> WorkFacts:
    idents = [f"{scheme}:{v}" for scheme, values in work.identifiers.items() for v in values]
    names = [a.name for a in work.authorships.values()]
    return WorkFacts.of(work.fields.get("title"), work.fields.get("year"), idents, names)


def _match(b: BatchState, item: Incoming) -> list[WorkState]:
    found = {b.work(b.ident_map[i]).id for i in item.idents if i in b.ident_map}
    if found:
        return sorted((b.works[w] for w in found), key=lambda w: (w.founding, w.id))
    same_title = sorted(b.titles.get(item.print, ())) if item.print else []
    if not same_title:
        return []
    paper = item.sighting.paper
    facts = WorkFacts.of(paper.title, paper.year, item.idents, [a.name for _, a, _ in item.authors])
    scored = []
    for work_id in same_title:
        work = b.works[work_id]
        if work.merged_into is None and (score := title_match(_facts(work), facts)) > 0:
            scored.append((-score, work.founding, work.id))
    return [b.works[min(scored)[2]]] if scored else []


def _new_work(b: BatchState, s: Sighting) -> WorkState:
    work = WorkState(
        id=work_id_for(s.work_key),
        founding_key=s.work_key,
        founding_seen_at=s.seen_at,
        fields={"keywords": [], "urls": {}},
        identifiers={},
        topics=[],
        provenance={"fields": {}, "sources": {}},
        first_seen_at=s.seen_at,
        last_seen_at=s.seen_at,
        sightings=0,
        is_new=True,
    )
    b.works[work.id] = work
    return work


def _absorb_sighting(b: BatchState, work: WorkState, item: Incoming) -> None:
    s, paper = item.sighting, item.sighting.paper
    if (s.seen_at, s.work_key) < work.founding:
        work.founding_seen_at, work.founding_key = s.seen_at, s.work_key
    work.first_seen_at = min(work.first_seen_at, s.seen_at)
    work.last_seen_at = max(work.last_seen_at, s.seen_at)
    work.sightings += 1
    for ident in item.idents:
        scheme, _, value = ident.partition(":")
        values = work.identifiers.setdefault(scheme, [])
        if value not in values:
            values.append(value)
    offer = Offer(
        source=s.source,
        title=paper.title,
        abstract=paper.abstract,
        kind=paper.kind.value if paper.kind else None,
        venue=paper.venue,
        published=paper.published,
        year=paper.year,
        keywords=tuple(paper.keywords),
        urls={"source": s.source_url, **paper.urls},
    )
    _offer(b, work, offer)
    seen = work.provenance.setdefault("sources", {}).setdefault(
        s.source, {"first_seen": s.seen_at.isoformat(), "last_seen": s.seen_at.isoformat(), "sightings": 0}
    )
    seen["first_seen"] = min(seen["first_seen"], s.seen_at.isoformat())
    seen["last_seen"] = max(seen["last_seen"], s.seen_at.isoformat())
    seen["sightings"] += 1
    urls = seen.setdefault("urls", [])
    if s.source_url not in urls and len(urls) < 20:
        urls.append(s.source_url)


def _offer(b: BatchState, work: WorkState, offer: Offer) -> None:
    before = {name: work.fields.get(name) for name in FIELDS_FOR_TOPICS}
    old_print = title_print(work.fields.get("title"))
    fields, given = choose_fields(work.fields, work.provenance.get("fields", {}), offer)
    work.fields, work.provenance["fields"] = fields, given
    if old_print != title_print(fields.get("title")):
        if old_print:
            b.titles.get(old_print, set()).discard(work.id)
        b.index_title(work)
    if before != {name: fields.get(name) for name in FIELDS_FOR_TOPICS} or not work.topics:
        hits = classify(fields.get("title"), fields.get("abstract"), fields.get("keywords") or [], fields.get("venue"))
        work.topics = [
            {"topic_id": h.topic_id, "name": h.name, "field": h.field, "score": h.score, "terms": list(h.terms)}
            for h in hits
        ]


def _absorb_authors(b: BatchState, work: WorkState, item: Incoming, attribution: Attribution) -> None:
    s = item.sighting
    slots = sorted(work.authorships.values(), key=lambda a: a.position)
    existing = [(a.position, parse_name(a.name, a.family_name, a.given_name)) for a in slots]
    positions = align_authors(existing, [parsed for _, _, parsed in item.authors])
    for (index, author, _), position in zip(item.authors, positions, strict=True):
        origin = Origin(s.seen_at, s.work_key, index)
        affiliations = list(author.affiliations)
        slot = work.authorships.get(position)
        if slot is None:
            slot = AuthorshipState(
                work_id=work.id,
                position=position,
                name=author.name,
                family_name=author.family_name,
                given_name=author.given_name,
                orcid=author.orcid,
                affiliations=affiliations,
                institutions=institutions_of(affiliations),
                researcher_id=PENDING,
                confidence=0.0,
                reasons=[],
                sources={s.source: author.name},
                origin=origin,
            )
            work.authorships[position] = slot
            attribution.created.add(position)
            b.pending.append((work, slot, item))
            continue
        slot.sources.setdefault(s.source, author.name)
        slot.origin = min(slot.origin, origin)
        if any(a not in slot.affiliations for a in affiliations):
            slot.affiliations = list(dict.fromkeys([*slot.affiliations, *affiliations]))[:20]
            slot.institutions = institutions_of(slot.affiliations)
        slot.family_name = slot.family_name or author.family_name
        slot.given_name = slot.given_name or author.given_name
        if author.orcid and not slot.orcid:
            slot.orcid = author.orcid
            if slot.researcher_id != PENDING:
                b.orcid_updates.append(slot)


def _merge_works(b: BatchState, loser: WorkState, target: WorkState) -> None:
    """Retire `loser` into `target`: fields by precedence, identifiers, provenance, author slots aligned."""
    loser.merged_into, loser.dirty, target.dirty = target.id, True, True
    if loser.founding < target.founding:
        target.founding_seen_at, target.founding_key = loser.founding
    target.first_seen_at = min(target.first_seen_at, loser.first_seen_at)
    target.last_seen_at = max(target.last_seen_at, loser.last_seen_at)
    target.sightings += loser.sightings
    for scheme, values in loser.identifiers.items():
        held = target.identifiers.setdefault(scheme, [])
        held.extend(v for v in values if v not in held)
    given = loser.provenance.get("fields", {})
    for name in ("title", "abstract", "venue", "kind", "published", "keywords", "urls"):
        value = loser.fields.get(name)
        if value:
            offered: Any = tuple(value) if name == "keywords" else value
            _offer(b, target, Offer(source=given.get(name, "unknown"), **{name: offered}))
    _merge_sources(target.provenance.setdefault("sources", {}), loser.provenance.get("sources", {}))

    for ident, work_id in list(b.ident_map.items()):
        if work_id == loser.id:
            b.ident_map[ident] = b.ident_dirty[ident] = target.id
    b.work_moves[loser.id] = target.id
    printed = title_print(loser.fields.get("title"))
    if printed:
        b.titles.get(printed, set()).discard(loser.id)
    _merge_slots(b, loser, target)


def _merge_slots(b: BatchState, loser: WorkState, target: WorkState) -> None:
    """Move the loser's author slots onto the target's, one slot per author seen on both."""
    moving = sorted(loser.authorships.values(), key=lambda a: a.position)
    loser.authorships = {}
    existing = [(a.position, parse_name(a.name, a.family_name, a.given_name)) for a in target.authorships.values()]
    positions = align_authors(existing, [parse_name(a.name, a.family_name, a.given_name) for a in moving])
    for slot, position in zip(moving, positions, strict=True):
        kept = target.authorships.get(position)
        if kept is None:
            slot.work_id, slot.position = target.id, position
            target.authorships[position] = slot
            continue
        # The same author slot seen on both works: one slot stays; the other's researcher loses this work.
        kept.origin = min(kept.origin, slot.origin)
        for source, name in slot.sources.items():
            kept.sources.setdefault(source, name)
        kept.affiliations = list(dict.fromkeys([*kept.affiliations, *slot.affiliations]))[:20]
        kept.orcid = kept.orcid or slot.orcid
        b.pending = [p for p in b.pending if p[1] is not slot]
        if slot.researcher_id not in (PENDING, kept.researcher_id) and kept.researcher_id != PENDING:
            lose_work(b, slot.researcher_id, kept.researcher_id)


@lru_cache(maxsize=65_536)
def _institutions_of_one(affiliation: str) -> tuple[tuple[str, str, str | None, str | None], ...]:
    return tuple((i.key, i.name, i.country, i.kind.value if i.kind else None) for i in institutions(affiliation))


def institutions_of(affiliations: Sequence[str]) -> list[dict[str, Any]]:
    """The institutions named in an author's affiliation strings, each once, in the order written."""
    found: dict[str, dict[str, Any]] = {}
    for affiliation in affiliations:
        for key, name, country, kind in _institutions_of_one(affiliation):
            found.setdefault(key, {"key": key, "name": name, "country": country, "kind": kind})
    return list(found.values())


def _merge_sources(sources: dict[str, Any], other: dict[str, Any]) -> None:
    """Per-source provenance of two works as one: earliest first sight, latest last sight, summed sightings."""
    for source, seen in other.items():
        if source not in sources:
            sources[source] = seen
            continue
        held = sources[source]
        held["first_seen"] = min(held["first_seen"], seen["first_seen"])
        held["last_seen"] = max(held["last_seen"], seen["last_seen"])
        held["sightings"] += seen["sightings"]
        held["urls"] = list(dict.fromkeys([*held.get("urls", []), *seen.get("urls", [])]))[:20]
