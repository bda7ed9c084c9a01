"""One precompiled matcher over every term: the text folded once, then one regular expression over a trie of terms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from profiles.topics.text import fold_word, plain, singular, words

_CACHE_LIMIT = 200_000
_SPLIT = bytes(code if chr(code).isalnum() else 0x20 for code in range(128)) + b" " * 128  # ASCII letters and digits
_MAYBE_UPPER = "~"  # in a trie key: the word may be in upper case in the text, or not
_REGEX = {_MAYBE_UPPER: "!?", "+": r"\+"}
_Trie = dict[str, "_Trie"]  # "" marks the end of a term


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
        # The folded text marks the words a term starts with ("+"), where a match may start, and the upper case words
        # an acronym starts with ("!"), where the case matters. Found text → term: "+gan!" is the acronym "GAN".
        self._starts = frozenset(key[0] for key, _ in spellings)
        self._acronym_starts = frozenset(key[0] for key, acronym in spellings if acronym)
        self._terms: dict[str, int] = {}
        trie: _Trie = {}
        # Acronyms last: for "+gan!" (equal words) the acronym wins.
        for (key, acronym), index in sorted(spellings.items(), key=lambda item: item[0][1]):
            first, rest = self._word(key[0], False), [self._word(word, False) for word in key[1:]]
            tail = "".join(f" {marked}{self._either(word)}" for marked, word in zip(rest, key[1:], strict=True))
            if key[0] in self._acronym_starts:  # "+word!" leads to every term starting with the word, acronym or not
                self._terms[" ".join((f"{first}!", *rest))] = index
                _insert(trie, f"{first}!{tail}")
            if not acronym:
                self._terms[" ".join((first, *rest))] = index
                _insert(trie, f"{first}{self._either(key[0])}{tail}")
        self._pattern = re.compile(f" ({_regex(trie)})(?= )")
        self._folded: dict[bytes, str] = {}

    def _either(self, stem: str) -> str:
        return _MAYBE_UPPER if stem in self._acronym_starts else ""

    def _word(self, stem: str, upper: bool) -> str:
        start = "+" if stem in self._starts else ""
        return f"{start}{stem}!" if upper and stem in self._acronym_starts else start + stem

    def fold(self, text: str) -> str:
        """The text's folded words, each after a space and marked for matching: " +gan! for +face "."""
        folded = self._folded
        parts = plain(text).encode("ascii", "replace").translate(_SPLIT).split()
        try:
            return "".join(map(folded.__getitem__, parts)) + " "
        except KeyError:  # a word seen for the first time
            if len(folded) > _CACHE_LIMIT:
                folded.clear()
            for part in parts:
                if part not in folded:
                    folded[part] = "".join(f" {self._word(stem, upper)}" for stem, upper in fold_word(part.decode()))
            return "".join(map(folded.__getitem__, parts)) + " "

    def find(self, text: str) -> list[int]:
        """The indexes of the terms found in the text, one per occurrence, leftmost-longest without overlaps."""
        found = self._pattern.findall(self.fold(text))
        try:
            return list(map(self._terms.__getitem__, found))
        except KeyError:  # only the first word's case matters: "+neural network!" is "+neural network"
            return [self._terms[_unmark(text)] for text in found]


def _unmark(found: str) -> str:
    first, space, rest = found.partition(" ")
    return first + space + rest.replace("!", "")


def _insert(trie: _Trie, key: str) -> None:
    node = trie
    for char in key:
        node = node.setdefault(char, {})
    node[""] = {}


def _regex(node: _Trie) -> str:
    """A trie as a regular expression trying longer terms first; "!" sorts before "~", its superset goes first."""
    branches = [_REGEX.get(char, char) + _regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" not in node:
        return pattern
    return f"(?:{pattern})?" if len(branches) == 1 else f"{pattern}?"
