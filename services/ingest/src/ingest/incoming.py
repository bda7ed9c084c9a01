"""The sighting as crawlers post it: input models whose validators normalise each field or say what is wrong."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ingest import normalise as n

MAX_AUTHORS = 10_000
MAX_KEYWORDS = 200
KIND_ALIASES = {
    "preprint": "preprint",
    "posted-content": "preprint",
    "article": "article",
    "journal-article": "article",
    "review": "article",
    "proceedings": "proceedings",
    "proceedings-article": "proceedings",
    "conference-paper": "proceedings",
    "inproceedings": "proceedings",
    "book": "book",
    "monograph": "book",
    "chapter": "chapter",
    "book-chapter": "chapter",
    "thesis": "thesis",
    "dissertation": "thesis",
    "phdthesis": "thesis",
    "dataset": "dataset",
    "other": "other",
}
CLOCK_SKEW = timedelta(minutes=5)
_SOURCE = re.compile(r"[a-z][a-z0-9_]{1,39}\Z")


def _warn(info: ValidationInfo, message: str) -> None:
    """Record a non-fatal problem; the caller passes a list in the validation context."""
    if isinstance(info.context, dict):
        info.context.setdefault("warnings", []).append(message)


def _text(value: str | None, limit: int, what: str) -> str | None:
    if value is None:
        return None
    cleaned = n.clean_text(value)
    if len(cleaned) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    return cleaned or None


def _distinct(values: list[str], what: str) -> list[str]:
    """Cleaned, non-empty texts, each once (case-insensitively), in their first spelling and order."""
    seen: dict[str, str] = {}
    for value in values:
        cleaned = _text(value, 2000, what)
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())


def _id_text(value: Any) -> Any:
    """Identifiers may arrive as JSON numbers (PMIDs); treat them as text, and blanks as absent."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not value.strip():
        return None
    return value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=200_000)


class AuthorIn(_In):
    """One author slot as posted."""

    name: str
    family_name: str | None = None
    given_name: str | None = None
    orcid: str | None = None
    affiliations: list[str] = Field(default_factory=list, max_length=100)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        cleaned = _text(value, 500, "name")
        if not cleaned:
            raise ValueError("author name is empty")
        return cleaned

    @field_validator("family_name", "given_name")
    @classmethod
    def _name_part(cls, value: str | None) -> str | None:
        return _text(value, 300, "name part")

    @field_validator("orcid", mode="before")
    @classmethod
    def _orcid(cls, value: Any, info: ValidationInfo) -> str | None:
        value = _id_text(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("ORCID iD must be a string")
        try:
            return n.normalise_orcid(value)
        except ValueError as exc:
            # A bad ORCID must not cost the sighting: drop the identifier, keep the author, warn the crawler.
            _warn(info, f"{exc}; dropped")
            return None

    @field_validator("affiliations")
    @classmethod
    def _affiliations(cls, values: list[str]) -> list[str]:
        return _distinct(values, "affiliation")


class IdentifiersIn(_In):
    """Identifiers as posted, in any common form."""

    doi: str | None = None
    arxiv: str | None = None
    pmid: str | None = None
    openalex: str | None = None
    dblp: str | None = None
    s2: str | None = None

    _blank = field_validator("doi", "arxiv", "pmid", "openalex", "dblp", "s2", mode="before")(_id_text)

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        return None if value is None else n.normalise_doi(value)

    @field_validator("arxiv")
    @classmethod
    def _arxiv(cls, value: str | None) -> str | None:
        if value is None:
            return None
        arxiv_id, version = n.normalise_arxiv(value)
        return f"{arxiv_id}v{version}" if version else arxiv_id

    @field_validator("pmid")
    @classmethod
    def _pmid(cls, value: str | None) -> str | None:
        return None if value is None else n.normalise_pmid(value)

    @field_validator("openalex")
    @classmethod
    def _openalex(cls, value: str | None) -> str | None:
        return None if value is None else n.normalise_openalex(value)

    @field_validator("dblp")
    @classmethod
    def _dblp(cls, value: str | None) -> str | None:
        return None if value is None else n.normalise_dblp(value)

    @field_validator("s2")
    @classmethod
    def _s2(cls, value: str | None) -> str | None:
        return _text(value, 100, "s2 id")


class PaperIn(_In):
    """What the crawler saw of the paper."""

    title: str | None = None
    abstract: str | None = None
    kind: str | None = None
    published: str | None = None
    venue: str | None = None
    identifiers: IdentifiersIn = Field(default_factory=IdentifiersIn)
    authors: list[AuthorIn] = Field(default_factory=list, max_length=MAX_AUTHORS)
    author_count: int | None = Field(default=None, ge=0, le=1_000_000)
    keywords: list[str] = Field(default_factory=list, max_length=MAX_KEYWORDS)
    urls: dict[str, str] = Field(default_factory=dict, max_length=20)
    comments: str | None = None

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return _text(value, 2000, "title")

    @field_validator("abstract")
    @classmethod
    def _abstract(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = n.clean_paragraphs(value)
        if len(cleaned) > 100_000:
            raise ValueError("abstract is longer than 100000 characters")
        return cleaned or None

    @field_validator("venue")
    @classmethod
    def _venue(cls, value: str | None) -> str | None:
        return _text(value, 2000, "venue")

    @field_validator("comments")
    @classmethod
    def _comments(cls, value: str | None) -> str | None:
        return _text(value, 10_000, "comments")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        kind = KIND_ALIASES.get(value.strip().lower().replace("_", "-"))
        if kind is None:
            allowed = "preprint, article, proceedings, book, chapter, thesis, dataset, other"
            raise ValueError(f"unknown kind {value!r}; use one of {allowed}")
        return kind

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: Any, info: ValidationInfo) -> str | None:
        value = _id_text(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("published must be a date string such as 2022-03-11")
        now = _now(info)
        return n.normalise_published(value, latest_year=now.year + 2)[0]

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, values: list[str]) -> list[str]:
        return _distinct(values, "keyword")

    @field_validator("urls")
    @classmethod
    def _urls(cls, values: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for role, url in values.items():
            key = role.strip().lower()
            if not key.isidentifier() or len(key) > 40:
                raise ValueError(f"url role {role!r} must be a short word such as pdf, code or html")
            out[key] = n.normalise_url(url)
        return dict(sorted(out.items()))  # order carries no meaning; sorted, equal links hash equally


class SightingIn(_In):
    """One sighting as a crawler posts it."""

    sighting_id: str | None = Field(default=None, max_length=200)
    source: str
    source_url: str
    seen_at: datetime | None = None
    paper: PaperIn

    @field_validator("sighting_id")
    @classmethod
    def _sighting_id(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        source = value.strip().lower()
        if not _SOURCE.match(source):
            raise ValueError("source must be a short lower-case name such as arxiv, openalex or hf_daily_papers")
        return source

    @field_validator("source_url")
    @classmethod
    def _source_url(cls, value: str) -> str:
        url = n.normalise_url(value)
        if len(url) > 2000:
            raise ValueError("source_url is longer than 2000 characters")
        return url

    @field_validator("seen_at")
    @classmethod
    def _seen_at(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        moment = n.ensure_aware(value)
        if moment > _now(info) + CLOCK_SKEW:
            raise ValueError("seen_at is in the future")
        return moment


def _now(info: ValidationInfo) -> datetime:
    context = info.context if isinstance(info.context, dict) else {}
    now = context.get("now")
    if not isinstance(now, datetime):
        raise TypeError("validation context needs 'now'")
    return now
