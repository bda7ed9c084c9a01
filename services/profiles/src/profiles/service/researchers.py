"""Phases C and D: each new author slot is placed by the engine (ORCID hard link, else block-key candidates), then
the merge pass over the blocks where the batch founded a researcher."""

from __future__ import annotations

from profiles.disambiguation import Decision, Mention, Profile, Reason, assign, find_merges
from profiles.disambiguation.features import MAX_COAUTHOR_TEAM
from profiles.domain import researcher_id_for
from profiles.names import block_keys, parse_name
from profiles.records import AuthorshipState, ResearcherState, WorkState, profile_block_keys
from profiles.service.incoming import MergeRecord, SplitRecord
from profiles.service.state import BatchState


def mentions(b: BatchState) -> list[tuple[WorkState, AuthorshipState, Mention]]:
    """The mentions of the batch's new author slots still standing, in origin order."""
    found = []
    rosters: dict[str, list[tuple[int, str]]] = {}
    for _, slot, item in b.pending:
        work = b.work(slot.work_id)
        if work.authorships.get(slot.position) is not slot:
            continue
        roster = rosters.get(work.id)
        if roster is None:
            roster = rosters[work.id] = _roster(work)
        found.append((work, slot, _mention(work, slot, item.sighting.source, roster)))
    found.sort(key=lambda m: (m[1].origin, m[0].id))
    return found


def _roster(work: WorkState) -> list[tuple[int, str]]:
    """(position, name) of the co-authors the engine may weigh, once per work: none for a team too large for
    co-authorship to mean anything (the engine ignores them), which keeps consortium papers linear."""
    if len(work.authorships) > MAX_COAUTHOR_TEAM:
        return []
    return [(p, a.name) for p, a in sorted(work.authorships.items())]


def _mention(work: WorkState, slot: AuthorshipState, source: str, roster: list[tuple[int, str]]) -> Mention:
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


def apply_orcid_updates(b: BatchState) -> None:
    """A slot that learned its ORCID: the ORCID's researcher takes it, or its researcher takes the ORCID; when its
    researcher holds another ORCID, the slot is split off to a researcher of its own (researcher.split)."""
    for slot in b.orcid_updates:
        orcid = slot.orcid
        assert orcid is not None
        current = b.researcher(slot.researcher_id)
        holder = b.orcids.get(orcid)
        if holder is None and current.orcid is None:
            current.orcid, current.dirty = orcid, True
            b.orcids[orcid] = current.id
        elif holder is not None and holder != current.id:
            _move_slot(b, slot, current, b.researcher(holder), f"ORCID {orcid} (learned later)")
            lose_work(b, current.id, holder)
        elif holder is None:
            target = _new_researcher(b, slot)
            detail = f"ORCID {orcid} (learned later), not the researcher's ORCID {current.orcid}"
            _move_slot(b, slot, current, target, detail)
            current.works_count -= 1
            b.splits.append(SplitRecord(current.id, target.id, slot.work_id, detail))


def _move_slot(
    b: BatchState, slot: AuthorshipState, current: ResearcherState, target: ResearcherState, detail: str
) -> None:
    """Give an assigned slot to another researcher, with its name and evidence (the ORCID decided)."""
    work = b.work(slot.work_id)
    target.profile.absorb(_mention(work, slot, next(iter(slot.sources), "unknown"), _roster(work)))
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
    b.reassigned.add((slot.work_id, slot.position))
    for key in profile_block_keys(target.profile):
        b.blocks.setdefault(key, set()).add(target.id)


def place(b: BatchState, work: WorkState, slot: AuthorshipState, mention: Mention) -> None:
    """Give one new author slot its researcher: the ORCID's holder, the engine's pick, or a new researcher."""
    parsed = parse_name(slot.name, slot.family_name, slot.given_name)
    keys = block_keys(parsed)
    holder = b.orcids.get(slot.orcid) if slot.orcid else None
    if holder is not None:
        decision = Decision(holder, 1.0, (Reason("orcid", f"ORCID {slot.orcid}", 1.0),))
    else:
        taken = {a.researcher_id for a in work.authorships.values() if a is not slot}
        ids = sorted({b.researcher(r).id for k in keys for r in b.blocks.get(k, ())} - taken)
        candidates = []
        for researcher_id in ids:
            candidate = b.researchers[researcher_id]
            if slot.orcid and candidate.orcid and candidate.orcid != slot.orcid:
                continue
            candidates.append((researcher_id, candidate.profile))
        decision = assign(mention, candidates, b.stats)
    if decision.researcher_id is None:
        researcher = _new_researcher(b, slot)
        b.founded_blocks.update(keys)
        reasons: tuple[Reason, ...] = decision.reasons or (Reason("new", "no candidate fits", 0.0),)
        confidence = decision.confidence
    else:
        researcher = b.researcher(decision.researcher_id)
        reasons, confidence = decision.reasons, decision.confidence
    researcher.profile.absorb(mention)
    researcher.names[slot.name] = researcher.names.get(slot.name, 0) + 1
    researcher.works_count += 1
    researcher.origin = min(researcher.origin, slot.origin)
    researcher.added_work_ids.append(work.id)
    researcher.dirty = True
    if slot.orcid and researcher.orcid is None and slot.orcid not in b.orcids:
        researcher.orcid = slot.orcid
        b.orcids[slot.orcid] = researcher.id
    slot.researcher_id, slot.confidence = researcher.id, float(confidence)
    slot.reasons = [{"kind": r.kind, "detail": r.detail, "points": r.points} for r in reasons]
    slot.assigned_at = b.now
    for key in profile_block_keys(researcher.profile):
        b.blocks.setdefault(key, set()).add(researcher.id)
        b.touched_blocks.add(key)


def _new_researcher(b: BatchState, slot: AuthorshipState) -> ResearcherState:
    orcid = slot.orcid if slot.orcid and slot.orcid not in b.orcids else None
    researcher_id = researcher_id_for(orcid, slot.origin)
    existing = b.researchers.get(researcher_id)
    if existing is not None and existing.merged_into is None:
        return existing
    researcher = ResearcherState(
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
    b.researchers[researcher_id] = researcher
    if orcid:
        b.orcids[orcid] = researcher_id
    return researcher


def merge_pass(b: BatchState) -> None:
    """find_merges over the blocks where this batch founded a researcher (where a split may have appeared)."""
    focus = {r.id for r in b.researchers.values() if r.dirty and r.merged_into is None}
    for key in sorted(b.founded_blocks & b.touched_blocks):
        ids = sorted({b.researcher(r).id for r in b.blocks.get(key, ())})
        if len(ids) < 2 or not focus.intersection(ids):
            continue
        candidates = [(r, b.researchers[r].profile) for r in ids]
        for merge in find_merges(candidates, b.stats, focus=focus & set(ids)):
            one, other = b.researcher(merge.survivor_id), b.researcher(merge.loser_id)
            if one.id == other.id or (one.orcid and other.orcid and one.orcid != other.orcid):
                continue
            keep, lose = sorted((one, other), key=lambda r: (r.origin, r.id))
            merge_researchers(b, lose, keep, "merge_pass", confidence=merge.confidence, reasons=merge.reasons)
            focus.add(keep.id)


def merge_researchers(
    b: BatchState,
    loser: ResearcherState,
    target: ResearcherState,
    rule: str,
    *,
    confidence: float = 1.0,
    reasons: tuple[Reason, ...] = (),
) -> None:
    """Retire `loser` into `target`: evidence, names, counts, ORCID and block index."""
    target.profile = target.profile.merged(loser.profile)
    for name, count in loser.names.items():
        target.names[name] = target.names.get(name, 0) + count
    target.works_count += max(0, loser.works_count)
    target.origin = min(target.origin, loser.origin)
    target.added_work_ids.extend(loser.added_work_ids)
    if loser.orcid:
        target.orcid = target.orcid or loser.orcid
        if target.orcid == loser.orcid:
            b.orcids[loser.orcid] = target.id
        elif b.orcids.get(loser.orcid) == loser.id:
            del b.orcids[loser.orcid]
    loser.orcid, loser.merged_into = None, target.id
    loser.dirty = target.dirty = True
    b.moves[loser.id] = target.id
    for key in profile_block_keys(loser.profile):
        b.blocks.get(key, set()).discard(loser.id)
    for key in profile_block_keys(target.profile):
        b.blocks.setdefault(key, set()).add(target.id)
    b.merges.append(MergeRecord(loser.id, target.id, rule, confidence, reasons))


def lose_work(b: BatchState, researcher_id: str, other_id: str) -> None:
    """A researcher loses one work to another; one left with none is merged into the other."""
    researcher = b.researcher(researcher_id)
    researcher.works_count -= 1
    researcher.dirty = True
    if researcher.works_count <= 0:
        other = b.researcher(other_id)
        if other.id != researcher.id:
            merge_researchers(b, researcher, other, "work_merge")
