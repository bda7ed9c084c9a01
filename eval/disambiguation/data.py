"""The sample data as the service will see it: adapter records through ingest's prepare(), then Mentions per work."""

from __future__ import annotations

import os
import pickle
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ingest.adapters.registry import adapter
from ingest.domain import Crawler, Prepared, prepare
from profiles.disambiguation import Mention
from profiles.topics import classify

REPO = Path(__file__).resolve().parents[2]
SEEN = "2026-11-22T00:00:00+00:00"
NOW = datetime(2026, 11, 22, tzinfo=UTC)
CRAWLER = Crawler(uuid.UUID(int=0), "eval", frozenset({"*"}))
MEDLINE_TAR = "medline_pairs_train.tar.gz"
DBLP_DIR = "dblp_jun_zhang"
CACHE_VERSION = 1
EDITOR = "editor"
# Before authors carried a role, the DBLP adapter marked an edited volume in the comments.
EDITED_COMMENT = "edited volume"


def shared_data() -> Path:
    """SIGHTLINE_SHARED_DATA, else ../shared/data beside the checkout."""
    configured = os.environ.get("SIGHTLINE_SHARED_DATA")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class Work:
    """One canonical work: its key, its sighting's paper (contract fields as plain data) and its source."""

    key: str
    paper: dict[str, Any]
    source: str

    @property
    def year(self) -> int | None:
        """The publication year, when known."""
        year = self.paper.get("year")
        return int(year) if year else None

    @property
    def edited_volume(self) -> bool:
        """True for an edited volume: its 'authors' are editors, which are not authorships."""
        authors = self.paper.get("authors") or []
        comments = self.paper.get("comments") or ""
        return comments.startswith(EDITED_COMMENT) or any(a.get("role") == EDITOR for a in authors)


def mentions(work: Work) -> list[Mention]:
    """The Mentions the service builds for a work: one per author slot (editors are none), co-authors = the others."""
    paper = work.paper
    if work.edited_volume:
        return []
    authors = paper.get("authors") or []
    names = [a["name"] for a in authors]
    count = max(paper.get("author_count") or 0, len(authors))
    keywords = tuple(paper.get("keywords") or ())
    # The service passes the work's taxonomy topics (classified from title, abstract, keywords and venue).
    topics = tuple(
        h.topic_id for h in classify(paper.get("title"), paper.get("abstract"), list(keywords), paper.get("venue"))
    )
    return [
        Mention(
            work_id=work.key,
            position=i,
            name=a["name"],
            family_name=a.get("family_name"),
            given_name=a.get("given_name"),
            orcid=a.get("orcid"),
            affiliations=tuple(a.get("affiliations") or ()),
            coauthors=tuple(names[:i] + names[i + 1 :]),
            author_count=count,
            title=paper.get("title"),
            keywords=keywords,
            topics=topics,
            venue=paper.get("venue"),
            year=paper.get("year"),
            source=work.source,
        )
        for i, a in enumerate(authors)
    ]


def _prepared(records: Iterator[Any], errors: list[str]) -> Iterator[Work]:
    for parsed in records:
        if parsed.sighting is None:
            errors.append(f"{parsed.position}: {parsed.error}")
            continue
        result = prepare(parsed.sighting, CRAWLER, NOW)
        if not isinstance(result, Prepared):
            errors.append(f"{parsed.position}: {result.errors}")
            continue
        yield Work(result.work_key, result.data["paper"], result.data["source"])


@dataclass
class Medline:
    """The MEDLINE pairs: works by PMID, the CSV text, and the records that could not be read."""

    works: dict[str, Work]
    csv: str
    errors: list[str]


@dataclass
class Dblp:
    """The DBLP Jun Zhang files: (person number, work) in file order, and unreadable records."""

    entries: list[tuple[str, Work]]
    errors: list[str]


def _read(stream: IO[bytes], fmt: str, errors: list[str]) -> list[Work]:
    ad = adapter(fmt)
    return list(_prepared(ad.parse(stream, ad.default_source, SEEN), errors))


def load_medline(root: Path) -> Medline:
    """Every article of the tarball through the pubmed adapter and prepare()."""
    works: dict[str, Work] = {}
    errors: list[str] = []
    csv = ""
    with tarfile.open(root / MEDLINE_TAR) as tar:
        for member in tar:
            stream = tar.extractfile(member) if member.isfile() else None
            if stream is None:
                continue
            if member.name.endswith(".csv"):
                csv = stream.read().decode("utf-8", "replace")
                continue
            before = len(errors)
            for work in _read(stream, "pubmed", errors):
                works[work.paper["identifiers"]["pmid"]] = work
            errors[before:] = [f"{member.name}: {e}" for e in errors[before:]]
    return Medline(works, csv, errors)


def load_dblp(root: Path) -> Dblp:
    """The five per-person BibTeX files through the dblp-bib adapter and prepare()."""
    entries: list[tuple[str, Work]] = []
    errors: list[str] = []
    for path in sorted((root / DBLP_DIR).glob("Zhang_*_Jun.bib")):
        person = path.stem.split("_")[1]
        with path.open("rb") as stream:
            entries += [(person, work) for work in _read(stream, "dblp-bib", errors)]
    return Dblp(entries, errors)


def load(root: Path, cache: Path | None) -> tuple[Medline, Dblp]:
    """Both data sets, from a pickle cache when one of the same version exists (parsing takes a while)."""
    if cache and cache.is_file():
        with cache.open("rb") as f:
            version, medline, dblp = pickle.load(f)
        if version == CACHE_VERSION:
            return medline, dblp
    medline, dblp = load_medline(root), load_dblp(root)
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as f:
            pickle.dump((CACHE_VERSION, medline, dblp), f)
    return medline, dblp
