"""Semantic Scholar Graph API papers (one paper, a {"data": [...]} page, a batch array or JSON lines) to sightings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from ingest.adapters.base import Parsed
from ingest.adapters.openalex import clean_text, digest, json_records, mapped, mapping, stripped, valid, year_text
from ingest.adapters.text import clean_url, seen_moment, tidy
from ingest.normalise import normalise_arxiv, normalise_dblp, normalise_doi, normalise_pmid

_IDS = ("paperId", "citingPaper.paperId", "citedPaper.paperId")
# Most specific first: S2 tags a conference paper ["JournalArticle", "Conference"].
KINDS = (
    ("Book", "book"),
    ("BookSection", "chapter"),
    ("Dataset", "dataset"),
    ("Conference", "proceedings"),
    ("JournalArticle", "article"),
    ("Review", "article"),
    ("Editorial", "article"),
    ("LettersAndComments", "article"),
    ("CaseReport", "article"),
    ("ClinicalTrial", "article"),
    ("MetaAnalysis", "article"),
    ("Study", "article"),
)


class SemanticScholarAdapter:
    """Graph API /paper responses: single papers, search or batch pages, citation pages, or JSON lines of them."""

    name = "s2"
    default_source = "semantic_scholar"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per paper, in order (a batch's null for an unknown id is a bad record)."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        for record in json_records(stream, "data"):
            yield mapped(record, _sighting, ids=_IDS, source=source, seen_at=seen_at)


def _sighting(item: dict[str, Any], source: str, seen_at: str) -> dict[str, Any]:
    paper = _unwrapped(item)
    paper_id = paper.get("paperId")
    if not isinstance(paper_id, str) or not paper_id.strip():
        raise ValueError("paper has no paperId")
    paper_id = paper_id.strip()
    external = mapping(paper.get("externalIds"))
    listed = [a for a in paper.get("authors") or [] if isinstance(a, dict)]
    authors = [a for a in map(_author, listed) if a is not None]
    body: dict[str, Any] = {
        "title": clean_text(paper.get("title")),
        "abstract": clean_text(paper.get("abstract")),
        "kind": _kind(paper, external),
        "published": stripped(paper.get("publicationDate")) or year_text(paper.get("year")),
        "venue": _venue(paper),
        "identifiers": {
            "doi": valid(normalise_doi, external.get("DOI")),
            "arxiv": valid(_arxiv, external.get("ArXiv")),
            "pmid": valid(normalise_pmid, external.get("PubMed")),
            "dblp": valid(normalise_dblp, external.get("DBLP")),
            "s2": paper_id,
        },
        "authors": authors,
        "author_count": len(listed) if len(listed) > len(authors) else None,
        "keywords": _keywords(paper),
        "urls": {"pdf": url} if (url := _pdf(paper)) else {},
    }
    return {
        "sighting_id": f"s2:{paper_id}@{digest(body)}",
        "source": source,
        "source_url": clean_url(paper.get("url")) or f"https://www.semanticscholar.org/paper/{paper_id}",
        "seen_at": seen_at,
        "paper": body,
    }


def _unwrapped(item: dict[str, Any]) -> dict[str, Any]:
    """Citation and reference pages wrap each paper as {"citingPaper": {...}} or {"citedPaper": {...}}."""
    for key in ("citingPaper", "citedPaper"):
        if "paperId" not in item and isinstance(item.get(key), dict):
            inner: dict[str, Any] = item[key]
            return inner
    return item


def _author(author: dict[str, Any]) -> dict[str, Any] | None:
    name = clean_text(author.get("name"))
    if not name:
        return None
    affiliations = [tidy(a) for a in author.get("affiliations") or [] if isinstance(a, str)]
    return {"name": name, "orcid": None, "affiliations": [a for a in affiliations if a]}


def _kind(paper: dict[str, Any], external: dict[str, Any]) -> str | None:
    types = {t for t in paper.get("publicationTypes") or [] if isinstance(t, str)}
    for label, kind in KINDS:
        if label in types:
            return kind
    if types:
        return "other"
    return "preprint" if external.get("ArXiv") else None


def _venue(paper: dict[str, Any]) -> str | None:
    for holder, key in ((paper, "venue"), (paper.get("publicationVenue"), "name"), (paper.get("journal"), "name")):
        if isinstance(holder, dict) and (venue := clean_text(holder.get(key))):
            return venue
    return None


def _keywords(paper: dict[str, Any]) -> list[str]:
    fields = [f for f in paper.get("fieldsOfStudy") or [] if isinstance(f, str)]
    fields += [f["category"] for f in paper.get("s2FieldsOfStudy") or [] if isinstance(f, dict) and f.get("category")]
    return list(dict.fromkeys(fields))


def _pdf(paper: dict[str, Any]) -> str | None:
    pdf = paper.get("openAccessPdf")
    return clean_url(pdf.get("url")) if isinstance(pdf, dict) else None


def _arxiv(value: str) -> str:
    normalise_arxiv(value)
    return value.strip()


ADAPTER = SemanticScholarAdapter()
