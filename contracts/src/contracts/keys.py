"""Kafka message keys: the work key that routes every sighting of one paper to one partition."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Protocol

# Letters of every script are kept: dropping non-Latin ones made all Chinese or Greek titles of a year meet.
_NON_WORD = re.compile(r"[\W_]+")
# Latin letters NFKD leaves whole, mapped by hand so "Søren" meets "Soren" as "José" meets "Jose".
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th"}
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: the comparison form of a string."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_UNDECOMPOSED)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


def surname(name: str) -> str:
    """Likely family name: the part before a comma ("Ma, Kaisheng"), else the last word; "Jr." skipped."""
    parts = name.split(",")
    while len(parts) > 1 and fold(parts[-1]).replace(" ", "") in _NAME_SUFFIXES:
        parts.pop()
    if len(parts) > 1:
        return fold(parts[0]).replace(" ", "")
    words = [folded for word in parts[0].split() if (folded := fold(word).replace(" ", ""))]
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def title_key(title: str, year: int | None, first_author: str | None) -> str:
    """Hash of normalised title + year + first author surname, for works with no identifier."""
    basis = "|".join((fold(title), str(year or ""), surname(first_author or "")))
    return "title:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


class KeyIdentifiers(Protocol):
    """The identifiers a work key is made from (contracts.Identifiers has them)."""

    @property
    def doi(self) -> str | None:
        """Normalised DOI."""

    @property
    def arxiv(self) -> str | None:
        """arXiv id without version."""

    @property
    def pmid(self) -> str | None:
        """PubMed id."""

    @property
    def openalex(self) -> str | None:
        """OpenAlex work id."""


def work_key(ids: KeyIdentifiers, title: str | None, year: int | None, first_author: str | None) -> str:
    """The work key: doi, else arxiv (no version), else pmid, else openalex, else a title hash."""
    if ids.doi:
        return f"doi:{ids.doi}"
    if ids.arxiv:
        return f"arxiv:{ids.arxiv}"
    if ids.pmid:
        return f"pmid:{ids.pmid}"
    if ids.openalex:
        return f"openalex:{ids.openalex}"
    if not title:
        raise ValueError("a work with no identifier needs a title for its key")
    return title_key(title, year, first_author)
