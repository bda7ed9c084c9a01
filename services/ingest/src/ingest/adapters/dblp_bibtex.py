"""DBLP BibTeX (dblp.bib, per-person .bib exports) to sightings, one entry at a time."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from functools import partial
from typing import IO, Any

from ingest import normalise as n
from ingest.adapters.base import Parsed
from ingest.adapters.text import (
    author_fields,
    escape_specials,
    has_latex,
    latex_to_text,
    month_number,
    partial_date,
    person_number,
    record_sighting_id,
    seen_moment,
    settle,
    tidy,
)

ENTRY_LIMIT = 1 << 20
KINDS = {
    "article": "article",
    "inproceedings": "proceedings",
    "conference": "proceedings",
    "proceedings": "proceedings",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "misc": "other",
    "data": "dataset",
}
_SKIPPED = frozenset({"comment", "preamble", "string"})
_HEADER = re.compile(r"\s*@\s*([A-Za-z]+)\s*\{\s*([^,\s{}]*)\s*,?")
_FIELD = re.compile(r"[\s,]*([A-Za-z][\w.:+-]*)\s*=\s*")
_CLOSE = re.compile(r"[\s,]*\}")
_BARE = re.compile(r"[^\s,#{}\"=]+")
_CONCAT = re.compile(r"\s*#\s*")
_MARK = re.compile(r'\\.|[{}"]', re.DOTALL)
_AND = re.compile(r"[{}]|\s+and\s+", re.IGNORECASE)
_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])\s*([^,\s]*)")
_PLAIN_GROUP = re.compile(r"(\\[A-Za-z]+\s*)?\{([^{}\\$]*)\}")
_ESCAPED = re.compile(r"\{?\\([_%&#$~])\}?")
_YEAR = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\b")
_TIE = re.compile(r"(?<!\\)~")
_COMBINING = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_ACCENT = re.compile(r"""\\(?:(["'`^~=.])|([uvHckr])(?=[\s{]))\s*(?:\{(\\[ij]|[A-Za-z])\}|(\\[ij]|[A-Za-z]))""")
_LETTERS = {
    "ss": "ß",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
}
_LETTER = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?![A-Za-z])\s*")
# pylatexenc drops a text box inside math ('L\\({}_{\\mbox{p}}\\)' came out 'L_'); keep the box's text.
_TEXT_BOX = re.compile(r"\\(?:mbox|text|textrm|textit|mathrm)\s*\{([^{}\\]*)\}")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)
_ARXIV_URL = re.compile(r"^https?://(?:www\.)?arxiv\.org/abs/(.+?)/?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Block:
    """One top-level '@type{...}' block of the file, or why it could not be cut out."""

    kind: str
    key: str
    line: int
    text: str
    error: str | None = None


class DblpBibtexAdapter:
    """DBLP BibTeX, cut into entries by brace counting so a multi-gigabyte dblp.bib never loads whole."""

    name = "dblp-bib"
    default_source = "dblp"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per entry (comments, preambles and @string definitions are not records)."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        count = 0
        for block in _blocks(stream):
            if block.kind in _SKIPPED:
                continue
            count += 1
            yield _entry(block, count, source, seen_at)


def _entry(block: _Block, count: int, source: str, seen_at: str) -> Parsed:
    where = f"record {count} ({block.key}, line {block.line})" if block.key else f"record {count} (line {block.line})"
    if block.error:
        return Parsed.bad(where, block.error, block.text)
    return settle(where, block.text, partial(_sighting, block, source, seen_at))


def _blocks(stream: IO[bytes]) -> Iterator[_Block]:
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace")
    try:
        yield from _cut(text)
    finally:
        # A dropped TextIOWrapper closes the stream under it; the caller's stream is not ours to close.
        text.detach()


def _cut(text: IO[str]) -> Iterator[_Block]:
    """Top-level '@type{...}' blocks cut out line by line; text between them is a comment in BibTeX."""
    lines: list[str] = []
    kind, key, depth, start, size = "", "", 0, 0, 0
    for number, line in enumerate(text, start=1):
        opening = _START.match(line.lstrip()) if not lines or line.startswith("@") else None
        if lines and opening:
            # An entry starting at column 0 while braces are still open: the one before was never closed.
            reason = f"unbalanced braces: entry not closed before line {number}"
            yield _Block(kind, key, start, "".join(lines), reason)
            lines = []
        if not lines:
            if not opening:
                continue
            if opening.group(2) == "(":
                yield _Block("", opening.group(3), number, line, "entries delimited by parentheses are not supported")
                continue
            kind, key, depth, start, size = opening.group(1).lower(), opening.group(3), 0, number, 0
        lines.append(line)
        size += len(line)
        depth += _balance(line)
        if depth <= 0 or size > ENTRY_LIMIT:
            error = None if depth <= 0 else f"entry longer than {ENTRY_LIMIT} characters (unbalanced braces?)"
            yield _Block(kind, key, start, "".join(lines)[:ENTRY_LIMIT], error)
            lines = []
    if lines:
        yield _Block(kind, key, start, "".join(lines), "unbalanced braces: entry not closed at the end of the file")


def _balance(line: str) -> int:
    escaped = line.count("\\{") - line.count("\\}")
    return line.count("{") - line.count("}") - escaped


def _sighting(block: _Block, source: str, seen_at: str) -> dict[str, Any]:
    entry_type, key, fields = parse_entry(block.text, block.line)
    raw = block.text
    dblp_key = key.removeprefix("DBLP:") if key.startswith("DBLP:") else None
    doi, html, arxiv_from_url = links(_urls(fields))
    names, edited = person_list(fields)
    return {
        "sighting_id": record_sighting_id("dblp", dblp_key or key, _version(fields.get("timestamp")), raw),
        "source": source,
        "source_url": _source_url(fields, dblp_key, html),
        "seen_at": seen_at,
        "paper": {
            "title": bibtex_text(fields["title"]) if fields.get("title") else None,
            "abstract": bibtex_text(fields["abstract"]) if fields.get("abstract") else None,
            "kind": dblp_kind(entry_type, dblp_key or ""),
            "published": dblp_date(fields.get("year"), fields.get("month")),
            "venue": _venue(fields),
            "identifiers": {
                "doi": _unescape(fields["doi"]) if fields.get("doi") else doi,
                "arxiv": _arxiv(fields) or arxiv_from_url,
                "dblp": dblp_key,
            },
            **author_fields([_person(name, edited) for name in names], len(names)),
            "keywords": [],
            "urls": {"html": html} if html else {},
            "comments": None,
        },
    }


def _person(name: str, edited: bool) -> dict[str, Any]:
    """An author slot; the editors of an edited volume say so (they did not write it)."""
    return {"name": name, "role": "editor"} if edited else {"name": name}


def parse_entry(text: str, first_line: int = 1) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields by lower-case name) of one '@type{key, name = value, ...}' entry, values unbraced."""
    header = _HEADER.match(text)
    if not header:
        raise ValueError("not a BibTeX entry: expected '@type{key,'")
    fields: dict[str, str] = {}
    position = header.end()
    while not _CLOSE.match(text, position):
        field = _FIELD.match(text, position)
        if not field:
            raise ValueError(f"not a BibTeX entry: expected 'name = value' at line {_line(text, position, first_line)}")
        name = field.group(1).lower()
        if name in fields:
            raise ValueError(f"field {name!r} appears twice (line {_line(text, position, first_line)})")
        fields[name], position = _value(text, field.end(), first_line)
    return header.group(1).lower(), header.group(2), fields


def _value(text: str, position: int, first_line: int) -> tuple[str, int]:
    """A field value: '{...}', '"..."' or a bare number or macro name, possibly joined with '#'."""
    pieces = []
    while True:
        opener = text[position : position + 1]
        if opener in ("{", '"'):
            end = _closing(text, position, opener)
            if end < 0:
                raise ValueError(f"unclosed {opener} in the value at line {_line(text, position, first_line)}")
            pieces.append(text[position + 1 : end])
            position = end + 1
        elif bare := _BARE.match(text, position):
            pieces.append(bare.group(0))
            position = bare.end()
        else:
            raise ValueError(f"missing value at line {_line(text, position, first_line)}")
        joined = _CONCAT.match(text, position)
        if not joined:
            return "".join(pieces), position
        position = joined.end()


def _closing(text: str, position: int, opener: str) -> int:
    """Index of the brace or quote that closes the value opened at position, or -1."""
    depth = 0
    for mark in _MARK.finditer(text, position + (opener == '"')):
        char = mark.group(0)
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and opener == "{":
                return mark.start()
            if depth < 0:
                return -1
        elif char == '"' and depth == 0 and opener == '"':
            return mark.start()
    return -1


def _line(text: str, position: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, position)


def _split_names(value: str) -> list[str]:
    """'A and B and {C and D}' -> ['A', 'B', '{C and D}']: 'and' inside braces is part of a name."""
    names, depth, start = [], 0, 0
    for mark in _AND.finditer(value):
        if mark.group(0) in "{}":
            depth += 1 if mark.group(0) == "{" else -1
        elif depth == 0:
            names.append(value[start : mark.start()])
            start = mark.end()
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def person_list(fields: dict[str, str]) -> tuple[list[str], bool]:
    """Author names without DBLP's homonym numbers; an edited volume's editors when it has no authors."""
    people = fields.get("author") or fields.get("editor") or ""
    names = [person_number(bibtex_text(p))[0] for p in _split_names(people)]
    return [name for name in names if name], not fields.get("author") and bool(names)


def bibtex_text(value: str) -> str:
    """BibTeX field text to Unicode; the common DBLP forms ('{ADI}', '{\\&}', '{-}') skip the slow LaTeX pass."""
    text = _TIE.sub(" ", value).replace("{-}", "-")
    if "\\" in text:
        text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], _ACCENT.sub(_accent, _TEXT_BOX.sub(r"{\1}", text)))
    previous = None
    while previous != text:
        previous, text = text, _PLAIN_GROUP.sub(_unbrace, text)
    plain = text.replace("{\\&}", "&").replace("\\&", "&")
    if not has_latex(plain):
        return tidy(plain)
    return latex_to_text(escape_specials(text))


def _unbrace(match: re.Match[str]) -> str:
    """'{ADI}' -> 'ADI'; a macro's argument ('\\emph{x}') keeps its braces for the LaTeX pass."""
    return match.group(0) if match.group(1) else match.group(2)


def _accent(match: re.Match[str]) -> str:
    """'\\"{u}' -> 'ü' without pylatexenc, which costs milliseconds a field; '\\i' is the dotless i accents sit on."""
    base = (match.group(3) or match.group(4)).lstrip("\\")
    return unicodedata.normalize("NFC", base + _COMBINING[match.group(1) or match.group(2)])


def dblp_kind(record_type: str, dblp_key: str, informal: bool = False) -> str:
    """DBLP record type to a work kind; CoRR (journals/corr) and other informal articles are preprints."""
    if dblp_key.startswith("journals/corr/") or (record_type == "article" and informal):
        return "preprint"
    return "dataset" if dblp_key.startswith("data/") else KINDS.get(record_type, "other")


def links(urls: list[str]) -> tuple[str | None, str | None, str | None]:
    """(DOI, landing page, arXiv id) from DBLP's electronic-edition URLs: doi.org links are the DOI."""
    doi = html = arxiv = None
    for url in urls:
        if _DOI_URL.match(url):
            doi = doi or _doi_in(url)
            continue
        html = html or url
        match = _ARXIV_URL.match(url)
        arxiv = arxiv or (arxiv_in(match.group(1)) if match else None)
    return doi, html, arxiv


# An identifier read out of a URL is kept only if it is one; unlike an explicit doi field, it is a guess.
def _doi_in(url: str) -> str | None:
    try:
        return n.normalise_doi(url)
    except ValueError:
        return None


def arxiv_in(text: str) -> str | None:
    try:
        return n.normalise_arxiv(text)[0]
    except ValueError:
        return None


def _urls(fields: dict[str, str]) -> list[str]:
    values = (fields.get(name) for name in ("url", "ee"))
    return [_unescape(v) for v in values if v and v.strip().lower().startswith(("http://", "https://"))]


def _unescape(value: str) -> str:
    """A DOI or URL as BibTeX escapes it ('11505730\\_6') back to itself."""
    return "".join(_ESCAPED.sub(r"\1", value).split())


def _arxiv(fields: dict[str, str]) -> str | None:
    prefix = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    eprint = fields.get("eprint")
    return _unescape(eprint) if eprint and prefix == "arxiv" else None


def _version(timestamp: str | None) -> str | None:
    """DBLP's 'Sun, 28 May 2017 01:00:00 +0200' as UTC ISO; unparsable stamps are kept as written."""
    if not timestamp:
        return None
    try:
        moment = parsedate_to_datetime(timestamp)
    except (TypeError, ValueError):
        return "_".join(timestamp.split())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dblp_date(year: str | None, month: str | None = None) -> str | None:
    """A year ('2022', or a stray '2022-03') and an optional month ('mar', '3') as a partial date."""
    match = _YEAR.match(year or "")
    if not match:
        return None
    return partial_date(int(match.group(1)), month_number(match.group(2) or month or ""))


def _venue(fields: dict[str, str]) -> str | None:
    for name in ("journal", "booktitle", "school", "series", "publisher"):
        if fields.get(name):
            return bibtex_text(fields[name])
    return None


def _source_url(fields: dict[str, str], dblp_key: str | None, html: str | None) -> str:
    biburl = _unescape(fields.get("biburl") or "")
    if biburl.startswith(("http://", "https://")):
        return biburl
    return f"https://dblp.org/rec/{dblp_key}" if dblp_key else html or "https://dblp.org/"


ADAPTER = DblpBibtexAdapter()
