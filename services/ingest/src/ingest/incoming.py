"""The sighting as crawlers post it: its shape (checked by pydantic-core) and one pass that normalises each field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, NotRequired, TypeVar

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

from ingest import normalise as n
from ingest.limits import MAX_AUTHORS, MAX_KEYWORDS

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
_SHAPE = ConfigDict(extra="forbid", str_max_length=200_000)
T = TypeVar("T")


@with_config(_SHAPE)
class AuthorIn(TypedDict):
    """One author slot as posted."""

    name: str
    family_name: NotRequired[str | None]
    given_name: NotRequired[str | None]
    orcid: NotRequired[str | int | None]
    affiliations: NotRequired[Annotated[list[str], Field(max_length=100)]]
    role: NotRequired[Literal["author", "editor"] | None]


@with_config(_SHAPE)
class IdentifiersIn(TypedDict, total=False):
    """Identifiers as posted, in any common form (URLs, prefixes, numbers)."""

    doi: str | None
    arxiv: str | None
    pmid: str | int | None
    openalex: str | None
    dblp: str | None
    s2: str | None


@with_config(_SHAPE)
class PaperIn(TypedDict, total=False):
    """What the crawler saw of the paper."""

    title: str | None
    abstract: str | None
    kind: str | None
    published: str | int | None
    venue: str | None
    identifiers: IdentifiersIn
    authors: Annotated[list[AuthorIn], Field(max_length=MAX_AUTHORS)]
    author_count: Annotated[int | None, Field(ge=0, le=1_000_000)]
    keywords: Annotated[list[str], Field(max_length=MAX_KEYWORDS)]
    urls: Annotated[dict[str, str], Field(max_length=20)]
    comments: str | None


@with_config(_SHAPE)
class SightingIn(TypedDict):
    """One sighting as a crawler posts it."""

    sighting_id: NotRequired[Annotated[str | None, Field(max_length=200)]]
    source: str
    source_url: str
    seen_at: NotRequired[datetime | None]
    paper: PaperIn


# Types only, checked in Rust; the normalising rules below are plain functions (several times cheaper than
# the same rules as pydantic field validators, which matters at thousands of sightings per second).
SIGHTING_SHAPE: TypeAdapter[SightingIn] = TypeAdapter(SightingIn)


@dataclass(frozen=True)
class FieldError:
    """One reason an item was refused, pointing at the field."""

    field: str
    code: str
    message: str


class Problems:
    """What normalising one item found: errors (the item is refused) and warnings (it is accepted)."""

    def __init__(self) -> None:
        """Start with nothing found."""
        self.errors: list[FieldError] = []
        self.warnings: list[str] = []

    def check(self, field: str, rule: Callable[..., T], value: Any, *args: Any) -> T | None:
        """Apply a rule to a present value; a ValueError becomes a field error and the value None."""
        if value is None:
            return None
        try:
            return rule(value, *args)
        except ValueError as exc:
            self.errors.append(FieldError(field, "value_error", str(exc)))
            return None


def shape_errors(exc: ValidationError) -> list[FieldError]:
    """Pydantic's type errors as field errors ('paper.authors.0.name')."""
    errors = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = ".".join(str(part) for part in error["loc"])
        errors.append(FieldError(loc, error["type"], error["msg"].removeprefix("Value error, ")))
    return errors


def normalise_sighting(item: SightingIn, now: datetime, problems: Problems) -> dict[str, Any]:
    """Every field of a well-shaped sighting, normalised; what is wrong goes to `problems`."""
    sighting_id = item.get("sighting_id")
    return {
        "sighting_id": (sighting_id.strip() or None) if sighting_id is not None else None,
        "source": problems.check("source", _source, item["source"]),
        "source_url": problems.check("source_url", _source_url, item["source_url"]),
        "seen_at": problems.check("seen_at", _seen_at, item.get("seen_at"), now),
        "paper": _paper(item["paper"], now, problems),
    }


def _paper(paper: PaperIn, now: datetime, problems: Problems) -> dict[str, Any]:
    published = problems.check("paper.published", _published, paper.get("published"), now)
    return {
        "title": problems.check("paper.title", _text, paper.get("title"), 2000, "title"),
        "abstract": problems.check("paper.abstract", _abstract, paper.get("abstract")),
        "kind": problems.check("paper.kind", _kind, paper.get("kind")),
        "published": published,
        "venue": problems.check("paper.venue", _text, paper.get("venue"), 2000, "venue"),
        "identifiers": _identifiers(paper.get("identifiers") or {}, problems),
        "authors": [
            _author(author, f"paper.authors.{i}", problems) for i, author in enumerate(paper.get("authors", ()))
        ],
        "author_count": paper.get("author_count"),
        "keywords": problems.check("paper.keywords", _distinct, paper.get("keywords", ()), "keyword"),
        "urls": problems.check("paper.urls", _urls, paper.get("urls") or {}),
        "comments": problems.check("paper.comments", _text, paper.get("comments"), 10_000, "comments"),
    }


def _identifiers(ids: IdentifiersIn, problems: Problems) -> dict[str, Any]:
    out = dict(_NO_IDENTIFIERS)  # every key, in the contract's order (the content hash depends on it)
    for name, value in ids.items():
        text = _id_text(value)  # type: ignore[arg-type]
        if text is not None:
            out[name] = problems.check(f"paper.identifiers.{name}", _IDENTIFIER_RULES[name], text)
    if arxiv := out["arxiv"]:
        out["arxiv"], out["arxiv_version"] = arxiv
    return out


def _author(author: AuthorIn, at: str, problems: Problems) -> dict[str, Any]:
    # Absent optional fields skip the rule call (and building its field path): an author has many of them.
    check = problems.check
    family, given, orcid = author.get("family_name"), author.get("given_name"), author.get("orcid")
    affiliations = author.get("affiliations")
    out = {
        "name": check(f"{at}.name", _author_name, author["name"]),
        "family_name": None if family is None else check(f"{at}.family_name", _text, family, 300, "name part"),
        "given_name": None if given is None else check(f"{at}.given_name", _text, given, 300, "name part"),
        "orcid": None if orcid is None else _orcid(_id_text(orcid), problems),
        "affiliations": check(f"{at}.affiliations", _distinct, affiliations, "affiliation") if affiliations else [],
    }
    if author.get("role") == "editor":
        # Only a non-author role is carried; authors leave the field out (see contracts.Author.role).
        out["role"] = "editor"
    return out


def _s2_id(value: str) -> str | None:
    return _text(value, 100, "s2 id")


def _text(value: str, limit: int, what: str) -> str | None:
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


def _id_text(value: str | int | None) -> str | None:
    """Identifiers may arrive as JSON numbers (PMIDs); treat them as text, and blanks as absent."""
    if isinstance(value, int):
        return str(value)
    if value is not None and not value.strip():
        return None
    return value


def _author_name(value: str) -> str:
    cleaned = _text(value, 500, "name")
    if not cleaned:
        raise ValueError("author name is empty")
    return cleaned


def _orcid(value: str | None, problems: Problems) -> str | None:
    if value is None:
        return None
    try:
        return n.normalise_orcid(value)
    except ValueError as exc:
        # A bad ORCID must not cost the sighting: drop the identifier, keep the author, warn the crawler.
        problems.warnings.append(f"{exc}; dropped")
        return None


def _abstract(value: str) -> str | None:
    cleaned = n.clean_paragraphs(value)
    if len(cleaned) > 100_000:
        raise ValueError("abstract is longer than 100000 characters")
    return cleaned or None


def _kind(value: str) -> str | None:
    if not value.strip():
        return None
    kind = KIND_ALIASES.get(value.strip().lower().replace("_", "-"))
    if kind is None:
        allowed = "preprint, article, proceedings, book, chapter, thesis, dataset, other"
        raise ValueError(f"unknown kind {value!r}; use one of {allowed}")
    return kind


def _published(value: str | int, now: datetime) -> str | None:
    text = _id_text(value)
    if text is None:
        return None
    return n.normalise_published(text, latest_year=now.year + 2)[0]


def _urls(values: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for role, url in values.items():
        key = role.strip().lower()
        if not key.isidentifier() or len(key) > 40:
            raise ValueError(f"url role {role!r} must be a short word such as pdf, code or html")
        out[key] = n.normalise_url(url)
    return dict(sorted(out.items()))  # order carries no meaning; sorted, equal links hash equally


def _source(value: str) -> str:
    source = value.strip().lower()
    if not _SOURCE.match(source):
        raise ValueError("source must be a short lower-case name such as arxiv, openalex or hf_daily_papers")
    return source


def _source_url(value: str) -> str:
    url = n.normalise_url(value)
    if len(url) > 2000:
        raise ValueError("source_url is longer than 2000 characters")
    return url


def _seen_at(value: datetime, now: datetime) -> datetime:
    moment = n.ensure_aware(value)
    if moment > now + CLOCK_SKEW:
        raise ValueError("seen_at is in the future")
    return moment


_IDENTIFIER_RULES: dict[str, Callable[[str], Any]] = {
    "doi": n.normalise_doi,
    "arxiv": n.normalise_arxiv,
    "pmid": n.normalise_pmid,
    "openalex": n.normalise_openalex,
    "dblp": n.normalise_dblp,
    "s2": _s2_id,
}
_NO_IDENTIFIERS: dict[str, Any] = dict.fromkeys(("doi", "arxiv", "arxiv_version", "pmid", "openalex", "dblp", "s2"))
