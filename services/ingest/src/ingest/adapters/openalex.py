"""OpenAlex works (one work, an API page or JSON lines) to sightings, and the JSON framing other adapters reuse."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
import orjson

from ingest.adapters.base import Parsed
from ingest.adapters.text import clean_url, seen_moment, settle, tidy
from ingest.normalise import normalise_doi, normalise_openalex, normalise_pmid

_FIRST_LINE_LIMIT = 8 << 20
_BOM = b"\xef\xbb\xbf"
_OPENS_A_DOCUMENT = (b"{", b"[", b",", b":")
_PMID = re.compile(r"(\d+)/?$")
_WHERE = re.compile(r": line \d+ column \d+ \(char (\d+)\)")
_KEYWORDS = 5
KINDS = {
    "article": "article",
    "review": "article",
    "letter": "article",
    "editorial": "article",
    "preprint": "preprint",
    "posted-content": "preprint",
    "book": "book",
    "monograph": "book",
    "book-chapter": "chapter",
    "reference-entry": "chapter",
    "dissertation": "thesis",
    "dataset": "dataset",
    "proceedings": "proceedings",
    "proceedings-article": "proceedings",
}


@dataclass(frozen=True)
class JsonRecord:
    """One record of a JSON input: its value, or why it could not be read."""

    position: str
    value: Any
    error: str | None
    raw: str


def json_records(stream: IO[bytes], page_key: str | None) -> Iterator[JsonRecord]:
    """Records of JSON lines, a JSON array, one object, or API pages ({page_key: [...]}), in order.

    The start decides: '[' is one document; a first line that is a whole JSON object (or a broken one) means
    JSON lines, read line by line so a bad line costs only itself; anything else is one document. Documents
    are streamed with ijson, which cannot resume after a syntax error.
    """
    start = stream.read(3).removeprefix(_BOM)
    while not start.strip():
        more = stream.read(1)
        if not more:
            return
        start += more
    first_number = start[: len(start) - len(start.lstrip())].count(b"\n") + 1
    rest = _Prefixed(start.lstrip(), stream)
    if start.lstrip().startswith(b"["):
        yield from _document(rest, page_key)
        return
    first = rest.readline(_FIRST_LINE_LIMIT)
    if _is_json_line(first):
        yield from _lines(_chain(first, rest), first_number, page_key)
    else:
        yield from _document(_Prefixed(first, rest), page_key)


def json_lines(stream: IO[bytes]) -> Iterator[JsonRecord]:
    """Records of a JSON lines file, one per non-blank line, whatever each line holds."""
    return _lines(stream, 1, None, expand=False)


def _is_json_line(line: bytes) -> bool:
    text = line.strip()
    if not text.startswith(b"{") or (len(line) >= _FIRST_LINE_LIMIT and not line.endswith(b"\n")):
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        # A truncated record is still a line of JSON lines; a pretty-printed document's first line opens something.
        return not text.endswith(_OPENS_A_DOCUMENT)
    return True


def _chain(first: bytes, rest: _Prefixed) -> Iterator[bytes]:
    yield first
    while line := rest.readline():
        yield line


def _lines(
    lines: Iterable[bytes], first_number: int, page_key: str | None, expand: bool = True
) -> Iterator[JsonRecord]:
    for number, line in enumerate(lines, first_number):
        if not line or line.isspace():
            continue
        raw = line.decode("utf-8", "replace").strip()
        try:
            value = orjson.loads(line)  # JSON allows the line's end around a value: no copy to strip it
        except orjson.JSONDecodeError:
            try:
                # Stripped, a truncated record reads 'unexpected end of data' (not the newline as a bad character).
                value = orjson.loads(line.strip())
            except orjson.JSONDecodeError as exc:
                # orjson counts lines and columns inside the text it was given: only the character offset helps.
                where = _WHERE.sub(r" at character \1", str(exc))
                yield JsonRecord(f"line {number}", None, f"invalid JSON: {where}", raw)
                continue
        items = _page_items(value, page_key) if expand else None
        if items is None:
            yield JsonRecord(f"line {number}", value, None, raw)
        else:
            for index, item in enumerate(items, 1):
                yield JsonRecord(f"line {number} record {index}", item, None, _dump(item))


def _page_items(value: Any, page_key: str | None) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if page_key and isinstance(value, dict) and isinstance(value.get(page_key), list):
        return list(value[page_key])
    return None


def _document(stream: _Prefixed, page_key: str | None) -> Iterator[JsonRecord]:
    events = ijson.parse(stream, multiple_values=True, use_float=True)
    count = 0
    try:
        for _, event, value in events:
            for item in _top_level(event, value, events, page_key):
                count += 1
                yield JsonRecord(f"record {count}", item, None, _dump(item))
    except ijson.JSONError as exc:
        reason = f"invalid JSON after record {count}: {_first_line(exc)}; the rest of the document cannot be read"
        yield JsonRecord(f"record {count + 1}", None, reason, "")


def _top_level(event: str, value: Any, events: Iterator[tuple[str, str, Any]], page_key: str | None) -> Iterator[Any]:
    """The records of one top-level value: an array's items, a page's items, or the object itself."""
    if event == "start_array":
        yield from _items(events)
        return
    if event != "start_map":
        yield value
        return
    top: dict[str, Any] = {}
    paged = False
    for _, key_event, key in events:
        if key_event == "end_map":
            break
        _, item_event, item_value = _next(events)
        if key == page_key and item_event == "start_array":
            paged = True
            yield from _items(events)
        else:
            top[key] = _build(item_event, item_value, events)
    if not paged:
        yield top


def _items(events: Iterator[tuple[str, str, Any]]) -> Iterator[Any]:
    """The items of an array whose start_array was just read, each built whole."""
    for _, event, value in events:
        if event == "end_array":
            return
        yield _build(event, value, events)
    raise ijson.IncompleteJSONError("premature end of data inside an array")


def _build(event: str, value: Any, events: Iterator[tuple[str, str, Any]]) -> Any:
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, inner_event, inner_value in events:
        builder.event(inner_event, inner_value)
        depth += inner_event in ("start_map", "start_array")
        depth -= inner_event in ("end_map", "end_array")
        if depth == 0:
            return builder.value
    raise ijson.IncompleteJSONError("premature end of data inside a record")


def _next(events: Iterator[tuple[str, str, Any]]) -> tuple[str, str, Any]:
    for item in events:
        return item
    raise ijson.IncompleteJSONError("premature end of data inside an object")


def _first_line(exc: Exception) -> str:
    message = exc.args[0] if exc.args else exc
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()


class _Prefixed:
    """A stream with bytes already read put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes] | _Prefixed) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size < 0:
            data, self._head = self._head + self._rest.read(), b""
        else:
            data, self._head = self._head[:size], self._head[size:]
        return data

    def readline(self, limit: int = -1) -> bytes:
        if not self._head:
            return self._rest.readline(limit)
        end = self._head.find(b"\n") + 1 or len(self._head)
        if 0 <= limit < end:
            end = limit
        line, self._head = self._head[:end], self._head[end:]
        if line.endswith(b"\n") or self._head or len(line) == limit:
            return line
        return line + self._rest.readline(limit - len(line) if limit >= 0 else -1)


def digest(paper: dict[str, Any]) -> str:
    """A short fingerprint of a sighting's paper, naming the record version when the source has no version."""
    return hashlib.sha256(orjson.dumps(paper, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


Build = Callable[[dict[str, Any], str, str], dict[str, Any]]


def mapped(record: JsonRecord, build: Build, *, ids: tuple[str, ...], source: str, seen_at: str) -> Parsed:
    """Parsed for one JSON record, mapped by build(value, source, seen_at) and checked against ingest's rules.

    ids ('paperId', 'paper.id') are where the record's id may be, for its position.
    """
    if record.error is not None:
        return Parsed.bad(record.position, record.error, record.raw)
    value = record.value
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        return Parsed.bad(record.position, f"expected a JSON object, got {kind}", record.raw)
    short = next(filter(None, (_short_id(_lookup(value, path)) for path in ids)), "")
    where = f"{record.position} (id {short})" if short else record.position
    return settle(where, record.raw, lambda: build(value, source, seen_at))


def _lookup(value: Any, path: str) -> Any:
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _short_id(ident: object) -> str:
    """'https://openalex.org/W1' -> 'W1' for positions; other ids (including 'math/0309136') as they are."""
    if isinstance(ident, bool) or not isinstance(ident, str | int):
        return ""
    text = str(ident).strip()
    return text.rstrip("/").rsplit("/", 1)[-1] if text.startswith(("http://", "https://")) else text


def mapping(value: object) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (absent or malformed nested fields)."""
    return value if isinstance(value, dict) else {}


def clean_text(value: object) -> str | None:
    """A JSON string as clean text (entities, mojibake, spacing repaired); None when blank or not a string."""
    return tidy(value) or None if isinstance(value, str) else None


def stripped(value: object) -> str | None:
    """A JSON string without surrounding space; None when blank or not a string."""
    return value.strip() or None if isinstance(value, str) else None


def year_text(value: object) -> str | None:
    """A JSON integer year as text ('2022'); None for anything else."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def valid(normaliser: Callable[[str], str], value: object) -> str | None:
    """The identifier as ingest will normalise it, or None when ingest would refuse it (and the whole sighting)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normaliser(value)
    except ValueError:
        return None


class OpenAlexAdapter:
    """OpenAlex works: a single work, an API page {"meta", "results"}, or JSON lines (snapshot, exports)."""

    name = "openalex"
    default_source = "openalex"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per work, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        for record in json_records(stream, "results"):
            yield mapped(record, _sighting, ids=("id",), source=source, seen_at=seen_at)


def _sighting(work: dict[str, Any], source: str, seen_at: str) -> dict[str, Any]:
    ids = mapping(work.get("ids"))
    raw_id = work.get("id") or ids.get("openalex")
    if not isinstance(raw_id, str):
        raise ValueError("work has no OpenAlex id")
    openalex = normalise_openalex(raw_id)
    authorships = [a for a in work.get("authorships") or [] if isinstance(a, dict)]
    authors = [a for a in map(_author, authorships) if a is not None]
    paper: dict[str, Any] = {
        "title": clean_text(work.get("title") or work.get("display_name")),
        "abstract": _abstract(work),
        "kind": _kind(work),
        "published": stripped(work.get("publication_date")) or year_text(work.get("publication_year")),
        "venue": _venue(work),
        "identifiers": {
            "openalex": openalex,
            "doi": valid(normalise_doi, work.get("doi") or ids.get("doi")),
            "pmid": _pmid(ids.get("pmid")),
        },
        "authors": authors,
        # Authorships without any name still count: the count must not shrink to the names we could read.
        "author_count": len(authorships) if len(authorships) > len(authors) else None,
        "keywords": _keywords(work),
        "urls": _urls(work),
    }
    version = stripped(work.get("updated_date")) or digest(paper)
    return {
        "sighting_id": f"openalex:{openalex}@{version}",
        "source": source,
        "source_url": f"https://openalex.org/{openalex}",
        "seen_at": seen_at,
        "paper": paper,
    }


def _author(authorship: dict[str, Any]) -> dict[str, Any] | None:
    person = mapping(authorship.get("author"))
    name = clean_text(person.get("display_name")) or clean_text(authorship.get("raw_author_name"))
    if not name:
        return None
    affiliations = [a for a in authorship.get("raw_affiliation_strings") or [] if isinstance(a, str)]
    if not affiliations:
        institutions = [i for i in authorship.get("institutions") or [] if isinstance(i, dict)]
        affiliations = [i["display_name"] for i in institutions if isinstance(i.get("display_name"), str)]
    cleaned = [tidy(a) for a in affiliations]
    return {"name": name, "orcid": stripped(person.get("orcid")), "affiliations": [a for a in cleaned if a]}


def _abstract(work: dict[str, Any]) -> str | None:
    if isinstance(work.get("abstract"), str):
        return clean_text(work["abstract"])
    index = work.get("abstract_inverted_index")
    if not isinstance(index, dict):
        return None
    slots: dict[int, str] = {}
    for word, places in index.items():
        for place in places if isinstance(places, list) else []:
            if isinstance(place, int):
                slots[place] = word
    return clean_text(" ".join(slots[p] for p in sorted(slots)))


def _kind(work: dict[str, Any]) -> str | None:
    kind = stripped(work.get("type"))
    if kind is None:
        return None
    if kind == "article" and _source(work).get("type") == "conference":
        return "proceedings"
    return KINDS.get(kind.lower(), "other")


def _venue(work: dict[str, Any]) -> str | None:
    legacy = mapping(work.get("host_venue"))
    return clean_text(_source(work).get("display_name") or legacy.get("display_name"))


def _source(work: dict[str, Any]) -> dict[str, Any]:
    location = mapping(work.get("primary_location"))
    return mapping(location.get("source"))


def _keywords(work: dict[str, Any]) -> list[str]:
    """A few labels: OpenAlex keywords first, then concepts and topics, as OpenAlex ranks them."""
    names: dict[str, str] = {}
    items = (item for field in ("keywords", "concepts", "topics") for item in work.get(field) or [])
    for item in items:
        name = clean_text(item.get("display_name")) if isinstance(item, dict) else None
        if name:
            names.setdefault(name.casefold(), name)
        if len(names) == _KEYWORDS:
            break
    return list(names.values())


def _urls(work: dict[str, Any]) -> dict[str, str]:
    primary = mapping(work.get("primary_location"))
    best = mapping(work.get("best_oa_location"))
    urls = {
        "landing": clean_url(primary.get("landing_page_url")),
        "pdf": clean_url(primary.get("pdf_url")) or clean_url(best.get("pdf_url")),
    }
    return {role: url for role, url in urls.items() if url}


def _pmid(value: object) -> str | None:
    match = _PMID.search(value.strip()) if isinstance(value, str) else None
    return valid(normalise_pmid, match.group(1)) if match else None


ADAPTER = OpenAlexAdapter()
