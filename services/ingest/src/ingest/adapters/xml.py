"""Streaming lxml shared by the XML adapters: safe end events, freeing what was read, an unreadable rest."""

from __future__ import annotations

from typing import Any, Protocol

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from ingest.adapters.base import Parsed


class Readable(Protocol):
    """What lxml reads from: a binary stream, or a reader that rewrites one on the way."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to size bytes; b"" at the end."""
        ...


def end_events(stream: Readable, tag: tuple[str, ...] | None = None) -> Any:
    """lxml's iterparse of end events (of the tags, when given); entities unresolved, no network, no DTD."""
    return etree.iterparse(
        stream,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )


def forget(element: Any) -> None:
    """Free what has been read: the record's content and the records before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def unreadable(error: etree.XMLSyntaxError) -> Parsed:
    """The last outcome of a stream lxml cannot read on: libxml2 does not resume after a syntax error."""
    return Parsed.bad(f"line {error.lineno or 1}", f"not well-formed XML, the rest is unreadable: {error.msg}", "")
