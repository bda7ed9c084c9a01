"""The use case: apply a batch of paper.seen events to canonical works and researchers, in one transaction.

Phases (all in memory after one batched load, then one batched write):

A. works (`works`): each sighting lands on a canonical work (identifiers first, then title + year + authors); a
   sighting whose identifiers name two works merges them; fields follow the precedence rules; author slots align.
B. ids (`renames`): a work's id derives from its founding key (earliest sighting), so a changed founder renames
   the work (the old id becomes a tombstone redirecting to the new one).
C. researchers (`researchers`): each new author slot is placed by the engine (ORCID hard link, else block-key
   candidates).
D. the merge pass over every block the batch founded a researcher in (`researchers`).
E. researcher ids derive from the ORCID or the earliest authorship; a changed derivation renames (`renames`).
F. one write per table, and the events (work.attributed, researcher.updated, .merged, .split) into the outbox
   (`writes`).

Concurrency: before reading, the batch takes advisory locks on every identifier, title fingerprint, name block
key and ORCID it touches (sorted, in one statement), so two replicas never create one work or researcher twice.
"""

from __future__ import annotations

from profiles.service.applier import BatchApplier
from profiles.service.incoming import Publishing, prepare, utcnow

__all__ = ["BatchApplier", "Publishing", "prepare", "utcnow"]
