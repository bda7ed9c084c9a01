"""Phases B and E: ids derive from the founding key (works) or the ORCID / earliest authorship (researchers); a
changed derivation renames, and the old id becomes a tombstone redirecting to the new one."""

from __future__ import annotations

from profiles.domain import researcher_id_for, work_id_for
from profiles.records import ResearcherState, WorkState, profile_block_keys
from profiles.service.incoming import Attribution, MergeRecord
from profiles.service.state import BatchState


def rename_works(b: BatchState) -> None:
    """Give every live work whose founding key changed the id it derives to."""
    # Identifiers and attributions by work, built on the first rename: a batch renames many works, and scanning
    # every identifier and attribution once per rename was quadratic.
    idents: dict[str, list[str]] | None = None
    attributions: dict[int, list[Attribution]] = {}
    for work in sorted(b.works.values(), key=lambda w: w.id):
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
        b.works[natural] = renamed
        b.work_moves[old] = natural
        if idents is None:
            idents = {}
            for ident, work_id in b.ident_map.items():
                idents.setdefault(work_id, []).append(ident)
            for attribution in b.attributions:
                attributions.setdefault(id(attribution.work), []).append(attribution)
        moved = idents.pop(old, [])
        for ident in moved:
            b.ident_map[ident] = b.ident_dirty[ident] = natural
        idents.setdefault(natural, []).extend(moved)
        named = attributions.pop(id(work), [])
        for attribution in named:
            attribution.work = renamed
        attributions.setdefault(id(renamed), []).extend(named)


def rename_researchers(b: BatchState) -> None:
    """Give every changed live researcher whose ORCID or origin changed the id it derives to."""
    for researcher in sorted(b.researchers.values(), key=lambda r: r.id):
        if researcher.merged_into is not None or not researcher.dirty:
            continue
        natural = researcher_id_for(researcher.orcid, researcher.origin)
        if natural == researcher.id:
            continue
        existing = b.researchers.get(natural)
        renamed = ResearcherState(
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
            b.orcids[researcher.orcid] = natural
        b.researchers[natural] = renamed
        researcher.merged_into, researcher.orcid = natural, None
        b.moves[researcher.id] = natural
        for key in profile_block_keys(renamed.profile):
            b.blocks.setdefault(key, set()).discard(researcher.id)
            b.blocks[key].add(natural)
        b.merges.append(MergeRecord(researcher.id, natural, "earlier_evidence", 1.0, ()))
