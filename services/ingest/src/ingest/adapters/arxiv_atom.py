"""arXiv API Atom feeds (export.arxiv.org/api/query) to sightings, entry by entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from ingest.adapters.arxiv_oai import XmlRecord, XmlRecords, position
from ingest.adapters.arxiv_snapshot import arxiv_sighting, author
from ingest.adapters.base import Parsed
from ingest.adapters.text import fix_text, seen_moment, settle

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ENTRY_ID = re.compile(rb"<(?:[\w.-]+:)?id>\s*(?:https?://(?:export\.)?arxiv\.org/abs/)?([^<\s]+)\s*<")


class ArxivAtomAdapter:
    """Atom feeds of the arXiv API: one <entry> per paper, at the version its id names."""

    name = "arxiv-atom"
    default_source = "arxiv"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per <entry>, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        for record in XmlRecords(stream, "entry", _ENTRY_ID):
            yield _entry(record, source, seen_at)


def _entry(record: XmlRecord, source: str, seen_at: str) -> Parsed:
    where = position(record)
    if record.error is not None:
        return Parsed.bad(where, record.error, record.raw)
    entry_id = _text(record.element, f"{ATOM}id") or ""
    if "/api/errors" in entry_id:
        message = fix_text(_text(record.element, f"{ATOM}summary") or entry_id)
        return Parsed.bad(where, f"arXiv API error: {message}", record.raw)
    return settle(where, record.raw, lambda: _sighting(record.element, entry_id, source, seen_at))


def _sighting(entry: Any, entry_id: str, source: str, seen_at: str) -> dict[str, Any]:
    if not entry_id:
        raise ValueError("entry has no arXiv id")
    links = {link.get("title"): link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("title")}
    published = _text(entry, f"{ATOM}published")
    return arxiv_sighting(
        arxiv_id=entry_id,
        version=None,
        record_date=None,
        source=source,
        seen_at=seen_at,
        title=_text(entry, f"{ATOM}title"),
        abstract=_text(entry, f"{ATOM}summary"),
        authors=[_author(a) for a in entry.findall(f"{ATOM}author") if _text(a, f"{ATOM}name")],
        published=published[:10] if published else None,
        journal_ref=_text(entry, f"{ARXIV}journal_ref"),
        doi=_text(entry, f"{ARXIV}doi") or _doi_link(links.get("doi")),
        comments=_text(entry, f"{ARXIV}comment"),
        categories=[c.get("term") for c in entry.findall(f"{ATOM}category") if c.get("term")],
    )


def _author(element: Any) -> dict[str, Any]:
    affiliations = [a.text for a in element.findall(f"{ARXIV}affiliation") if a.text and a.text.strip()]
    return author(_text(element, f"{ATOM}name") or "", affiliations)


def _doi_link(href: str | None) -> str | None:
    return href.split("doi.org/", 1)[-1] if href and "doi.org/" in href else None


def _text(element: Any, path: str) -> str | None:
    text = element.findtext(path)
    return text if isinstance(text, str) and text.strip() else None


ADAPTER = ArxivAtomAdapter()
