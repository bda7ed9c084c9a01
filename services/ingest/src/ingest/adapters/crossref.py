"""Crossref REST API works (one work, a work list, bare works or JSON lines) to sightings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

import ijson  # type: ignore[import-untyped, unused-ignore]
import orjson

from ingest.adapters.base import Parsed
from ingest.adapters.text import (
    author_fields,
    clean_url,
    markup_paragraphs,
    partial_date,
    record_sighting_id,
    seen_moment,
    settle,
    strip_markup,
    tidy,
)

HEAD_LIMIT = 1 << 20
KINDS = {
    "journal-article": "article",
    "proceedings-article": "proceedings",
    "proceedings": "proceedings",
    "posted-content": "preprint",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "dissertation": "thesis",
    "dataset": "dataset",
    "database": "dataset",
}
DATE_FIELDS = ("issued", "published", "published-print", "published-online")
# Where works sit inside a top-level object (an API work list) or array; they are streamed one by one.
ITEM_PREFIX = {"start_map": "message.items.item", "start_array": "item"}


class CrossrefAdapter:
    """Crossref works as the REST API serves them, streamed so a large work list never loads whole."""

    name = "crossref"
    default_source = "crossref"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per work, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        head = stream.readline(HEAD_LIMIT)
        while head and not head.strip():
            head = stream.readline(HEAD_LIMIT)
        if not head:
            return
        if _is_json_line(head):
            yield from _lines(head, stream, source, seen_at)
        else:
            yield from _document(_Replay(head, stream), source, seen_at)


def _is_json_line(head: bytes) -> bool:
    """A first line that is a whole JSON object means JSON lines; a pretty-printed document starts with '{' alone."""
    text = head.strip()
    if len(text) < 2 or not text.startswith(b"{"):
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return text.endswith(b"}")
    return True


def _lines(head: bytes, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
    """JSON lines: each line on its own, so one broken line costs only itself."""
    for number, line in enumerate(_chain(head, stream), start=1):
        if not line.strip():
            continue
        raw = line.decode("utf-8", errors="replace").strip()
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Parsed.bad(f"line {number}", f"invalid JSON: {exc}", raw)
            continue
        works, problem = _works(value)
        if problem:
            yield Parsed.bad(f"line {number}", problem, raw)
        for index, work in enumerate(works, start=1):
            where = f"line {number}" if len(works) == 1 else f"line {number} item {index}"
            yield _parsed(where, work, source, seen_at)


def _chain(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    yield head
    yield from stream


def _document(stream: _Replay, source: str, seen_at: str) -> Iterator[Parsed]:
    """A JSON document (or several concatenated), items of work lists streamed as they complete."""
    count = 0
    try:
        for kind, value in _values(stream):
            works, problem = _item(value) if kind == "item" else _works(value)
            if problem:
                count += 1
                yield Parsed.bad(f"record {count}", problem, _dump(value))
            for work in works:
                count += 1
                yield _parsed(f"record {count}", work, source, seen_at)
    except ijson.JSONError as exc:
        reason = " ".join(str(exc).split()[:12])
        yield Parsed.bad(f"record {count + 1}", f"invalid JSON, the rest of the file is unreadable: {reason}", "")


def _values(stream: _Replay) -> Iterator[tuple[str, Any]]:
    """('item', work) for each streamed list item, ('top', value) for each top-level value minus its items."""
    top: Any = None
    item: Any = None
    items_at: str | None = None
    depth = 0
    for prefix, event, value in ijson.parse(stream, multiple_values=True, use_float=True):
        if prefix == "" and item is None and event != "map_key" and not event.startswith("end_"):
            items_at = ITEM_PREFIX.get(event)
        if item is not None or prefix == items_at:
            item = item if item is not None else ijson.ObjectBuilder()
            item.event(event, value)
            depth += 1 if event in ("start_map", "start_array") else -1 if event in ("end_map", "end_array") else 0
            if depth == 0:
                yield "item", item.value
                item = None
            continue
        top = top if top is not None else ijson.ObjectBuilder()
        top.event(event, value)
        if prefix == "" and event not in ("start_map", "start_array", "map_key"):
            yield "top", top.value
            top = None


def _item(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    if isinstance(value, dict):
        return [value], None
    return [], f"not a Crossref work: JSON {_dump(value)[:100]}"


def _works(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The works a top-level value holds (items already streamed are gone from it), or why it holds none."""
    if isinstance(value, list):
        return [], None
    if not isinstance(value, dict) or "message" not in value:
        return _item(value)
    status, kind, message = value.get("status", "ok"), value.get("message-type"), value["message"]
    if status != "ok":
        return [], f"Crossref answered status {status!r}: {_dump(message)[:500]}"
    if kind == "work-list" or (isinstance(message, dict) and "items" in message):
        items = message.get("items") if isinstance(message, dict) else None
        return [i for i in items or [] if isinstance(i, dict)], None
    if kind not in (None, "work") or not isinstance(message, dict):
        return [], f"not a Crossref work: message-type {kind!r}"
    return [message], None


def _parsed(where: str, work: dict[str, Any], source: str, seen_at: str) -> Parsed:
    doi = _string(work.get("DOI"))
    position = f"{where} ({doi})" if doi else where
    raw = _dump(work)
    return settle(position, raw, lambda: _sighting(work, doi, raw, source, seen_at))


def _sighting(work: dict[str, Any], doi: str | None, raw: str, source: str, seen_at: str) -> dict[str, Any]:
    listed = work.get("author")
    slots = listed if isinstance(listed, list) else []
    authors = [a for a in (_author(s) for s in slots) if a]
    html_url = clean_url(_nested(work, "resource", "primary", "URL")) or clean_url(work.get("URL"))
    return {
        "sighting_id": record_sighting_id("crossref", doi.lower() if doi else None, _version(work), raw),
        "source": source,
        "source_url": f"https://api.crossref.org/works/{quote(doi, safe='/:;()')}" if doi else _fallback_url(work),
        "seen_at": seen_at,
        "paper": {
            "title": _title(work),
            "abstract": markup_paragraphs(a) if (a := _string(work.get("abstract"))) else None,
            "kind": KINDS.get(kind, "other") if (kind := _string(work.get("type"))) else None,
            "published": _published(work),
            "venue": _venue(work),
            "identifiers": {"doi": doi},
            **author_fields(authors, len(slots)),
            "keywords": [],
            "urls": {k: v for k, v in (("html", html_url), ("pdf", _pdf(work))) if v},
            "comments": None,
        },
    }


def _title(work: dict[str, Any]) -> str | None:
    title = _first(work.get("title"))
    subtitle = _first(work.get("subtitle"))
    title = strip_markup(title) if title else None
    subtitle = strip_markup(subtitle) if subtitle else None
    if title and subtitle and subtitle.casefold() not in title.casefold():
        return f"{title}{' ' if title[-1] in ':?!.' else ': '}{subtitle}"
    return title or subtitle


def _author(slot: Any) -> dict[str, Any] | None:
    if not isinstance(slot, dict):
        return None
    given, family, suffix = (_string(slot.get(k)) for k in ("given", "family", "suffix"))
    name = tidy(" ".join(p for p in (given, family, suffix) if p) or _string(slot.get("name")) or "")
    if not name:
        return None
    names = (_nested(a, "name") for a in _list(slot.get("affiliation")))
    affiliations = [tidy(n) for n in names if isinstance(n, str) and n.strip()]
    structured = {"family_name": tidy(family), "given_name": tidy(given) if given else None} if family else {}
    return {"name": name, **structured, "orcid": _string(slot.get("ORCID")), "affiliations": affiliations[:100]}


def _published(work: dict[str, Any]) -> str | None:
    for field in DATE_FIELDS:
        parts = _nested(work, field, "date-parts")
        first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
        numbers = list(_leading_numbers(first))
        if numbers and (date := partial_date(*numbers[:3])):
            return date
    return None


def _leading_numbers(parts: list[Any]) -> Iterator[int]:
    """Date parts up to the first missing one; Crossref writes an unknown date as [[null]]."""
    for part in parts:
        number = int(part) if isinstance(part, str) and part.isdigit() else part
        if not isinstance(number, int) or isinstance(number, bool):
            return
        yield number


def _venue(work: dict[str, Any]) -> str | None:
    container = _first(work.get("container-title")) or _string(work.get("group-title"))
    if container:
        return strip_markup(container)
    institution = _list(work.get("institution"))
    name = institution[0].get("name") if institution and isinstance(institution[0], dict) else None
    return tidy(name) if isinstance(name, str) else None


def _pdf(work: dict[str, Any]) -> str | None:
    links = [link for link in _list(work.get("link")) if isinstance(link, dict)]
    pdfs = [link for link in links if link.get("content-type") == "application/pdf"]
    # The version of record is what readers want; accepted manuscripts and text-mining copies come after.
    pdfs.sort(key=lambda link: link.get("content-version") != "vor")
    return next((url for link in pdfs if (url := clean_url(link.get("URL")))), None)


def _version(work: dict[str, Any]) -> str | None:
    for field in ("indexed", "deposited"):
        stamp = _string(_nested(work, field, "date-time"))
        if stamp:
            return stamp
    return None


def _fallback_url(work: dict[str, Any]) -> str:
    return clean_url(work.get("URL")) or "https://api.crossref.org/works"


def _nested(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v.strip()), None)
    return _string(value)


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dump(value: Any) -> str:
    return orjson.dumps(value, default=str).decode()


class _Replay:
    """A binary reader that gives back the already-read first line before the rest of the stream."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            cut = len(self._head) if size < 0 else size
            head, self._head = self._head[:cut], self._head[cut:]
            return head
        return self._stream.read(size)


ADAPTER = CrossrefAdapter()
