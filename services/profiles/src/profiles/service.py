"""The use case: apply a batch of paper.seen events to canonical works and researchers, in one transaction.

Phases (all in memory after one batched load, then one batched write):

A. works: each sighting lands on a canonical work (identifiers first, then title + year + authors); a sighting
   whose identifiers name two works merges them; fields follow the precedence rules; author slots are aligned.
B. ids: a work's id derives from its founding key (earliest sighting), so a changed founder renames the work
   (the old id becomes a tombstone redirecting to the new one).
C. researchers: each new author slot is placed by the engine (ORCID hard link, else block-key candidates).
D. the merge pass over every block the batch touched.
E. researcher ids derive from the ORCID or the earliest authorship; a changed derivation renames (tombstone).
F. one write per table, and the events (work.attributed, researcher.updated, researcher.merged) into the outbox.

Concurrency: before reading, the batch takes advisory locks on every identifier, title fingerprint, name block
key and ORCID it touches (sorted, in one statement), so two replicas never create one work or researcher twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import groupby
from typing import Any

from contracts import PAPER_SEEN, RESEARCHER_CHANGES, WORK_ATTRIBUTED, PaperSeenV1, Sighting
from profiles.db.repository import TOTAL, ProfilesRepository
from profiles.disambiguation import Decision, Mention, Profile, Reason, assign, find_merges, mention_terms
from profiles.disambiguation.features import MAX_COAUTHOR_TEAM
from profiles.domain import (
    FIELDS_FOR_TOPICS,
    Offer,
    Origin,
    WorkFacts,
    align_authors,
    choose_fields,
    identifiers,
    researcher_id_for,
    title_match,
    title_print,
    work_id_for,
)
from profiles.events import attributed_author, envelope, event_id, merge_data, message, split_data
from profiles.institutions import institutions
from profiles.names import ParsedName, block_keys, parse_name
from profiles.records import AuthorshipState, WorkState, profile_block_keys
from profiles.records import ResearcherState as Researcher
from profiles.topics import classify
from servicekit.outbox import OutboxMessage, OutboxRepository

PENDING = ""


@dataclass(frozen=True)
class Publishing:
    """Where and as whom profiles publishes."""

    producer: str
    topic_prefix: str = ""


class Stats:
    """CorpusStats over the stored counts plus this batch's own mentions (one dict lookup per question)."""

    def __init__(self, stored: dict[tuple[str, str], int]) -> None:
        """Start from the stored counts of the terms this batch asks about."""
        self._counts = dict(stored)
        self.added: dict[tuple[str, str], int] = {}

    @property
    def mentions(self) -> int:
        """Mentions counted so far."""
        return self._counts.get(TOTAL, 0)

    def frequency(self, kind: str, term: str) -> int:
        """In how many mentions the term occurred."""
        return self._counts.get((kind, term), 0)

    def count(self, terms: Iterable[tuple[str, str]]) -> None:
        """Count one mention's terms."""
        for key in (*terms, TOTAL):
            self.added[key] = self.added.get(key, 0) + 1
            self._counts[key] = self._counts.get(key, 0) + 1


@dataclass
class Incoming:
    """One paper.seen event, prepared: identifiers, title fingerprint, author names parsed."""

    event: PaperSeenV1
    idents: list[str]
    print: str | None
    authors: list[tuple[int, Any, ParsedName]]  # (index in the sighting, contract Author, parsed name)

    @property
    def sighting(self) -> Sighting:
        """The sighting."""
        return self.event.data


@dataclass
class Attribution:
    """What one event did to its work, for its work.attributed event."""

    incoming: Incoming
    work: WorkState
    is_new_work: bool
    created: set[int] = field(default_factory=set)  # positions whose slot this event created
    merged: list[str] = field(default_factory=list)


@dataclass
class SplitRecord:
    """A work split off a researcher during the batch (its slot's ORCID is not the researcher's)."""

    researcher: str
    part: str
    work: str
    detail: str


@dataclass
class MergeRecord:
    """A researcher retired into another during the batch."""

    loser: str
    target: str
    rule: str
    confidence: float
    reasons: tuple[Reason, ...]


def prepare(event: PaperSeenV1) -> Incoming:
    """Identifiers, title fingerprint and parsed author names of one event (editors are not authors)."""
    s = event.data
    paper = s.paper
    authors = [
        (index, author, parse_name(author.name, author.family_name, author.given_name))
        for index, author in enumerate(paper.authors)
        if getattr(author, "role", None) != "editor"
    ]
    return Incoming(event, identifiers(s.work_key, paper.identifiers), title_print(paper.title), authors)


def lock_keys(batch: Sequence[Incoming]) -> set[str]:
    """Every key the batch must hold: identifiers, title fingerprints, name block keys, ORCIDs."""
    keys: set[str] = set()
    for item in batch:
        keys.update(f"id:{i}" for i in item.idents)
        if item.print:
            keys.add(f"title:{item.print}")
        for _, author, parsed in item.authors:
            keys.update(f"block:{k}" for k in block_keys(parsed))
            if author.orcid:
                keys.add(f"orcid:{author.orcid}")
    return keys


class BatchApplier:
    """Applies one batch of events on one session; `apply` returns the number of events applied."""

    def __init__(self, repo: ProfilesRepository, outbox: OutboxRepository, publishing: Publishing, now: datetime):
        """Bind the repositories of the transaction."""
        self.repo, self.outbox, self.publishing, self.now = repo, outbox, publishing, now
        self.works: dict[str, WorkState] = {}
        self.ident_map: dict[str, str] = {}
        self.ident_dirty: dict[str, str] = {}
        self.work_moves: dict[str, str] = {}
        self.titles: dict[str, set[str]] = {}
        self.researchers: dict[str, Researcher] = {}
        self.blocks: dict[str, set[str]] = {}
        self.orcids: dict[str, str] = {}
        self.moves: dict[str, str] = {}
        self.merges: list[MergeRecord] = []
        self.attributions: list[Attribution] = []
        self.pending: list[tuple[WorkState, AuthorshipState, Incoming]] = []
        self.orcid_updates: list[AuthorshipState] = []
        self.reassigned: set[tuple[str, int]] = set()
        self.splits: list[SplitRecord] = []
        self.touched_blocks: set[str] = set()
        self.founded_blocks: set[str] = set()
        self.stats = Stats({})

    # ------------------------------------------------------------ driver

    async def apply(self, events: Sequence[PaperSeenV1]) -> int:
        """Apply the events (sorted by seen_at, key, id, so a batch is processed the same way every time)."""
        ordered = sorted(events, key=lambda e: (e.data.seen_at, e.data.work_key, str(e.event_id)))
        batch = [prepare(e) for e in ordered]
        await self.repo.lock(lock_keys(batch))
        await self._load(batch)
        for item in batch:
            self._apply_sighting(item)
        self._rename_works()
        mentions = self._mentions()
        self.stats = Stats(await self.repo.corpus_counts(t for _, _, m in mentions for t in mention_terms(m)))
        self._apply_orcid_updates()
        for _, run in groupby(mentions, key=lambda m: m[0].id):
            work_mentions = list(run)
            # A work's mentions are counted before any is assigned, as the engine's weights were learned
            # (Replay.add_work): a name's own mention counts toward how common it is, or names look rarer
            # than in training and join too readily.
            for _, _, mention in work_mentions:
                self.stats.count(mention_terms(mention))
            for work, slot, mention in work_mentions:
                self._assign(work, slot, mention)
        self._merge_pass()
        self._rename_researchers()
        await self._write()
        return len(batch)

    async def _load(self, batch: Sequence[Incoming]) -> None:
        idents = sorted({i for item in batch for i in item.idents})
        self.ident_map = await self.repo.work_ids_for(idents)
        prints = sorted({item.print for item in batch if item.print})
        titled = await self.repo.work_ids_with_titles(prints)
        self.works = await self.repo.load_works({*self.ident_map.values(), *titled})
        for work in self.works.values():
            if work.merged_into is None:
                self._index_title(work)
        keys = sorted({k for item in batch for _, _, parsed in item.authors for k in block_keys(parsed)})
        self.blocks = await self.repo.researcher_ids_in_blocks(keys)
        referenced = {a.researcher_id for w in self.works.values() for a in w.authorships.values()}
        orcids = {a.orcid for item in batch for _, a, _ in item.authors if a.orcid}
        self.researchers = await self.repo.load_researchers(
            referenced | {r for ids in self.blocks.values() for r in ids}, orcids
        )
        self.orcids = {r.orcid: r.id for r in self.researchers.values() if r.orcid and r.merged_into is None}

    # ------------------------------------------------------------ phase A: works

    def work(self, work_id: str) -> WorkState:
        """The live work an id resolves to (following merges)."""
        work = self.works[work_id]
        while work.merged_into is not None:
            work = self.works[work.merged_into]
        return work

    def _index_title(self, work: WorkState) -> None:
        printed = title_print(work.fields.get("title"))
        if printed:
            self.titles.setdefault(printed, set()).add(work.id)

    def _facts(self, work: WorkState) -> WorkFacts:
        idents = [f"{scheme}:{v}" for scheme, values in work.identifiers.items() for v in values]
        names = [a.name for a in work.authorships.values()]
        return WorkFacts.of(work.fields.get("title"), work.fields.get("year"), idents, names)

    def _match(self, item: Incoming) -> list[WorkState]:
        found = {self.work(self.ident_map[i]).id for i in item.idents if i in self.ident_map}
        if found:
            return sorted((self.works[w] for w in found), key=lambda w: (w.founding, w.id))
        same_title = sorted(self.titles.get(item.print, ())) if item.print else []
        if not same_title:
            return []
        paper = item.sighting.paper
        facts = WorkFacts.of(paper.title, paper.year, item.idents, [a.name for _, a, _ in item.authors])
        scored = []
        for work_id in same_title:
            work = self.works[work_id]
            if work.merged_into is None and (score := title_match(self._facts(work), facts)) > 0:
                scored.append((-score, work.founding, work.id))
        return [self.works[min(scored)[2]]] if scored else []

    def _apply_sighting(self, item: Incoming) -> None:
        s = item.sighting
        matched = self._match(item)
        if matched:
            work = matched[0]
            attribution = Attribution(item, work, False)
            for other in matched[1:]:
                self._merge_works(other, work)
                attribution.merged.append(other.id)
        else:
            work = self._new_work(s)
            attribution = Attribution(item, work, True)
        self._absorb_sighting(work, item)
        for ident in item.idents:
            if self.ident_map.get(ident) != work.id:
                self.ident_map[ident] = self.ident_dirty[ident] = work.id
        self._absorb_authors(work, item, attribution)
        work.dirty = True
        self.attributions.append(attribution)

    def _new_work(self, s: Sighting) -> WorkState:
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
        self.works[work.id] = work
        return work

    def _absorb_sighting(self, work: WorkState, item: Incoming) -> None:
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
        self._offer(work, offer)
        seen = work.provenance.setdefault("sources", {}).setdefault(
            s.source, {"first_seen": s.seen_at.isoformat(), "last_seen": s.seen_at.isoformat(), "sightings": 0}
        )
        seen["first_seen"] = min(seen["first_seen"], s.seen_at.isoformat())
        seen["last_seen"] = max(seen["last_seen"], s.seen_at.isoformat())
        seen["sightings"] += 1
        urls = seen.setdefault("urls", [])
        if s.source_url not in urls and len(urls) < 20:
            urls.append(s.source_url)

    def _offer(self, work: WorkState, offer: Offer) -> None:
        before = {name: work.fields.get(name) for name in FIELDS_FOR_TOPICS}
        old_print = title_print(work.fields.get("title"))
        fields, given = choose_fields(work.fields, work.provenance.get("fields", {}), offer)
        work.fields, work.provenance["fields"] = fields, given
        if old_print != title_print(fields.get("title")):
            if old_print:
                self.titles.get(old_print, set()).discard(work.id)
            self._index_title(work)
        if before != {name: fields.get(name) for name in FIELDS_FOR_TOPICS} or not work.topics:
            hits = classify(
                fields.get("title"), fields.get("abstract"), fields.get("keywords") or [], fields.get("venue")
            )
            work.topics = [
                {"topic_id": h.topic_id, "name": h.name, "field": h.field, "score": h.score, "terms": list(h.terms)}
                for h in hits
            ]

    def _absorb_authors(self, work: WorkState, item: Incoming, attribution: Attribution) -> None:
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
                self.pending.append((work, slot, item))
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
                    self.orcid_updates.append(slot)

    def _merge_works(self, loser: WorkState, target: WorkState) -> None:
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
                self._offer(target, _field_offer(given.get(name, "unknown"), name, value))
        _merge_sources(target.provenance.setdefault("sources", {}), loser.provenance.get("sources", {}))

        for ident, work_id in list(self.ident_map.items()):
            if work_id == loser.id:
                self.ident_map[ident] = self.ident_dirty[ident] = target.id
        self.work_moves[loser.id] = target.id
        printed = title_print(loser.fields.get("title"))
        if printed:
            self.titles.get(printed, set()).discard(loser.id)
        self._merge_slots(loser, target)

    def _merge_slots(self, loser: WorkState, target: WorkState) -> None:
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
            self.pending = [p for p in self.pending if p[1] is not slot]
            if slot.researcher_id not in (PENDING, kept.researcher_id) and kept.researcher_id != PENDING:
                self._lose_work(slot.researcher_id, kept.researcher_id)

    def _lose_work(self, researcher_id: str, other_id: str) -> None:
        researcher = self.researcher(researcher_id)
        researcher.works_count -= 1
        researcher.dirty = True
        if researcher.works_count <= 0:
            other = self.researcher(other_id)
            if other.id != researcher.id:
                self._merge_researchers(researcher, other, "work_merge", 1.0, ())

    def _rename_works(self) -> None:
        for work in sorted(self.works.values(), key=lambda w: w.id):
            if work.merged_into is not None or work_id_for(work.founding_key) == work.id:
                continue
            natural = work_id_for(work.founding_key)
            old = work.id
            renamed = WorkState(
                id=natural,
                founding_key=work.founding_key,
                founding_seen_at=work.founding_seen_at,
                fields=work.fields,
                identifiers=work.identifiers,
                topics=work.topics,
                provenance=work.provenance,
                first_seen_at=work.first_seen_at,
                last_seen_at=work.last_seen_at,
                sightings=work.sightings,
                authorships=work.authorships,
                is_new=True,
                dirty=True,
            )
            for slot in renamed.authorships.values():
                slot.work_id = natural
            work.authorships, work.merged_into, work.dirty = {}, natural, True
            self.works[natural] = renamed
            self.work_moves[old] = natural
            for ident, work_id in list(self.ident_map.items()):
                if work_id == old:
                    self.ident_map[ident] = self.ident_dirty[ident] = natural
            for attribution in self.attributions:
                if attribution.work is work:
                    attribution.work = renamed

    # ------------------------------------------------------------ phase C: researchers

    def researcher(self, researcher_id: str) -> Researcher:
        """The live researcher an id resolves to (following merges)."""
        found = self.researchers[researcher_id]
        while found.merged_into is not None:
            found = self.researchers[found.merged_into]
        return found

    def _mentions(self) -> list[tuple[WorkState, AuthorshipState, Mention]]:
        mentions = []
        rosters: dict[str, list[tuple[int, str]]] = {}
        for _, slot, item in self.pending:
            work = self.work(slot.work_id)
            if work.authorships.get(slot.position) is not slot:
                continue
            roster = rosters.get(work.id)
            if roster is None:
                roster = rosters[work.id] = _roster(work)
            mentions.append((work, slot, self._mention(work, slot, item.sighting.source, roster)))
        mentions.sort(key=lambda m: (m[1].origin, m[0].id))
        return mentions

    def _mention(self, work: WorkState, slot: AuthorshipState, source: str, roster: list[tuple[int, str]]) -> Mention:
        f = work.fields
        return Mention(
            work_id=work.id,
            position=slot.position,
            name=slot.name,
            family_name=slot.family_name,
            given_name=slot.given_name,
            orcid=slot.orcid,
            affiliations=tuple(slot.affiliations),
            coauthors=tuple(name for p, name in roster if p != slot.position),
            author_count=len(work.authorships),
            title=f.get("title"),
            keywords=tuple(f.get("keywords") or ()),
            topics=tuple(work.topic_ids),
            venue=f.get("venue"),
            year=f.get("year"),
            source=source,
        )

    def _apply_orcid_updates(self) -> None:
        """A slot that learned its ORCID: the ORCID's researcher takes it, or its researcher takes the ORCID; when
        its researcher holds another ORCID, the slot is split off to a researcher of its own (researcher.split)."""
        for slot in self.orcid_updates:
            orcid = slot.orcid
            assert orcid is not None
            current = self.researcher(slot.researcher_id)
            holder = self.orcids.get(orcid)
            if holder is None and current.orcid is None:
                current.orcid, current.dirty = orcid, True
                self.orcids[orcid] = current.id
            elif holder is not None and holder != current.id:
                self._move_slot(slot, current, self.researcher(holder), f"ORCID {orcid} (learned later)")
                self._lose_work(current.id, holder)
            elif holder is None:
                target = self._new_researcher(slot)
                detail = f"ORCID {orcid} (learned later), not the researcher's ORCID {current.orcid}"
                self._move_slot(slot, current, target, detail)
                current.works_count -= 1
                self.splits.append(SplitRecord(current.id, target.id, slot.work_id, detail))

    def _move_slot(self, slot: AuthorshipState, current: Researcher, target: Researcher, detail: str) -> None:
        """Give an assigned slot to another researcher, with its name and evidence (the ORCID decided)."""
        work = self.work(slot.work_id)
        source = next(iter(slot.sources), "unknown")
        target.profile.absorb(self._mention(work, slot, source, _roster(work)))
        target.names[slot.name] = target.names.get(slot.name, 0) + 1
        if current.names.get(slot.name, 0) > 1:
            current.names[slot.name] -= 1
        elif len(current.names) > 1:
            current.names.pop(slot.name, None)
        target.origin = min(target.origin, slot.origin)
        slot.researcher_id, slot.confidence = target.id, 1.0
        slot.reasons = [{"kind": "orcid", "detail": detail, "points": 1.0}]
        target.works_count += 1
        target.dirty = current.dirty = True
        target.added_work_ids.append(slot.work_id)
        self.reassigned.add((slot.work_id, slot.position))
        if target.is_new:
            for key in profile_block_keys(target.profile):
                self.blocks.setdefault(key, set()).add(target.id)

    def _assign(self, work: WorkState, slot: AuthorshipState, mention: Mention) -> None:
        parsed = parse_name(slot.name, slot.family_name, slot.given_name)
        keys = block_keys(parsed)
        holder = self.orcids.get(slot.orcid) if slot.orcid else None
        if holder is not None:
            decision = Decision(holder, 1.0, (Reason("orcid", f"ORCID {slot.orcid}", 1.0),))
        else:
            taken = {a.researcher_id for a in work.authorships.values() if a is not slot}
            ids = sorted({self.researcher(r).id for k in keys for r in self.blocks.get(k, ())} - taken)
            candidates = []
            for researcher_id in ids:
                candidate = self.researchers[researcher_id]
                if slot.orcid and candidate.orcid and candidate.orcid != slot.orcid:
                    continue
                candidates.append((researcher_id, candidate.profile))
            decision = assign(mention, candidates, self.stats)
        if decision.researcher_id is None:
            researcher = self._new_researcher(slot)
            self.founded_blocks.update(keys)
            reasons: tuple[Reason, ...] = decision.reasons or (Reason("new", "no candidate fits", 0.0),)
            confidence = decision.confidence
        else:
            researcher = self.researcher(decision.researcher_id)
            reasons, confidence = decision.reasons, decision.confidence
        researcher.profile.absorb(mention)
        researcher.names[slot.name] = researcher.names.get(slot.name, 0) + 1
        researcher.works_count += 1
        researcher.origin = min(researcher.origin, slot.origin)
        researcher.added_work_ids.append(work.id)
        researcher.dirty = True
        if slot.orcid and researcher.orcid is None and slot.orcid not in self.orcids:
            researcher.orcid = slot.orcid
            self.orcids[slot.orcid] = researcher.id
        slot.researcher_id, slot.confidence = researcher.id, float(confidence)
        slot.reasons = [{"kind": r.kind, "detail": r.detail, "points": r.points} for r in reasons]
        slot.assigned_at = self.now
        for key in profile_block_keys(researcher.profile):
            self.blocks.setdefault(key, set()).add(researcher.id)
            self.touched_blocks.add(key)

    def _new_researcher(self, slot: AuthorshipState) -> Researcher:
        orcid = slot.orcid if slot.orcid and slot.orcid not in self.orcids else None
        researcher_id = researcher_id_for(orcid, slot.origin)
        existing = self.researchers.get(researcher_id)
        if existing is not None and existing.merged_into is None:
            return existing
        researcher = Researcher(
            id=researcher_id,
            orcid=orcid,
            profile=Profile.empty(),
            names={},
            works_count=0,
            origin=slot.origin,
            created_at=existing.created_at if existing else None,
            is_new=existing is None,
            dirty=True,
        )
        self.researchers[researcher_id] = researcher
        if orcid:
            self.orcids[orcid] = researcher_id
        return researcher

    # ------------------------------------------------------------ phase D: merge pass

    def _merge_pass(self) -> None:
        """find_merges over the blocks where this batch founded a researcher (where a split may have appeared)."""
        focus = {r.id for r in self.researchers.values() if r.dirty and r.merged_into is None}
        for key in sorted(self.founded_blocks & self.touched_blocks):
            ids = sorted({self.researcher(r).id for r in self.blocks.get(key, ())})
            if len(ids) < 2 or not focus.intersection(ids):
                continue
            candidates = [(r, self.researchers[r].profile) for r in ids]
            for merge in find_merges(candidates, self.stats, focus=focus & set(ids)):
                a, b = self.researcher(merge.survivor_id), self.researcher(merge.loser_id)
                if a.id == b.id or (a.orcid and b.orcid and a.orcid != b.orcid):
                    continue
                keep, lose = sorted((a, b), key=lambda r: (r.origin, r.id))
                self._merge_researchers(lose, keep, "merge_pass", merge.confidence, merge.reasons)
                focus.add(keep.id)

    def _merge_researchers(
        self, loser: Researcher, target: Researcher, rule: str, confidence: float, reasons: tuple[Reason, ...]
    ) -> None:
        target.profile = target.profile.merged(loser.profile)
        for name, count in loser.names.items():
            target.names[name] = target.names.get(name, 0) + count
        target.works_count += max(0, loser.works_count)
        target.origin = min(target.origin, loser.origin)
        target.added_work_ids.extend(loser.added_work_ids)
        if loser.orcid:
            target.orcid = target.orcid or loser.orcid
            if target.orcid == loser.orcid:
                self.orcids[loser.orcid] = target.id
            elif self.orcids.get(loser.orcid) == loser.id:
                del self.orcids[loser.orcid]
        loser.orcid, loser.merged_into = None, target.id
        loser.dirty = target.dirty = True
        self.moves[loser.id] = target.id
        for key in profile_block_keys(loser.profile):
            self.blocks.get(key, set()).discard(loser.id)
        for key in profile_block_keys(target.profile):
            self.blocks.setdefault(key, set()).add(target.id)
        self.merges.append(MergeRecord(loser.id, target.id, rule, confidence, reasons))

    # ------------------------------------------------------------ phase E: researcher ids

    def _rename_researchers(self) -> None:
        for researcher in sorted(self.researchers.values(), key=lambda r: r.id):
            if researcher.merged_into is not None or not researcher.dirty:
                continue
            natural = researcher_id_for(researcher.orcid, researcher.origin)
            if natural == researcher.id:
                continue
            existing = self.researchers.get(natural)
            renamed = Researcher(
                id=natural,
                orcid=researcher.orcid,
                profile=researcher.profile,
                names=researcher.names,
                works_count=researcher.works_count,
                origin=researcher.origin,
                claimed=researcher.claimed,
                created_at=researcher.created_at,
                is_new=existing is None and researcher.is_new,
                dirty=True,
                added_work_ids=researcher.added_work_ids,
            )
            if researcher.orcid:
                self.orcids[researcher.orcid] = natural
            self.researchers[natural] = renamed
            researcher.merged_into, researcher.orcid = natural, None
            self.moves[researcher.id] = natural
            for key in profile_block_keys(renamed.profile):
                self.blocks.setdefault(key, set()).discard(researcher.id)
                self.blocks[key].add(natural)
            self.merges.append(MergeRecord(researcher.id, natural, "earlier_evidence", 1.0, ()))

    # ------------------------------------------------------------ phase F: writes and events

    def _final(self, researcher_id: str) -> str:
        return self.researcher(researcher_id).id

    async def _write(self) -> None:
        for work in self.works.values():
            for slot in work.authorships.values():
                slot.researcher_id = self._final(slot.researcher_id)
        dirty_works = [w for w in self.works.values() if w.dirty and not (w.is_new and w.merged_into)]
        await self.repo.save_works(dirty_works, self.now)
        work_moves = {old: self.work(old).id for old in self.work_moves if not self.works[old].is_new}
        await self.repo.redirect_identifiers(work_moves)
        await self.repo.save_identifiers({i: self.work(w).id for i, w in self.ident_dirty.items()})
        dirty = [r for r in self.researchers.values() if r.dirty and not (r.is_new and r.merged_into)]
        await self.repo.save_researchers(dirty, self.now)
        moves = {old: self._final(old) for old in self.moves if not self.researchers[old].is_new}
        moved_works = await self.repo.redirect_authorships(moves)
        await self.repo.add_corpus_counts(self.stats.added)
        await self.outbox.add_many(self._events(moved_works))

    def _events(self, moved_works: dict[str, list[str]]) -> list[OutboxMessage]:
        messages = [self._attributed(attribution) for attribution in self.attributions]
        producer, prefix = self.publishing.producer, self.publishing.topic_prefix
        for merge in self.merges:
            if self.researchers[merge.loser].is_new:
                continue
            survivor = self._final(merge.target)
            moved = moved_works.get(merge.loser, [])
            data = merge_data(
                merge.loser, survivor, merge.rule, confidence=merge.confidence, reasons=merge.reasons, moved=moved
            )
            identity = event_id("researcher.merged", merge.loser, survivor)
            event = envelope(
                "researcher.merged", identity, data, occurred_at=self.now, ingested_at=self.now, producer=producer
            )
            messages.append(message(RESEARCHER_CHANGES, prefix, merge.loser, event))
        messages.extend(self._split_events())
        for researcher in sorted(self.researchers.values(), key=lambda r: r.id):
            if not researcher.dirty or researcher.merged_into is not None:
                continue
            added = sorted({self.work(w).id for w in researcher.added_work_ids if w in self.works})
            state = {
                "researcher_id": researcher.id,
                "display_name": _display(researcher),
                "name_variants": sorted(researcher.names, key=lambda n: (-researcher.names[n], n))[:50],
                "orcid": researcher.orcid,
                "works_count": max(0, researcher.works_count),
                "added_work_ids": added,
            }
            basis = f"{researcher.id}:{researcher.works_count}:{','.join(added)}:{self.now.isoformat()}"
            identity = event_id("researcher.updated", basis)
            event = envelope(
                "researcher.updated", identity, state, occurred_at=self.now, ingested_at=self.now, producer=producer
            )
            messages.append(message(RESEARCHER_CHANGES, prefix, researcher.id, event))
        return messages

    def _split_events(self) -> list[OutboxMessage]:
        """One researcher.split per researcher that had works split off (unless nobody had seen it yet)."""
        parts: dict[str, dict[str, set[str]]] = {}
        details: dict[str, list[str]] = {}
        for split in self.splits:
            if self.researchers[split.researcher].is_new:
                continue
            split_from = self._final(split.researcher)
            parts.setdefault(split_from, {}).setdefault(self._final(split.part), set()).add(self.work(split.work).id)
            details.setdefault(split_from, []).append(split.detail)
        messages = []
        for researcher_id, taken in sorted(parts.items()):
            data = split_data(researcher_id, taken, details[researcher_id])
            basis = ",".join(f"{part}:{'+'.join(sorted(works))}" for part, works in sorted(taken.items()))
            event = envelope(
                "researcher.split",
                event_id("researcher.split", researcher_id, basis),
                data,
                occurred_at=self.now,
                ingested_at=self.now,
                producer=self.publishing.producer,
            )
            messages.append(message(RESEARCHER_CHANGES, self.publishing.topic_prefix, researcher_id, event))
        return messages

    def _attributed(self, attribution: Attribution) -> OutboxMessage:
        work = self.work(attribution.work.id)
        incoming = attribution.incoming
        s = incoming.sighting
        fields = work.fields
        authors = [
            attributed_author(
                position,
                slot.name,
                slot.researcher_id,
                new=(slot.work_id == work.id and position in attribution.created and slot.assigned_at == self.now)
                or (work.id, position) in self.reassigned,
                confidence=slot.confidence,
            )
            for position, slot in sorted(work.authorships.items())
        ]
        # An event announces a slot as new once: later events of the batch on the same work do not repeat it.
        attribution.created.clear()
        data = {
            "work_id": work.id,
            "work_key": s.work_key,
            "source": s.source[:40],
            "is_new_work": attribution.is_new_work,
            "merged_work_ids": list(attribution.merged),
            "title": fields.get("title"),
            "year": fields.get("year"),
            "published": fields.get("published"),
            "topic_ids": work.topic_ids,
            "authors": authors,
        }
        identity = event_id("work.attributed", str(incoming.event.event_id))
        event = envelope(
            "work.attributed",
            identity,
            data,
            occurred_at=self.now,
            ingested_at=incoming.event.ingested_at,
            producer=self.publishing.producer,
        )
        return message(WORK_ATTRIBUTED, self.publishing.topic_prefix, work.id, event)


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


def _display(researcher: Researcher) -> str:
    from profiles.domain import display_name

    return display_name(researcher.names)[:500] if researcher.names else "(unknown)"


def _field_offer(source: str, name: str, value: Any) -> Offer:
    values: dict[str, Any] = {
        "title": None,
        "abstract": None,
        "kind": None,
        "venue": None,
        "published": None,
        "year": None,
        "keywords": (),
        "urls": {},
    }
    values[name] = tuple(value) if name == "keywords" else value
    return Offer(source=source, **values)


def utcnow() -> datetime:
    """Now, timezone-aware."""
    return datetime.now(UTC)


__all__ = ["PAPER_SEEN", "BatchApplier", "Publishing", "prepare"]


def _roster(work: WorkState) -> list[tuple[int, str]]:
    """(position, name) of the co-authors the engine may weigh, once per work: none for a team too large for
    co-authorship to mean anything (the engine ignores them), which keeps consortium papers linear."""
    if len(work.authorships) > MAX_COAUTHOR_TEAM:
        return []
    return [(p, a.name) for p, a in sorted(work.authorships.items())]
