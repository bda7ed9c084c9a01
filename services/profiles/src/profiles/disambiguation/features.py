"""What the engine reads from one mention (name keys, co-authors, topic/affiliation/venue terms) and counts of it."""

from __future__ import annotations

import re
import weakref
import zlib
from dataclasses import dataclass
from functools import lru_cache

from profiles.disambiguation.model import Mention, stats_terms
from profiles.names import ParsedName, block_keys, coauthor_keys, fold, full_key, parse_name, variant, word_set

# Past this many authors a shared co-author says nothing: consortium papers share every name.
MAX_COAUTHOR_TEAM = 50
MAX_TOPIC_TERMS = 40
MAX_AFFILIATION_TERMS = 30
MAX_SUBJECTS = 10
# The stats kinds: name keys, family names and affiliations count per mention; topics, subjects, venues and WORK
# once per work (from position 0).
NAME, FULL, FAMILY, TOPIC, AFFILIATION, VENUE, WORK = "name", "full", "family", "topic", "aff", "venue", "work"
SUBJECT = "subject"
WORK_TERM = "*"
# Counted once per distinct value, not per mention (`distinct_terms`): under a family name, the distinct full first
# given names (GIVENS) and the distinct first initials (INITIALS); under WORK_TERM, the distinct (family, first given
# name) and (family, initial) pairs of the corpus. How many people share a family name, which a prolific author's
# mention count is not.
GIVENS, INITIALS = "givens", "initials"

_WORD = re.compile(r"[a-z][a-z0-9]+")
_AFF_WORD = re.compile(r"[a-z]{3,}")
_DIGITS = re.compile(r"\d+")
_VENUE_NOISE = re.compile(
    r"\b(?:proceedings|proc|of|the|international|intl|conference|conf|on|and|in|ieee|acm|annual|workshop|symposium"
    r"|journal|j|th|st|nd|rd|part|vol|volume|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february"
    r"|march|april|june|july|august|september|october|november|december)\b"
)
# Proceedings titles go on with the place and the dates ('... GECCO Dublin Ireland'): the first words name it.
VENUE_WORDS = 4
_STOP = word_set(
    """
    a an and are as at be by for from has have in into is it its of on or that the their this to was were with
    we our using use used via based study studies new case analysis effect effects role between during after
    among two three patients patient results method methods approach towards toward under over non versus vs
    report through within without not can than more less high low level levels novel its what how does do when
    which
    """
)
_AFF_STOP = word_set(
    """
    department dept university univ universidad universite universitat of the and for in de del della des der
    institute institut instituto school faculty division laboratory lab laboratories center centre college
    hospital research medical medicine sciences science usa china japan email electronic address key state
    national unit group program street road city district province avenue building floor room general clinic
    clinical graduate engineering technology
    """
)


@dataclass(frozen=True, slots=True)
class MentionFeatures:
    """The parsed evidence of one mention, computed once and shared by assign and absorb."""

    parsed: ParsedName
    variant: str
    keys: tuple[str, ...]
    full_key: str | None
    orcid: str | None
    work_hash: int
    coauthors: tuple[tuple[str, str | None], ...]  # (initial key, full key or None) per distinct co-author
    topic: tuple[str, ...]
    affiliation: tuple[str, ...]
    venue: str | None
    venue_words: frozenset[str]  # the venue name's words, also among the topic terms
    subjects: tuple[str, ...]  # the work's taxonomy topic ids, kept whole: 'control-theory' is not two title words
    year: int | None


def work_hash(work_id: str) -> int:
    """A 32-bit fingerprint of a work id: what profiles keep for the one-slot-per-work rule."""
    return zlib.crc32(work_id.encode())


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=8_192)
def topic_terms(title: str | None, keywords: tuple[str, ...]) -> tuple[str, ...]:
    """Distinct content words of the title and keywords, stemmed lightly."""
    words: dict[str, None] = {}
    for text in (title or "", *keywords):
        for word in _WORD.findall(fold(text)):
            if len(word) >= 3 and word not in _STOP and not word.isdigit():
                words[_stem(word)] = None
    return tuple(words)[:MAX_TOPIC_TERMS]


@lru_cache(maxsize=16_384)
def affiliation_terms(affiliations: tuple[str, ...]) -> tuple[str, ...]:
    """Distinct distinctive words of the affiliation strings (generic words such as 'university' dropped)."""
    words = dict.fromkeys(w for a in affiliations for w in _AFF_WORD.findall(fold(a)) if w not in _AFF_STOP)
    return tuple(words)[:MAX_AFFILIATION_TERMS]


@lru_cache(maxsize=8_192)
def venue_key(venue: str | None) -> str | None:
    """A venue without years, editions and filler words, so that yearly proceedings and journals match."""
    if not venue:
        return None
    words = _WORD.findall(_VENUE_NOISE.sub(" ", _DIGITS.sub(" ", fold(venue))))
    return " ".join(words[:VENUE_WORDS])[:60] or None


def _coauthor_keys(mention: Mention, own: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    if max(mention.author_count, len(mention.coauthors) + 1) > MAX_COAUTHOR_TEAM:
        return ()
    keys = dict.fromkeys(coauthor_keys(name) for name in mention.coauthors)
    return tuple(k for k in keys if k[0] not in own)


_RECENT: dict[int, tuple[weakref.ref[Mention], MentionFeatures]] = {}
# Enough for every slot of a consortium paper: the service counts all of a work's mentions before assigning them.
_RECENT_LIMIT = 16_384


def features(mention: Mention) -> MentionFeatures:
    """The mention's evidence, cached by identity: the service counts, assigns and absorbs the same object, and
    hashing a Mention of a consortium paper (thousands of co-author names) would cost more than parsing it."""
    entry = _RECENT.get(id(mention))
    if entry is not None and entry[0]() is mention:
        return entry[1]
    found = _features(mention)
    if len(_RECENT) >= _RECENT_LIMIT:
        del _RECENT[next(iter(_RECENT))]
    # A weak reference: the cache keeps no mention alive, and a reused id cannot match a dead reference.
    _RECENT[id(mention)] = (weakref.ref(mention), found)
    return found


def _with_venue_words(topic: tuple[str, ...], venue: str | None) -> tuple[str, ...]:
    """The venue's name words are topical too ('oncology', 'knowledge data engineering'); its dates and places,
    dropped by venue_key, are not."""
    return tuple(dict.fromkeys((*topic, *venue.split()))) if venue else topic


def _features(mention: Mention) -> MentionFeatures:
    parsed = parse_name(mention.name, mention.family_name, mention.given_name)
    venue = venue_key(mention.venue)
    keys = block_keys(parsed)
    return MentionFeatures(
        parsed=parsed,
        variant=variant(parsed),
        keys=keys,
        full_key=full_key(parsed),
        orcid=mention.orcid,
        work_hash=work_hash(mention.work_id),
        coauthors=_coauthor_keys(mention, keys),
        topic=_with_venue_words(topic_terms(mention.title, mention.keywords), venue),
        affiliation=affiliation_terms(mention.affiliations),
        venue=venue,
        venue_words=frozenset(venue.split()) if venue else frozenset(),
        subjects=tuple(dict.fromkeys(mention.topics))[:MAX_SUBJECTS],
        year=mention.year,
    )


def mention_terms(mention: Mention) -> list[tuple[str, str]]:
    """The (kind, term) pairs the service counts for one mention, so that CorpusStats.frequency answers.

    Names and affiliations count per mention. Topic words, subjects, the venue and the work itself count once per work,
    from the slot at position 0 (the service must count every slot it builds a Mention for, slot 0 included).
    """
    found = features(mention)
    terms: list[tuple[str, str]] = [(NAME, found.keys[0]), (FAMILY, found.parsed.family)] if found.keys else []
    if found.full_key:
        terms.append((FULL, found.full_key))
    terms += [(AFFILIATION, term) for term in found.affiliation]
    if mention.position == 0:
        terms.append((WORK, WORK_TERM))
        terms += [(TOPIC, term) for term in found.topic]
        terms += [(SUBJECT, subject) for subject in found.subjects]
        if found.venue:
            terms.append((VENUE, found.venue))
    return stats_terms(terms)


def distinct_terms(mention: Mention) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """(marker, counted) pairs: count `counted` once when the mention is the first to bring `marker`.

    The markers are the mention's own name terms (`mention_terms` counts them per mention): a first `full`
    'smith|john' counts one more given name for 'smith' and one more (family, given name) pair in the corpus; a
    first `name` 'smith|j' the same for initials. Apply it before counting the mention's `mention_terms`.
    """
    found = features(mention)
    if not found.keys or not found.parsed.given:
        return []
    family, initial = found.parsed.family, found.keys[0]
    pairs = [((NAME, initial), (INITIALS, family)), ((NAME, initial), (INITIALS, WORK_TERM))]
    if found.full_key:
        pairs += [((FULL, found.full_key), (GIVENS, family)), ((FULL, found.full_key), (GIVENS, WORK_TERM))]
    return pairs
