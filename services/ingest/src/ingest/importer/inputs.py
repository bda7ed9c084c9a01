"""Inputs of an import: plain files, gzip files, tar archives (every member, in order) and stdin, as records."""

from __future__ import annotations

import dataclasses
import gzip
import io
import tarfile
from collections.abc import Iterator
from typing import IO, Any, cast

from ingest.adapters.base import Adapter, Parsed

ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


class CountingReader(io.RawIOBase):
    """A raw stream over another that counts the bytes taken from it (progress against the file size)."""

    def __init__(self, inner: IO[bytes]) -> None:
        """Wrap a binary stream."""
        super().__init__()
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        """Always: this is a reader."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill the buffer from the inner stream, counting."""
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def records(path: str, raw: io.RawIOBase, adapter: Adapter, source: str, seen_at: str) -> Iterator[Parsed]:
    """The adapter's records of one input, decompressing and unpacking archives as a stream (constant memory)."""
    buffered = cast(IO[bytes], io.BufferedReader(raw, 1 << 16))
    if path.endswith(ARCHIVE_SUFFIXES):
        yield from _archive(buffered, adapter, source, seen_at)
    elif path.endswith(".gz"):
        yield from adapter.parse(cast(IO[bytes], gzip.GzipFile(fileobj=buffered)), source, seen_at)
    else:
        yield from adapter.parse(buffered, source, seen_at)


def _archive(stream: IO[bytes], adapter: Adapter, source: str, seen_at: str) -> Iterator[Parsed]:
    with tarfile.open(fileobj=stream, mode="r|*") as archive:
        for member in archive:
            if not member.isfile():
                continue
            extracted = archive.extractfile(member)
            if extracted is None:
                continue
            for parsed in adapter.parse(extracted, source, seen_at):
                yield dataclasses.replace(parsed, position=f"{member.name}: {parsed.position}")
