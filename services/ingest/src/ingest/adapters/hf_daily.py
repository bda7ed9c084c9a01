"""Hugging Face Daily Papers API listings (a JSON array, or JSON lines) to sightings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from ingest.adapters.arxiv_snapshot import tex
from ingest.adapters.base import Parsed
from ingest.adapters.openalex import digest, json_records, mapped, valid
from ingest.adapters.text import clean_url, seen_moment, tidy
from ingest.normalise import normalise_arxiv

# A listing that shows "6 authors" without names: the count is all the page says.
_COUNT_KEYS = ("numAuthors", "author_count")


class HfDailyAdapter:
    """huggingface.co/api/daily_papers items ({"paper": {...}, "title", ...}) or bare paper objects."""

    name = "hf-daily"
    default_source = "hf_daily_papers"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """One Parsed per listed paper, in order."""
        seen_moment(seen_at)  # a seen_at without a timezone is the caller's error: refuse it up front
        for record in json_records(stream, None):
            yield mapped(record, _sighting, ids=("paper.id", "id"), source=source, seen_at=seen_at)


def _sighting(item: dict[str, Any], source: str, seen_at: str) -> dict[str, Any]:
    paper = item["paper"] if isinstance(item.get("paper"), dict) else item
    paper_id = paper.get("id") if isinstance(paper.get("id"), str) and paper["id"].strip() else None
    if paper_id is None:
        raise ValueError("listing item has no paper id")
    arxiv = valid(_arxiv, paper_id)
    listed = [a for a in paper.get("authors") or [] if isinstance(a, dict)]
    authors: list[dict[str, Any]] = [
        {"name": tidy(a["name"]), "orcid": None, "affiliations": []} for a in listed if _named(a)
    ]
    body: dict[str, Any] = {
        "title": _tex(paper.get("title") or item.get("title")),
        "abstract": _tex(paper.get("summary") or item.get("summary")),
        "kind": "preprint" if arxiv else None,
        "published": _date(paper.get("publishedAt")),
        "identifiers": {"arxiv": arxiv},
        "authors": authors,
        "author_count": _count(item, paper, listed, authors),
        "urls": _urls(paper, arxiv),
    }
    return {
        "sighting_id": f"hf:{paper_id.strip()}@{digest(body)}",
        "source": source,
        "source_url": f"https://huggingface.co/papers/{paper_id.strip()}",
        "seen_at": seen_at,
        "paper": body,
    }


def _named(author: dict[str, Any]) -> bool:
    return isinstance(author.get("name"), str) and bool(tidy(author["name"]))


def _count(item: dict[str, Any], paper: dict[str, Any], listed: list[Any], authors: list[Any]) -> int | None:
    for holder in (paper, item):
        for key in _COUNT_KEYS:
            value = holder.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= len(authors):
                return value
    return len(listed) if len(listed) > len(authors) else None


def _urls(paper: dict[str, Any], arxiv: str | None) -> dict[str, str]:
    urls = {
        "pdf": f"https://arxiv.org/pdf/{arxiv}" if arxiv else None,
        "code": clean_url(paper.get("githubRepo")),
        "project": clean_url(paper.get("projectPage")),
    }
    return {role: url for role, url in urls.items() if url}


def _arxiv(value: str) -> str:
    arxiv_id, _ = normalise_arxiv(value)
    return arxiv_id


def _date(value: object) -> str | None:
    return value.strip()[:10] or None if isinstance(value, str) else None


def _tex(value: object) -> str | None:
    return tex(value) or None if isinstance(value, str) else None


ADAPTER = HfDailyAdapter()
