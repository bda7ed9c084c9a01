"""arXiv OAI-PMH ListRecords responses (metadataPrefix=arXivRaw) to sightings, record by record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from ingest.adapters.arxiv_snapshot import arxiv_sighting, rfc2822_date, split_authors, version_number
from ingest.adapters.base import Parsed
from ingest.adapters.text import seen_moment, settle

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = "{http://arxiv.org/OAI/arXivRaw/}"
_CHUNK = 1 << 16
_MAX_RECORD = 8 << 20
_HEAD_LIMIT = 1 << 20
_STRADDLE = 256
_DECLARATION = re.compile(rb"^\s*(<\?xml[^>]*\?>)")
_NAMESPACE = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*("[^"]*"|'[^']*')""")
_LINE = re.compile(r"\bline (\d+)")
_OAI_ID = re.compile(rb"<(?:[\w.-]+:)?identifier>\s*(?:oai:arXiv\.org:)?([^<\s]+)\s*<")


@dataclass(frozen=True)
class XmlRecord:
    """One record element parsed on its own, or why it could not be."""

    number: int
    element: Any
    error: str | None
    raw: str
    hint: str | None


class XmlRecords:
    """The <name> elements of an XML stream, each parsed separately in constant memory.

    Why not iterparse: libxml2 cannot resume after a malformed record, and with recover=True it nests the
    following records inside the broken one. Records of OAI-PMH and Atom never nest, so their start and end
    tags delimit them, and one bad record costs only itself.
    """

    def __init__(self, stream: IO[bytes], name: str, hint: re.Pattern[bytes]) -> None:
        self.head = b""
        self._stream = stream
        self._start = re.compile(rb"<(?:[\w.-]+:)?" + name.encode() + rb"[\s>]")
        self._end = re.compile(rb"</(?:[\w.-]+:)?" + name.encode() + rb"\s*>")
        self._hint = hint
        self._name = name
        self._line = 1
        self.count = 0
        self._opening: bytes | None = None
        self._parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

    def __iter__(self) -> Iterator[XmlRecord]:
        buffer = b""
        at_eof = False
        while True:
            start = self._start.search(buffer)
            if start is None:
                if at_eof:
                    self._outside(buffer)
                    return
                cut = max(0, len(buffer) - _STRADDLE)  # a start tag may straddle two reads
                self._outside(buffer[:cut])
                buffer, at_eof = self._more(buffer[cut:])
                continue
            self._outside(buffer[: start.start()])
            buffer = buffer[start.start() :]
            record, buffer, at_eof = self._take(buffer, at_eof)
            if record is not None:
                yield record

    def _take(self, buffer: bytes, at_eof: bool) -> tuple[XmlRecord | None, bytes, bool]:
        """The record at the start of the buffer, if it is complete or known to be broken."""
        end = self._end.search(buffer)
        following = self._start.search(buffer, 1)
        if end and (following is None or end.end() <= following.start()):
            return self._parse(buffer[: end.end()]), buffer[end.end() :], at_eof
        if following:
            return (
                self._broken(buffer[: following.start()], "no closing tag before the next record"),
                buffer[following.start() :],
                at_eof,
            )
        if at_eof:
            return self._broken(buffer, "the file ends inside it"), b"", at_eof
        if len(buffer) > _MAX_RECORD:
            # Skip it: whatever follows before the next start tag is treated as text between records.
            return self._broken(buffer, f"longer than {_MAX_RECORD >> 20} MiB"), buffer[-_STRADDLE:], at_eof
        more, at_eof = self._more(buffer)
        return None, more, at_eof

    def _more(self, buffer: bytes) -> tuple[bytes, bool]:
        data = self._stream.read(_CHUNK)
        return buffer + data, not data

    def _outside(self, text: bytes) -> None:
        """Bytes between records: the head (root element, namespaces, OAI errors) is kept, the rest counted."""
        if not self.count and len(self.head) < _HEAD_LIMIT:
            self.head += text[: _HEAD_LIMIT - len(self.head)]
        self._line += text.count(b"\n")

    def _parse(self, chunk: bytes) -> XmlRecord:
        first_line = self._line
        self.count += 1
        self._line += chunk.count(b"\n")
        try:
            element = etree.fromstring(self._wrapper() + chunk + b"</w>", self._parser)[0]
        except etree.XMLSyntaxError as exc:
            # libxml2 numbers lines within the record; say where they are in the file.
            message = _LINE.sub(lambda m: f"line {first_line + int(m.group(1)) - 1}", str(exc.msg))
            return XmlRecord(self.count, None, f"malformed XML: {message}", self._text(chunk), self._hinted(chunk))
        return XmlRecord(self.count, element, None, self._text(chunk), self._hinted(chunk))

    def _wrapper(self) -> bytes:
        """The document's XML declaration and a root declaring its namespaces, for parsing a record alone."""
        if self._opening is None:
            declaration = _DECLARATION.match(self.head)
            namespaces: dict[bytes, bytes] = {}
            for prefix, uri in _NAMESPACE.findall(self.head):
                namespaces.setdefault(prefix, uri)
            attributes = b"".join(b" xmlns" + (b":" + p if p else b"") + b"=" + u for p, u in namespaces.items())
            self._opening = (declaration.group(1) if declaration else b"") + b"<w" + attributes + b">"
        return self._opening

    def _broken(self, chunk: bytes, why: str) -> XmlRecord:
        line = self._line
        self.count += 1
        self._line += chunk.count(b"\n")
        reason = f"malformed XML: <{self._name}> starting at line {line} is not closed ({why})"
        return XmlRecord(self.count, None, reason, self._text(chunk), self._hinted(chunk))

    def _hinted(self, chunk: bytes) -> str | None:
        match = self._hint.search(chunk)
        return match.group(1).decode("utf-8", "replace") if match else None

    @staticmethod
    def _text(chunk: bytes) -> str:
        return chunk.decode("utf-8", "replace")


def position(record: XmlRecord) -> str:
    """'record 3 (id 0704.0001)'."""
    return f"record {record.number} (id {record.hint})" if record.hint else f"record {record.number}"


class ArxivOaiAdapter:
    """OAI-PMH ListRecords pages from export.arxiv.org/oai2 with metadataPrefix=arXivRaw."""

    name = "arxiv-oai"
    default_source = "arxiv"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per <record>, then one for an OAI-PMH error response (other than an empty list)."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        records = XmlRecords(stream, "record", _OAI_ID)
        for record in records:
            yield _record(record, source, seen_at)
        if not records.count:
            yield from _oai_error(records.head)


def _record(record: XmlRecord, source: str, seen_at: str) -> Parsed:
    where = position(record)
    if record.error is not None:
        return Parsed.bad(where, record.error, record.raw)
    header = record.element.find(f"{OAI}header")
    if header is not None and header.get("status") == "deleted":
        return Parsed.bad(where, 'record deleted at the source (OAI-PMH header status="deleted")', record.raw)
    raw = record.element.find(f"{OAI}metadata/{RAW}arXivRaw")
    if raw is None:
        return Parsed.bad(where, "record has no arXivRaw metadata (harvest with metadataPrefix=arXivRaw)", record.raw)
    return settle(where, record.raw, lambda: _sighting(raw, header, source, seen_at))


def _sighting(raw: Any, header: Any, source: str, seen_at: str) -> dict[str, Any]:
    arxiv_id = _field(raw, "id")
    if not arxiv_id:
        raise ValueError("record has no arXiv id")
    versions = sorted(
        (number, rfc2822_date(version.findtext(f"{RAW}date")))
        for version in raw.findall(f"{RAW}version")
        if (number := version_number(version.get("version"))) is not None
    )
    categories = _field(raw, "categories")
    return arxiv_sighting(
        arxiv_id=arxiv_id,
        version=versions[-1][0] if versions else None,
        record_date=_text(header, f"{OAI}datestamp"),
        source=source,
        seen_at=seen_at,
        title=_field(raw, "title"),
        abstract=_field(raw, "abstract"),
        authors=split_authors(_field(raw, "authors") or ""),
        published=versions[0][1] if versions else None,
        journal_ref=_field(raw, "journal-ref"),
        doi=_field(raw, "doi"),
        comments=_field(raw, "comments"),
        categories=categories.split() if categories else [],
    )


def _field(raw: Any, name: str) -> str | None:
    return _text(raw, f"{RAW}{name}")


def _text(element: Any, path: str) -> str | None:
    text = element.findtext(path) if element is not None else None
    return text if isinstance(text, str) and text.strip() else None


def _oai_error(head: bytes) -> Iterator[Parsed]:
    """An OAI-PMH error response (badArgument, badResumptionToken, ...); noRecordsMatch is an empty page."""
    raw = head.decode("utf-8", "replace")
    for code, message in re.findall(r"<(?:[\w.-]+:)?error\s+code=[\"']([^\"']+)[\"'][^>]*>([^<]*)<", raw):
        if code != "noRecordsMatch":
            yield Parsed.bad("response", f"OAI-PMH error {code}: {message.strip()}", raw)


ADAPTER = ArxivOaiAdapter()
