"""PubMed XML (PubmedArticleSet, as efetch and the MEDLINE baseline serve it) to sightings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from ingest.adapters.base import Parsed
from ingest.adapters.text import (
    author_fields,
    month_number,
    partial_date,
    record_sighting_id,
    seen_moment,
    settle,
    tidy,
)
from ingest.adapters.xml import end_events, forget, unreadable

RECORDS = ("PubmedArticle", "PubmedBookArticle")
MESH_LIMIT = 10
_MEDLINE_DATE = re.compile(r"^\s*(\d{4})(?:\s+([A-Za-z]{3}|\d{1,2})\b)?")
_KIND_BY_TYPE = {
    "preprint": "preprint",
    "dataset": "dataset",
    "congress": "proceedings",
    "clinical conference": "proceedings",
    "published erratum": "other",
    "retraction of publication": "other",
    "expression of concern": "other",
}


class PubmedAdapter:
    """PubMed articles, streamed with lxml and cleared as they are read; the DTD is never fetched."""

    name = "pubmed"
    default_source = "pubmed"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per PubmedArticle or PubmedBookArticle, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        events = end_events(stream, tag=(*RECORDS, "DeleteCitation"))
        count = 0
        try:
            for _, element in events:
                if element.tag in RECORDS:
                    count += 1
                    yield _parsed(count, element, source, seen_at)
                forget(element)
        except etree.XMLSyntaxError as exc:
            yield unreadable(exc)
            return
        root = etree.QName(events.root).localname if events.root is not None else None
        if count == 0 and root != "PubmedArticleSet":
            yield Parsed.bad("line 1", f"not PubMed XML: the root element is <{root}>, expected <PubmedArticleSet>", "")


def _parsed(count: int, record: Any, source: str, seen_at: str) -> Parsed:
    pmid = _text(record.find("*/PMID"))
    position = f"record {count} (PMID {pmid})" if pmid else f"record {count} (line {record.sourceline})"
    raw = etree.tostring(record, encoding="unicode")
    return settle(position, raw, lambda: _sighting(record, pmid, raw, source, seen_at))


def _sighting(record: Any, pmid: str | None, raw: str, source: str, seen_at: str) -> dict[str, Any]:
    book = record.tag == "PubmedBookArticle"
    document = record.find("BookDocument" if book else "MedlineCitation")
    if document is None:
        raise ValueError(f"<{record.tag}> has no <{'BookDocument' if book else 'MedlineCitation'}>")
    paper = _book(document) if book else _article(document)
    ids = record.find("BookDocument/ArticleIdList" if book else "PubmedData/ArticleIdList")
    doi = _article_id(ids, "doi") or _text(document.find("Article/ELocationID[@EIdType='doi']"))
    pmc = _article_id(ids, "pmc")
    pmid_element = document.find("PMID")
    version = pmid_element.get("Version") if pmid_element is not None else None
    key = f"{pmid}v{version}" if pmid and version not in (None, "1") else pmid
    return {
        "sighting_id": record_sighting_id("pubmed", key, _ymd(document.find("DateRevised")), raw),
        "source": source,
        "source_url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "https://pubmed.ncbi.nlm.nih.gov/",
        "seen_at": seen_at,
        "paper": {
            **paper,
            "identifiers": {"doi": doi, "pmid": pmid},
            "keywords": _keywords(document),
            "urls": {"html": f"https://pmc.ncbi.nlm.nih.gov/articles/{pmc}/"} if pmc else {},
            "comments": None,
        },
    }


def _article(citation: Any) -> dict[str, Any]:
    article = citation.find("Article")
    if article is None:
        raise ValueError("<MedlineCitation> has no <Article>")
    issue = article.find("Journal/JournalIssue/PubDate")
    return {
        "title": _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle")),
        "abstract": _abstract(article.find("Abstract")),
        "kind": _kind(article.findall("PublicationTypeList/PublicationType"), "article"),
        "published": _pub_date(issue) or _ymd(article.find("ArticleDate")),
        "venue": _text(article.find("Journal/Title")) or _text(citation.find("MedlineJournalInfo/MedlineTA")),
        **_authors(article.find("AuthorList")),
    }


def _book(document: Any) -> dict[str, Any]:
    chapter = _text(document.find("ArticleTitle"))
    book_title = _text(document.find("Book/BookTitle"))
    authors = document.find("AuthorList[@Type='authors']")
    return {
        "title": chapter or book_title,
        "abstract": _abstract(document.find("Abstract")),
        "kind": _kind(document.findall("PublicationType"), "chapter" if chapter else "book"),
        "published": _pub_date(document.find("Book/PubDate")),
        "venue": book_title if chapter else None,
        **_authors(authors if authors is not None else document.find("AuthorList")),
    }


def _authors(author_list: Any) -> dict[str, Any]:
    if author_list is None or author_list.get("Type") == "editors":
        return {"authors": [], "author_count": None}
    # ValidYN="N" marks a name PubMed corrected; the valid spelling is listed beside it.
    valid = [a for a in author_list.findall("Author") if a.get("ValidYN") != "N"]
    authors = [author for author in (_author(a) for a in valid) if author]
    return author_fields(authors, len(valid))


def _author(element: Any) -> dict[str, Any] | None:
    # One pass over the children: large collaborations list thousands of authors, and find() is slow.
    parts: dict[str, str | None] = {}
    orcid, affiliations = None, []
    for child in element:
        if child.tag == "AffiliationInfo":
            affiliations += [a for a in (_text(e) for e in child.iterchildren("Affiliation")) if a]
        elif child.tag == "Identifier":
            orcid = _text(child) if child.get("Source") == "ORCID" else orcid
        else:
            parts[child.tag] = _text(child)
    given, last = parts.get("ForeName") or parts.get("Initials"), parts.get("LastName")
    personal = " ".join(p for p in (given, last, parts.get("Suffix")) if p) if last else None
    name = personal or parts.get("CollectiveName")
    if not name:
        return None
    structured = {"family_name": last, "given_name": given} if personal else {}
    return {"name": name, **structured, "orcid": orcid, "affiliations": affiliations[:100]}


def _abstract(abstract: Any) -> str | None:
    if abstract is None:
        return None
    paragraphs = []
    for part in abstract.findall("AbstractText"):
        text, label = _text(part), (part.get("Label") or "").strip()
        if text:
            paragraphs.append(f"{label}: {text}" if label and label.upper() != "UNLABELLED" else text)
    return "\n\n".join(paragraphs) or None


def _keywords(document: Any) -> list[str]:
    keywords = [k for k in (_text(e) for e in document.findall("KeywordList/Keyword")) if k]
    # Only major-topic MeSH descriptors: the rest are mostly check tags such as "Humans" or "Female".
    mesh = [
        _text(heading.find("DescriptorName"))
        for heading in document.iterfind("MeshHeadingList/MeshHeading")
        if any(part.get("MajorTopicYN") == "Y" for part in heading)
    ]
    return (keywords + [m for m in mesh[:MESH_LIMIT] if m])[:200]


def _kind(types: list[Any], default: str) -> str:
    names = [(_text(t) or "").casefold() for t in types]
    return next((_KIND_BY_TYPE[n] for n in names if n in _KIND_BY_TYPE), default)


def _pub_date(element: Any) -> str | None:
    if element is None:
        return None
    medline = _text(element.find("MedlineDate"))
    if medline:
        match = _MEDLINE_DATE.match(medline)
        return partial_date(int(match.group(1)), month_number(match.group(2) or "")) if match else None
    return _ymd(element)


def _ymd(element: Any) -> str | None:
    """Year, Month (number or 'Mar') and Day children as a partial ISO date."""
    if element is None:
        return None
    year, month, day = (_text(element.find(tag)) for tag in ("Year", "Month", "Day"))
    if not year or not year.isdigit():
        return None
    return partial_date(int(year), month_number(month or ""), int(day) if day and day.isdigit() else None)


def _article_id(ids: Any, kind: str) -> str | None:
    return _text(ids.find(f"ArticleId[@IdType='{kind}']")) if ids is not None else None


def _text(element: Any) -> str | None:
    """All text inside an element, inline markup such as <i> or <sup> dropped but its words kept."""
    if element is None:
        return None
    return _tidy(element.text or "" if len(element) == 0 else "".join(element.itertext())) or None


# Collaborations repeat one affiliation for hundreds of authors; repairing each copy again is the slow part.
_tidy = lru_cache(maxsize=4096)(tidy)


ADAPTER = PubmedAdapter()
