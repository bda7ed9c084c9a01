"""Kafka message keys: the work key that routes every sighting of one paper to one partition."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from contracts.paper_seen import Identifiers

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: the comparison form of a string."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped.casefold()).strip()


def surname(name: str) -> str:
    """Best-effort family name: the part before a comma ("Ma, Kaisheng"), else the last word."""
    if "," in name:
        head = name.split(",", 1)[0]
    else:
        words = name.split()
        head = words[-1] if words else ""
    return fold(head).replace(" ", "")


def title_key(title: str, year: int | None, first_author: str | None) -> str:
    """Hash of normalised title + year + first author surname, for works with no identifier."""
    basis = "|".join((fold(title), str(year or ""), surname(first_author or "")))
    return "title:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def work_key(ids: Identifiers, title: str, year: int | None, first_author: str | None) -> str:
    """The work key: doi, else arxiv (no version), else pmid, else openalex, else a title hash."""
    if ids.doi:
        return f"doi:{ids.doi}"
    if ids.arxiv:
        return f"arxiv:{ids.arxiv}"
    if ids.pmid:
        return f"pmid:{ids.pmid}"
    if ids.openalex:
        return f"openalex:{ids.openalex}"
    return title_key(title, year, first_author)
