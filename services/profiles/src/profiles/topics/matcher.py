"""One precompiled matcher over every term: folded words in, the longest term at each position out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from profiles.topics.text import ascii_words, raw_words, singular, words

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
    tail: list[str]  # the words after the first two
    size: int
    term: int
    acronym: bool


@dataclass(frozen=True)
class _Start:
    """The terms starting with one word: one-word terms, and longer ones by their second word (longest first)."""

    single: list[_Entry]
    longer: dict[str, list[_Entry]]


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
        self._first: dict[str, _Start] = {}
        for (key, acronym), index in sorted(spellings.items()):
            start = self._first.setdefault(key[0], _Start([], {}))
            entry = _Entry(list(key[2:]), len(key), index, acronym)
            (start.single if len(key) == 1 else start.longer.setdefault(key[1], [])).append(entry)
        for start in self._first.values():
            # Longest first; at equal length the acronym (the stricter match) before the word.
            start.single.sort(key=lambda entry: (not entry.acronym, entry.term))
            for entries in start.longer.values():
                entries.sort(key=lambda entry: (-entry.size, not entry.acronym, entry.term))
        self._starts = frozenset(self._first)
        self._stems: dict[str, str] = {}

    def stems(self, text: str) -> tuple[list[str], list[str]]:
        """The words of the text as written and folded to lower-case singulars."""
        raw = ascii_words(text)
        if raw is not None:
            stems = self._lookup(raw)
            # "" marks a word mixing letters and digits ("3D", "CO2"): the regular expression splits those.
            if "" not in stems:
                return raw, stems
        raw = raw_words(text)
        return raw, self._lookup(raw)

    def _lookup(self, raw: list[str]) -> list[str]:
        cache = self._stems
        stems = list(map(cache.get, raw))
        if None in stems:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            for word in raw:
                if word not in cache:
                    cache[word] = singular(word.lower()) if word.isalpha() or word.isdigit() else ""
            stems = list(map(cache.get, raw))
        return stems  # type: ignore[return-value]  # every word is in the cache now

    def find(self, text: str) -> list[int]:
        """The indexes of the terms found in the text, one per occurrence, leftmost-longest without overlaps."""
        raw, stems = self.stems(text)
        starts = self._starts.intersection(stems)
        if not starts:
            return []
        found: list[int] = []
        first, end, free = self._first, len(stems), 0
        for position in [position for position, stem in enumerate(stems) if stem in starts]:
            if position < free:
                continue
            entry = self._match(first[stems[position]], raw, stems, position, end)
            if entry is not None:
                found.append(entry.term)
                free = position + entry.size
        return found

    @staticmethod
    def _match(start: _Start, raw: list[str], stems: list[str], position: int, end: int) -> _Entry | None:
        if position + 1 < end:
            for entry in start.longer.get(stems[position + 1], ()):
                after = position + entry.size
                if after <= end and stems[position + 2 : after] == entry.tail:
                    if entry.acronym and not _upper(raw[position]):
                        continue
                    return entry
        for entry in start.single:
            if not entry.acronym or _upper(raw[position]):
                return entry
        return None


def _upper(word: str) -> bool:
    # "GANs" is the plural of the acronym "GAN"; "Gan" and "gan" are not the acronym.
    return word.isupper() or (len(word) > 2 and word[-1] == "s" and word[:-1].isupper())
