"""Resume state: how many records of an input were acknowledged, so an interrupted import skips them."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputIdentity:
    """What makes an input the same input next time: its path, size and modification time."""

    path: str
    size: int
    mtime_ns: int
    format: str
    source: str

    @classmethod
    def of(cls, path: Path, fmt: str, source: str) -> InputIdentity:
        """The identity of a file as it is now."""
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns, fmt, source)

    def digest(self) -> str:
        """A short file name for this input's checkpoint."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:24]


@dataclass
class Checkpoint:
    """Records [0, done) of the input were posted and acknowledged (accepted, duplicate or rejected)."""

    identity: InputIdentity
    done: int = 0

    def save(self, directory: Path) -> None:
        """Write atomically, so a crash mid-write never leaves a torn checkpoint."""
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{self.identity.digest()}.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"identity": asdict(self.identity), "done": self.done}))
        os.replace(temporary, target)

    def clear(self, directory: Path) -> None:
        """Forget the input once it was imported completely."""
        (directory / f"{self.identity.digest()}.json").unlink(missing_ok=True)


def load(directory: Path, identity: InputIdentity) -> Checkpoint:
    """The saved checkpoint of this exact input, or a fresh one (a changed file starts over)."""
    target = directory / f"{identity.digest()}.json"
    try:
        saved = json.loads(target.read_text())
    except (OSError, ValueError):
        return Checkpoint(identity)
    if saved.get("identity") != asdict(identity) or not isinstance(saved.get("done"), int):
        return Checkpoint(identity)
    return Checkpoint(identity, saved["done"])
