"""Phase F: one write per table, and the batch's events (work.attributed, researcher.updated/merged/split)."""

from __future__ import annotations

from contracts import RESEARCHER_CHANGES, WORK_ATTRIBUTED
from profiles.db.repository import ProfilesRepository
from profiles.domain import display_name
from profiles.events import attributed_author, envelope, event_id, merge_data, message, split_data
from profiles.records import ResearcherState
from profiles.service.incoming import Attribution, Publishing
from profiles.service.state import BatchState
from servicekit.outbox import OutboxMessage, OutboxRepository


async def write(b: BatchState, repo: ProfilesRepository, outbox: OutboxRepository, publishing: Publishing) -> None:
    """Write every changed work, identifier, researcher and count, then queue the events in the outbox."""
    for work in b.works.values():
        for slot in work.authorships.values():
            slot.researcher_id = b.researcher(slot.researcher_id).id
    dirty_works = [w for w in b.works.values() if w.dirty and not (w.is_new and w.merged_into)]
    await repo.save_works(dirty_works, b.now)
    work_moves = {old: b.work(old).id for old in b.work_moves if not b.works[old].is_new}
    await repo.redirect_identifiers(work_moves)
    await repo.save_identifiers({i: b.work(w).id for i, w in b.ident_dirty.items()})
    dirty = [r for r in b.researchers.values() if r.dirty and not (r.is_new and r.merged_into)]
    await repo.save_researchers(dirty, b.now)
    moves = {old: b.researcher(old).id for old in b.moves if not b.researchers[old].is_new}
    moved_works = await repo.redirect_authorships(moves)
    await repo.add_corpus_counts(b.stats.added)
    await outbox.add_many(events(b, publishing, moved_works))


def events(b: BatchState, publishing: Publishing, moved_works: dict[str, list[str]]) -> list[OutboxMessage]:
    """work.attributed per event, researcher.merged per retired stored researcher, researcher.updated per change."""
    messages = [_attributed(b, publishing, attribution) for attribution in b.attributions]
    producer, prefix = publishing.producer, publishing.topic_prefix
    for merge in b.merges:
        if b.researchers[merge.loser].is_new:
            continue
        survivor = b.researcher(merge.target).id
        moved = moved_works.get(merge.loser, [])
        data = merge_data(
            merge.loser, survivor, merge.rule, confidence=merge.confidence, reasons=merge.reasons, moved=moved
        )
        identity = event_id("researcher.merged", merge.loser, survivor)
        event = envelope("researcher.merged", identity, data, occurred_at=b.now, ingested_at=b.now, producer=producer)
        messages.append(message(RESEARCHER_CHANGES, prefix, merge.loser, event))
    messages.extend(_split_events(b, publishing))
    for researcher in sorted(b.researchers.values(), key=lambda r: r.id):
        if not researcher.dirty or researcher.merged_into is not None:
            continue
        added = sorted({b.work(w).id for w in researcher.added_work_ids if w in b.works})
        state = {
            "researcher_id": researcher.id,
            "display_name": _display(researcher),
            "name_variants": sorted(researcher.names, key=lambda n: (-researcher.names[n], n))[:50],
            "orcid": researcher.orcid,
            "works_count": max(0, researcher.works_count),
            "added_work_ids": added,
        }
        basis = f"{researcher.id}:{researcher.works_count}:{','.join(added)}:{b.now.isoformat()}"
        identity = event_id("researcher.updated", basis)
        event = envelope("researcher.updated", identity, state, occurred_at=b.now, ingested_at=b.now, producer=producer)
        messages.append(message(RESEARCHER_CHANGES, prefix, researcher.id, event))
    return messages


def _split_events(b: BatchState, publishing: Publishing) -> list[OutboxMessage]:
    """One researcher.split per researcher that had works split off (unless nobody had seen it yet)."""
    parts: dict[str, dict[str, set[str]]] = {}
    details: dict[str, list[str]] = {}
    for split in b.splits:
        if b.researchers[split.researcher].is_new:
            continue
        split_from = b.researcher(split.researcher).id
        parts.setdefault(split_from, {}).setdefault(b.researcher(split.part).id, set()).add(b.work(split.work).id)
        details.setdefault(split_from, []).append(split.detail)
    messages = []
    for researcher_id, taken in sorted(parts.items()):
        basis = ",".join(f"{part}:{'+'.join(sorted(works))}" for part, works in sorted(taken.items()))
        event = envelope(
            "researcher.split",
            event_id("researcher.split", researcher_id, basis),
            split_data(researcher_id, taken, details[researcher_id]),
            occurred_at=b.now,
            ingested_at=b.now,
            producer=publishing.producer,
        )
        messages.append(message(RESEARCHER_CHANGES, publishing.topic_prefix, researcher_id, event))
    return messages


def _attributed(b: BatchState, publishing: Publishing, attribution: Attribution) -> OutboxMessage:
    work = b.work(attribution.work.id)
    incoming = attribution.incoming
    s = incoming.sighting
    fields = work.fields
    authors = [
        attributed_author(
            position,
            slot.name,
            slot.researcher_id,
            new=(slot.work_id == work.id and position in attribution.created and slot.assigned_at == b.now)
            or (work.id, position) in b.reassigned,
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
        occurred_at=b.now,
        ingested_at=incoming.event.ingested_at,
        producer=publishing.producer,
    )
    return message(WORK_ATTRIBUTED, publishing.topic_prefix, work.id, event)


def _display(researcher: ResearcherState) -> str:
    return display_name(researcher.names)[:500] if researcher.names else "(unknown)"
