"""arXiv metadata snapshot (Kaggle JSON lines) to sightings, and the arXiv helpers the OAI and Atom adapters share."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from typing import IO, Any

from ingest.adapters.base import Parsed
from ingest.adapters.openalex import json_lines, mapped
from ingest.adapters.text import collapse_whitespace, has_latex, latex_prose_to_text, month_number, seen_moment
from ingest.normalise import normalise_arxiv, normalise_doi

_DOI_SEPARATORS = re.compile(r"[\s,;]+")
_FOOTNOTE_REFS = re.compile(r"^\s*\d+(?:\s*(?:,|and|&)\s*\d+)*\s*$")
_NUMBERED_AFFILIATION = re.compile(r"^\s*\(\d+\)")
_NUMBER_MARK = re.compile(r"\((\d+)\)")
_ET_AL = re.compile(r"(?:^|\s+)et\.?\s*al\.?$", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
_SPLIT_INITIAL = re.compile(r"(?<=\.) -(?=\w)")
_CLOCK = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}\Z")


def first_doi(raw: str | None) -> str | None:
    """The first valid DOI of a field that may hold several ('10.1/a 10.2/b'); the rest are ignored."""
    if not raw:
        return None
    for token in _DOI_SEPARATORS.split(raw):
        try:
            return normalise_doi(token)
        except ValueError:
            continue
    return None


def rfc2822_date(raw: object) -> str | None:
    """'Mon, 2 Apr 2007 19:18:42 GMT' -> '2007-04-02'; None when it is not such a date."""
    if not isinstance(raw, str):
        return None
    # arXiv's own form, 'Mon, 2 Apr 2007 19:18:42 GMT', read directly (the general parser below is a tenth of
    # the adapter's time, and even one regex match costs more than splitting on spaces).
    parts = raw.split()
    month = month_number(parts[2]) if len(parts) == 6 and len(parts[2]) == 3 and parts[2].isalpha() else None
    if month and parts[5] == "GMT" and _CLOCK.match(parts[4]):
        day, year = parts[1], parts[3]
        if day.isdigit() and year.isdigit() and len(year) == 4 and parts[0].endswith(","):
            with contextlib.suppress(ValueError):
                return date(int(year), month, int(day)).isoformat()
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError):
        return None


def version_number(label: object) -> int | None:
    """'v3' -> 3; None for anything else."""
    text = label.strip().removeprefix("v") if isinstance(label, str) else ""
    return int(text) if text.isdigit() else None


def tex(text: str) -> str:
    """An arXiv field's LaTeX as Unicode, with TeX quotes (``so'') too; URLs, '%' and '&' stay as typed."""
    if text.isascii() and not (has_latex(text) or "&" in text or "`" in text or "''" in text):
        return collapse_whitespace(text)  # most names and affiliations: nothing to render, decode or repair
    return latex_prose_to_text(text.replace("``", '"').replace("''", '"'))


def author(
    name: str, affiliations: list[str] | None = None, family: str | None = None, given: str | None = None
) -> dict[str, Any]:
    """One crawler-API author slot with LaTeX rendered to Unicode (family and given names when known)."""
    cleaned = [tex(a) for a in affiliations or [] if a and not _FOOTNOTE_REFS.match(a)]
    slot: dict[str, Any] = {"name": tex(name), "orcid": None, "affiliations": [a for a in cleaned if a]}
    if family and family.strip():
        slot["family_name"] = tex(family)
        slot["given_name"] = tex(given) if given and given.strip() else None
    return slot


def split_authors(text: str) -> list[dict[str, Any]]:
    """arXiv's one-string author list ('A. Smith (MIT), B. Jones and C. Lee, et al.') as author slots."""
    numbered: dict[str, str] = {}
    people: list[tuple[str, list[str], list[str]]] = []
    for piece in _split_top_level(collapse_whitespace(text)):
        name, groups = _paren_groups(piece)
        direct: list[str] = []
        refs: list[str] = []
        for group in groups:
            if _NUMBERED_AFFILIATION.match(group):
                numbered.update(_numbered(group))
            elif _FOOTNOTE_REFS.match(group):
                refs.extend(re.findall(r"\d+", group))
            else:
                direct.append(group)
        name = _ET_AL.sub("", name).strip(" ,;")
        if name and _NAME_SUFFIX.match(name) and people:
            previous = people[-1]
            people[-1] = (f"{previous[0]} {name}", previous[1], previous[2])
        elif name:
            people.append((name, direct, refs))
    return [author(name, direct + [numbered[r] for r in refs if r in numbered]) for name, direct, refs in people]


def _split_top_level(text: str) -> list[str]:
    """Split at ',', ';' and ' and ' outside parentheses and braces (affiliations may contain all three)."""
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char in "({":
            depth += 1
        elif char in ")}" and depth > 0:
            depth -= 1
        if depth == 0 and (char in ",;" or text.startswith(" and ", i)):
            pieces.append("".join(current))
            current = []
            i += 1 if char in ",;" else len(" and ")
            continue
        current.append(char)
        i += 1
    pieces.append("".join(current))
    return [p.strip() for p in pieces if p.strip()]


def _paren_groups(piece: str) -> tuple[str, list[str]]:
    """A piece's text outside parentheses, and the contents of its outermost parenthesised groups."""
    outside: list[str] = []
    groups: list[str] = []
    inside: list[str] = []
    depth = 0
    for char in piece:
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(inside).strip())
                inside = []
                continue
        (inside if depth else outside).append(char)
    if inside:
        groups.append("".join(inside).strip())
    return "".join(outside).strip(), [g for g in groups if g]


def _numbered(group: str) -> dict[str, str]:
    """'(1) CREST, Japan, (2) Tokyo U.' -> {'1': 'CREST, Japan', '2': 'Tokyo U.'}."""
    parts = _NUMBER_MARK.split(group)
    return {parts[i]: parts[i + 1].strip(" ,;") for i in range(1, len(parts) - 1, 2) if parts[i + 1].strip(" ,;")}


def arxiv_sighting(
    *,
    arxiv_id: str,
    version: int | None,
    record_date: str | None,
    source: str,
    seen_at: str,
    title: str | None,
    abstract: str | None,
    authors: list[dict[str, Any]],
    published: str | None,
    journal_ref: str | None,
    doi: str | None,
    comments: str | None,
    categories: list[str],
) -> dict[str, Any]:
    """The crawler-API sighting of one arXiv record version; raises ValueError when the id is not arXiv's."""
    bare, id_version = normalise_arxiv(arxiv_id)
    version = version or id_version
    versioned = f"{bare}v{version}" if version else bare
    venue = tex(journal_ref) if journal_ref else None
    doi_value = first_doi(doi)
    # A metadata-only update (journal-ref or DOI added later) keeps the version but is new information.
    suffix = f"@{record_date}" if record_date else ""
    return {
        "sighting_id": f"arxiv:{versioned}{suffix}",
        "source": source,
        "source_url": f"https://arxiv.org/abs/{versioned}",
        "seen_at": seen_at,
        "paper": {
            "title": tex(title) if title else None,
            "abstract": tex(abstract) if abstract else None,
            "kind": "article" if venue or doi_value else "preprint",
            "published": published,
            "venue": venue or None,
            "identifiers": {"arxiv": versioned, "doi": doi_value},
            "authors": authors,
            "keywords": categories,
            "urls": {"pdf": f"https://arxiv.org/pdf/{versioned}"},
            "comments": tex(comments) if comments else None,
        },
    }


class ArxivSnapshotAdapter:
    """Kaggle's arxiv-metadata-oai-snapshot.json: one JSON object per line, latest version of each paper."""

    name = "arxiv-json"
    default_source = "arxiv"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per non-blank line, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        for record in json_lines(stream):
            yield mapped(record, _sighting, ids=("id",), source=source, seen_at=seen_at)


def _sighting(record: dict[str, Any], source: str, seen_at: str) -> dict[str, Any]:
    arxiv_id = record.get("id")
    if not isinstance(arxiv_id, str) or not arxiv_id.strip():
        raise ValueError("record has no arXiv id")
    versions = sorted(
        (number, v.get("created"))
        for v in record.get("versions") or []
        if isinstance(v, dict) and (number := version_number(v.get("version"))) is not None
    )
    first_created = rfc2822_date(versions[0][1]) if versions else None
    categories = record.get("categories")
    return arxiv_sighting(
        arxiv_id=str(arxiv_id),
        version=versions[-1][0] if versions else None,
        record_date=_text(record.get("update_date")),
        source=source,
        seen_at=seen_at,
        title=_text(record.get("title")),
        abstract=_text(record.get("abstract")),
        authors=_authors(record),
        published=first_created or _text(record.get("update_date")),
        journal_ref=_text(record.get("journal-ref")),
        doi=_text(record.get("doi")),
        comments=_text(record.get("comments")),
        categories=categories.split() if isinstance(categories, str) else [],
    )


def _authors(record: dict[str, Any]) -> list[dict[str, Any]]:
    parsed = record.get("authors_parsed")
    if not isinstance(parsed, list) or not parsed:
        return split_authors(record.get("authors") or "")
    authors = []
    for parts in parsed:
        last, first, suffix = ([*map(str, parts), "", "", ""])[:3]
        if " -" in first:
            # The snapshot's parser splits hyphenated initials ('C.-P.' -> 'C. -P.'); arXiv prints them joined.
            first = _SPLIT_INITIAL.sub("-", first)
        name = " ".join(filter(str.strip, (first, last, suffix)))
        if name:
            authors.append(author(name, [str(a) for a in parts[3:]], family=last, given=first))
    return authors


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


ADAPTER = ArxivSnapshotAdapter()
