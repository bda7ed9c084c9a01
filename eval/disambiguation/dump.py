"""Wrong joins and merges (between different true persons) with their confidences and reasons, as JSON lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from profiles.disambiguation import Decision, Merge, Reason

Slot = tuple[str, int]


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [{"kind": r.kind, "detail": r.detail, "points": r.points} for r in reasons]


class Recorder:
    """Follows which labelled slots each researcher holds and writes every join or merge that puts slots of
    different true persons together (MEDLINE: a NO pair; DBLP: two of the five files)."""

    def __init__(
        self,
        out: IO[str],
        data: str,
        order: str,
        different: Callable[[Slot, Slot], bool],
        describe: Callable[[Slot], str],
    ) -> None:
        """Write to `out`; `different(a, b)` is True when the truth says a and b are different persons;
        `describe` names a labelled slot (None for slots without a label, which are not followed)."""
        self.out, self.data, self.order = out, data, order
        self.different, self.describe = different, describe
        self.members: dict[str, list[Slot]] = {}
        self.mixed: set[str] = set()  # researchers already holding different persons: later joins only follow
        self.wrong = 0

    def placed(self, slot: Slot, researcher: str, decision: Decision) -> None:
        """A slot was assigned (joined, or founded a researcher)."""
        if not self.describe(slot):
            return
        held = self.members.setdefault(researcher, [])
        conflicts = [other for other in held if self.different(slot, other)]
        if conflicts and decision.researcher_id is not None:
            pairs = [[self.describe(slot), self.describe(c)] for c in conflicts]
            self._write("join", researcher, decision.confidence, decision.reasons, pairs, researcher in self.mixed)
            self.mixed.add(researcher)
        held.append(slot)

    def merged(self, merge: Merge, resolve: Callable[[str], str]) -> None:
        """Two researchers were merged."""
        survivor = resolve(merge.survivor_id)
        kept = self.members.setdefault(survivor, [])
        lost = self.members.pop(merge.loser_id, [])
        conflicts = [[self.describe(a), self.describe(b)] for a in kept for b in lost if self.different(a, b)]
        if conflicts:
            mixed = survivor in self.mixed or merge.loser_id in self.mixed
            what = f"{merge.loser_id} into {survivor}"
            self._write("merge", what, merge.confidence, merge.reasons, conflicts, mixed)
            self.mixed.add(survivor)
        kept += lost

    def _write(
        self, event: str, what: str, confidence: float, reasons: tuple[Reason, ...], pairs: list[Any], mixed: bool
    ) -> None:
        """One wrong decision; `already_mixed`: the researcher held different persons before (a consequence)."""
        self.wrong += 1
        row = {"data": self.data, "order": self.order, "event": event, "researcher": what, "confidence": confidence}
        row["already_mixed"] = mixed
        row |= {"reasons": _reasons(reasons), "wrong_pairs": pairs[:10], "wrong_pair_count": len(pairs)}
        self.out.write(json.dumps(row) + "\n")


def open_dump(path: str | None) -> IO[str] | None:
    """The dump file, truncated, or None without a path."""
    return Path(path).open("w", encoding="utf-8") if path else None
