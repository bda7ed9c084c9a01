"""One precompiled matcher over every term: folded words in, the longest term at each position out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from profiles.topics.text import raw_words, singular, words

_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Posting:
    """A term's weight towards one topic (by its index in the taxonomy)."""

    topic: int
    weight: float


@dataclass(frozen=True)
class Term:
    """A term as the taxonomy writes it, and the topics it counts towards."""

    text: str
    postings: tuple[Posting, ...]


@dataclass(frozen=True)
class _Entry:
    rest: tuple[str, ...]
    term: int
    acronym: bool


def _is_acronym(text: str) -> bool:
    return text.upper() == text and any(char.isalpha() for char in text)


class Matcher:
    """Finds taxonomy terms in text: folded, plural-insensitive, hyphen/space-insensitive, longest match first."""

    def __init__(self, terms: Iterable[tuple[str, int, float]]) -> None:
        """Compile (term text, topic index, weight) triples; a term in upper case ("GAN") only matches upper case."""
        # Spellings that fold alike ("GPUs", "GPU") are one term; an acronym and a word ("ARM", "arm") are two.
        grouped: dict[tuple[tuple[str, ...], bool], tuple[str, list[Posting]]] = {}
        for text, topic, weight in terms:
            key = tuple(singular(word) for word in words(text))
            if not key:
                raise ValueError(f"taxonomy: term {text!r} has no words")
            shown, postings = grouped.setdefault((key, _is_acronym(text)), (text, []))
            grouped[(key, _is_acronym(text))] = (min(shown, text), [*postings, Posting(topic, weight)])
        ordered = sorted(grouped.items(), key=lambda item: (item[1][0], item[0]))
        self.terms: tuple[Term, ...] = tuple(Term(text, tuple(postings)) for _, (text, postings) in ordered)
        spellings: dict[tuple[tuple[str, ...], bool], int] = {key: index for index, (key, _) in enumerate(ordered)}
        # "data set" also matches "dataset", "self-supervised" also "selfsupervised", unless that is a term itself.
        for index, ((_, acronym), (text, _)) in enumerate(ordered):
            folded = words(text)
            if 2 <= len(folded) <= 3 and not acronym:
                spellings.setdefault(((singular("".join(folded)),), False), index)
        self._first: dict[str, list[_Entry]] = {}
        for (key, acronym), index in sorted(spellings.items()):
            self._first.setdefault(key[0], []).append(_Entry(key[1:], index, acronym))
        for entries in self._first.values():
            # Longest first; at equal length the acronym (the stricter match) before the word.
            entries.sort(key=lambda entry: (-len(entry.rest), not entry.acronym, entry.term))
        self._stems: dict[str, str] = {}

    def stems(self, text: str) -> tuple[list[str], list[str]]:
        """The words of the text as written and folded to lower-case singulars."""
        raw = raw_words(text)
        cache = self._stems
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        stems = []
        for word in raw:
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = singular(word.lower())
            stems.append(stem)
        return raw, stems

    def find(self, text: str) -> list[int]:
        """The indexes of the terms found in the text, one per occurrence, leftmost-longest without overlaps."""
        raw, stems = self.stems(text)
        found: list[int] = []
        first = self._first
        position, end = 0, len(stems)
        while position < end:
            entries = first.get(stems[position])
            step = 1
            if entries is not None:
                for entry in entries:
                    size = len(entry.rest)
                    if size and tuple(stems[position + 1 : position + 1 + size]) != entry.rest:
                        continue
                    if entry.acronym and not _upper(raw[position]):
                        continue
                    found.append(entry.term)
                    step = size + 1
                    break
            position += step
        return found


def _upper(word: str) -> bool:
    # "GANs" is the plural of the acronym "GAN"; "Gan" and "gan" are not the acronym.
    return word.isupper() or (len(word) > 2 and word[-1] == "s" and word[:-1].isupper())
