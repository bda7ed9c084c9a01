"""DBLP XML (dblp.xml and its excerpts) to sightings, streamed record by record without the DTD."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from html.entities import name2codepoint
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from ingest.adapters.base import Parsed
from ingest.adapters.dblp_bibtex import arxiv_in, dblp_date, dblp_kind, links
from ingest.adapters.text import (
    author_fields,
    person_number,
    record_sighting_id,
    seen_moment,
    settle,
    tidy,
)
from ingest.adapters.xml import end_events, forget, unreadable

RECORDS = frozenset(
    {"article", "inproceedings", "proceedings", "book", "incollection", "phdthesis", "mastersthesis", "data"}
)
PERSON_RECORD = "www"
CHUNK = 1 << 16
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_REFERENCE = re.compile(rb"&(?:(#[0-9]+|#x[0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]{0,31}));|&")
_ARXIV_VOLUME = re.compile(r"^abs/(.+)$")


class DblpXmlAdapter:
    """DBLP XML records; person pages (<www>) are skipped, HTML entities resolved without reading dblp.dtd."""

    name = "dblp-xml"
    default_source = "dblp"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per publication record, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        count = 0
        try:
            for _, element in end_events(_EntityReader(stream)):
                parent = element.getparent()
                if parent is None or parent.getparent() is not None:
                    continue
                if element.tag != PERSON_RECORD:
                    count += 1
                    yield _parsed(count, element, source, seen_at)
                forget(element)
        except etree.XMLSyntaxError as exc:
            yield unreadable(exc)


def _parsed(count: int, record: Any, source: str, seen_at: str) -> Parsed:
    key = record.get("key")
    where = f"{key}, line {record.sourceline}" if key else f"line {record.sourceline}"
    position = f"record {count} ({where})"
    raw = etree.tostring(record, encoding="unicode")
    if record.tag not in RECORDS:
        return Parsed.bad(position, f"unknown DBLP record type <{record.tag}>", raw)
    return settle(position, raw, partial(_sighting, record, key, raw, source, seen_at))


def _sighting(record: Any, key: str | None, raw: str, source: str, seen_at: str) -> dict[str, Any]:
    doi, html, arxiv = links([url for url in (_text(e) for e in record.iterfind("ee")) if url])
    people = record.findall("author") or record.findall("editor")
    edited = record.find("author") is None
    authors = [a for a in (_person(p, edited) for p in people) if a]
    return {
        "sighting_id": record_sighting_id("dblp", key, record.get("mdate"), raw),
        "source": source,
        "source_url": f"https://dblp.org/rec/{key}" if key else html or "https://dblp.org/",
        "seen_at": seen_at,
        "paper": {
            "title": _title(record.find("title")),
            "abstract": None,
            "kind": dblp_kind(record.tag, key or "", "informal" in (record.get("publtype") or "")),
            "published": dblp_date(_text(record.find("year"))),
            "venue": next((v for v in (_text(record.find(f)) for f in ("journal", "booktitle", "school")) if v), None),
            "identifiers": {"doi": doi, "arxiv": arxiv or _corr_arxiv(record), "dblp": key},
            **author_fields(authors, len(people)),
            "keywords": [],
            "urls": {"html": html} if html else {},
            "comments": None,
        },
    }


def _person(element: Any, edited: bool) -> dict[str, Any] | None:
    """An author slot; the editors of an edited volume say so (they did not write it)."""
    name = person_number(_text(element) or "")[0]
    if not name:
        return None
    person = {"name": name, "orcid": element.get("orcid")}
    return {**person, "role": "editor"} if edited else person


def _title(element: Any) -> str | None:
    title = _text(element)
    # DBLP ends every title with a period of its own; the BibTeX export and other sources do not.
    return title[:-1] if title and title.endswith(".") and not title.endswith("..") else title


def _corr_arxiv(record: Any) -> str | None:
    """CoRR records name their arXiv id in the volume: <volume>abs/2203.06321</volume>."""
    volume = _text(record.find("volume")) or ""
    match = _ARXIV_VOLUME.match(volume)
    return arxiv_in(match.group(1)) if match and _text(record.find("journal")) == "CoRR" else None


def _text(element: Any) -> str | None:
    """An element's words, inline markup (<i>, <sub>, <sup>, <tt>) dropped."""
    if element is None:
        return None
    return tidy("".join(element.itertext())) or None


class _EntityReader:
    """Reads a binary stream, rewriting HTML named entities to numeric references chunk by chunk.

    dblp.xml uses the entities its DTD declares (&uuml;, &eacute; ...); lxml must not fetch that DTD, and
    without it they would be lost. Unknown names and a bare '&' are escaped so they survive as text.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._carry = b""

    def read(self, size: int = -1) -> bytes:
        while True:
            data = self._stream.read(size if size and size > 0 else CHUNK)
            if not data:
                rest, self._carry = self._carry, b""
                return _REFERENCE.sub(_reference, rest)
            data = self._carry + data
            cut = data.rfind(b"&")
            # An entity may be split across reads: hold back a trailing '&name' that has no ';' yet.
            if cut >= 0 and len(data) - cut <= 40 and b";" not in data[cut:]:
                data, self._carry = data[:cut], data[cut:]
            else:
                self._carry = b""
            if data:
                return _REFERENCE.sub(_reference, data)


def _reference(match: re.Match[bytes]) -> bytes:
    numeric, name = match.groups()
    if numeric or name in _XML_ENTITIES:
        return match.group(0)
    codepoint = name2codepoint.get(name.decode()) if name else None
    if codepoint is not None:
        return b"&#%d;" % codepoint
    return b"&amp;" + match.group(0)[1:]


ADAPTER = DblpXmlAdapter()
