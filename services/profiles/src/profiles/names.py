"""Person names to comparable keys: folding, family/given split, initials, particles, CJK order, block keys."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text block, for word lists written as prose."""
    return frozenset(text.split())


Reading = tuple[str, tuple[str, ...]]
"""One way to read a name: (folded family key, folded given parts; a one-letter part is an initial)."""

_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
    }
)
PARTICLES = word_set(
    """
    de da di do del della der den des du dos das van von le la lo ten ter te st al el bin ibn ben abu mac
    """
)
SUFFIXES = word_set("jr sr ii iii iv 2nd 3rd")
# Latin-script family names of China, Korea, Japan and Vietnam: these are often printed family-first.
EAST_ASIAN_FAMILIES = word_set(
    """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
    han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye cheng wei su lu ding ren shen yao
    zhong cui tan fan liao shi jin jia xia fu fang zou xiong bai meng qin qiu hou yin xue yan duan lei long shao
    qian tao mo kong gu mao hao gong wan qiao lai an chang ou ouyang situ zhu kang bao mu niu ning dai fei ji ni
    qi rao sha shu tong xing zhan zhuang chan wong cheung leung lau ng chow ho lam tsang kwok yip tse lui kim
    lee park choi jung jeong kang cho yoon jang lim oh seo shin kwon hwang ahn yoo hong jeon ko moon son bae
    baek heo nam sim noh ha kwak sung cha joo woo koo min ryu na chae won cheon bang hyun sato suzuki takahashi
    tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi matsumoto inoue kimura
    hayashi shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada
    hasegawa murakami kondo ishii saito sakamoto endo aoki fujii nishimura fukuda ota miura fujiwara okamoto
    matsuda nakagawa nguyen tran le pham hoang phan vu dang bui ngo duong
    """
)
# Romanised Chinese/Korean/Japanese given names are runs of such syllables ("xiaoming", "jihoon", "taro").
_EAST_ASIAN_GIVEN = re.compile(
    r"(?:(?:zh|ch|sh|ts|kk|tt|pp|ss|jj|[bpmfdtnlgkhjqxrzcsyw])?[aeiou]{1,3}(?:ng|[nmrkpt])?)+"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CJK_COMPOUND_FAMILIES = word_set(
    """
    欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 夏侯 令狐 歐陽 司馬 諸葛 東方 남궁 황보 제갈 선우 독고
    """
)
_TOKENS = re.compile(r"[^\s,]+")
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name read every plausible way; readings[0] is the most likely, later ones come from ambiguity."""

    readings: tuple[Reading, ...]
    initials_only: bool  # no full given name in the primary reading (initials, or no given name at all)
    cjk: bool

    @property
    def family(self) -> str:
        """The folded family key of the primary reading."""
        return self.readings[0][0]

    @property
    def given(self) -> tuple[str, ...]:
        """The folded given parts of the primary reading."""
        return self.readings[0][1]

    @property
    def order_ambiguous(self) -> bool:
        """True when the name may also be read with family and given swapped or split differently."""
        return len(self.readings) > 1


def fold(text: str) -> str:
    """Lower case without diacritics; ø, ł, ß and the like spelled in ASCII."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalpha())


def _is_initials(token: str, shouting: bool) -> bool:
    """'J.', 'J.H.', 'J', and 'JH' in all caps; in an all-caps name only vowel-less runs ('JH', not 'JUN')."""
    bare = token.replace(".", "").replace("-", "")
    if not bare:
        return False
    if len(bare) == 1 or "." in token:
        return True
    if bare.isupper() and len(bare) <= 3:
        return not shouting or not (_VOWELS & set(bare.lower()))
    return False


def _given_parts(tokens: list[str], shouting: bool) -> tuple[str, ...]:
    parts: list[str] = []
    for token in tokens:
        if _is_initials(token, shouting):
            parts += [c for c in fold(token) if c.isalpha()]
            continue
        # 'Jean-Pierre' is two given names; 'J.-P.' is caught above as two initials.
        parts += [p for p in (_letters(piece) for piece in token.split("-")) if p]
    return tuple(parts)


def _without_suffixes(tokens: list[str]) -> list[str]:
    kept = list(tokens)
    while len(kept) > 1 and fold(kept[-1]).strip(".") in SUFFIXES:
        kept.pop()
    return [t for t in kept if fold(t).strip(".") not in SUFFIXES] or kept


def _family_readings(family_tokens: list[str], given: tuple[str, ...]) -> list[Reading]:
    """The joined family key, then without leading particles, then a compound's last part (Gens Barberà)."""
    readings: list[Reading] = [("".join(_letters(t) for t in family_tokens), given)]
    words = [t for part in family_tokens for t in part.split("-") if _letters(t)]
    start = 0
    while start < len(words) - 1 and fold(words[start]) in PARTICLES:
        start += 1
    if start > 0:
        readings.append(("".join(_letters(t) for t in words[start:]), given))
    elif len(family_tokens) > 1:
        leading = tuple(_letters(t) for t in family_tokens[:-1])
        readings.append((_letters(family_tokens[-1]), given + leading))
    return [r for r in readings if r[0]]


def _cjk_reading(name: str, family_name: str | None, given_name: str | None) -> Reading:
    compact = "".join(name.split())
    if family_name:
        family = "".join(family_name.split())
        given = "".join((given_name or compact.replace(family, "", 1)).split())
        return family, (given,) if given else ()
    if " " in name.strip():
        first, _, rest = name.strip().partition(" ")
        return first, (("".join(rest.split()),) if rest.strip() else ())
    if compact[:2] in _CJK_COMPOUND_FAMILIES and len(compact) >= 3:
        cut = 2
    elif _HANGUL.search(compact):
        cut = 1
    elif _KANA.search(compact) or len(compact) >= 4:
        cut = 2  # Japanese family names are mostly two kanji; four-character Chinese names are mostly 2 + 2
    else:
        cut = 1
    return compact[:cut], ((compact[cut:],) if compact[cut:] else ())


def _structured(name: str, family_name: str, given_name: str | None) -> list[Reading]:
    shouting = (family_name + (given_name or "")).isupper()
    if given_name is None:
        pattern = re.escape(family_name.strip())
        rest = re.sub(pattern, " ", name, count=1, flags=re.IGNORECASE)
        given_name = rest if rest != name else ""
    given = _given_parts(_without_suffixes(_TOKENS.findall(given_name)), shouting)
    return _family_readings(family_name.split(), given)


def _unstructured(name: str) -> list[Reading]:
    shouting = name.isupper()
    if "," in name:
        family_text, _, given_text = name.partition(",")
        given_tokens = _without_suffixes(_TOKENS.findall(given_text))
        return _family_readings(family_text.split(), _given_parts(given_tokens, shouting))
    tokens = _without_suffixes(_TOKENS.findall(name))
    if not tokens:
        return []
    initial = [_is_initials(t, shouting) for t in tokens]
    full = [i for i, is_initial in enumerate(initial) if not is_initial]
    if not full:
        return [(_letters(tokens[-1]), _given_parts(tokens[:-1], shouting))]
    if initial[-1]:
        # MEDLINE style 'Smith JA' / 'de Barbaro L' (and odd 'I Ambats I'): the full words are the family name.
        first, last_full = full[0], full[-1] + 1
        given_tokens = tokens[:first] + tokens[last_full:]
        return _family_readings(tokens[first:last_full], _given_parts(given_tokens, shouting))
    last = len(tokens) - 1
    start = last
    # start > 1: a leading particle-looking word with nothing before it is a given name ('Da Han').
    while start > 1 and fold(tokens[start - 1]) in PARTICLES:
        start -= 1
    readings = _family_readings(tokens[start:], _given_parts(tokens[:start], shouting))
    head = fold(tokens[0])
    rest = [_letters(t) for t in tokens[1:]]
    if head in EAST_ASIAN_FAMILIES and len(tokens) <= 4 and all(r and _EAST_ASIAN_GIVEN.fullmatch(r) for r in rest):
        swapped: Reading = (_letters(tokens[0]), _given_parts(tokens[1:], shouting))
        # 'Zhang Jun' printed family-first: prefer the reading whose family is an East Asian family name.
        if fold(tokens[-1]) in EAST_ASIAN_FAMILIES and readings[0][0] < swapped[0]:
            readings.append(swapped)
        else:
            readings.insert(0, swapped)
    return readings


@lru_cache(maxsize=131_072)
def parse_name(name: str, family_name: str | None = None, given_name: str | None = None) -> ParsedName:
    """Every plausible reading of a name; the structured family/given fields win over guessing from `name`."""
    text = " ".join(name.split())
    if _CJK.search(family_name or text):
        reading = _cjk_reading(text, family_name, given_name)
        return ParsedName((reading,), initials_only=False, cjk=True)
    readings = _structured(text, family_name, given_name) if family_name else _unstructured(text)
    readings = list(dict.fromkeys(readings)) or [("", ())]
    given = readings[0][1]
    return ParsedName(tuple(readings), initials_only=all(len(g) == 1 for g in given), cjk=False)


def reading_key(reading: Reading) -> str:
    """'zhang|j': folded family and first given initial ('' when there is no given name)."""
    family, given = reading
    return f"{family}|{given[0][0] if given else ''}"


def block_keys(parsed: ParsedName) -> tuple[str, ...]:
    """Every key the name is indexed under, primary first."""
    return tuple(dict.fromkeys(reading_key(r) for r in parsed.readings if r[0]))


def full_key(parsed: ParsedName) -> str | None:
    """'zhang|jun': family and full first given name, None when the first given part is only an initial."""
    given = parsed.given
    return f"{parsed.family}|{given[0]}" if given and len(given[0]) > 1 else None


@lru_cache(maxsize=131_072)
def coauthor_key(name: str) -> str:
    """The primary block key of a co-author's printed name: how co-authors are compared across works."""
    return reading_key(parse_name(name).readings[0])


@lru_cache(maxsize=131_072)
def coauthor_keys(name: str) -> tuple[str, str | None]:
    """A co-author's initial key ('wang|y') and full key ('wang|yong', None when only initials are printed)."""
    parsed = parse_name(name)
    reading = parsed.readings[0]
    given = reading[1]
    full = f"{reading[0]}|{given[0]}" if given and len(given[0]) > 1 else None
    return reading_key(reading), full


def is_full_key(key: str) -> bool:
    """True for a family|full-given-name key, False for a family|initial key."""
    return len(key) - key.find("|") > 2


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Position by position: full names equal, an initial matches the first letter; 'Xiao Ming' ~ 'Xiaoming'."""
    for x, y in zip(a, b, strict=False):
        if len(x) > 1 and len(y) > 1:
            if x != y:
                break
        elif x[0] != y[0]:
            return False
    else:
        return True
    return "".join(p for p in a if len(p) > 1) == "".join(p for p in b if len(p) > 1) and a[0][0] == b[0][0]


def compatible(a: ParsedName, b: ParsedName) -> bool:
    """Some reading of each name has the same family and compatible given names."""
    return any(fa == fb and given_compatible(ga, gb) for fa, ga in a.readings for fb, gb in b.readings)


def variant(parsed: ParsedName) -> str:
    """A compact, reversible text form of a parsed name ('zhang:jun h/jun:zhang'), for storing name variants."""
    text = "/".join(f"{family}:{' '.join(given)}" for family, given in parsed.readings)
    return f"#{text}" if parsed.cjk else text


@lru_cache(maxsize=65_536)
def from_variant(text: str) -> ParsedName:
    """The parsed name a `variant` string stands for."""
    cjk = text.startswith("#")
    readings: list[Reading] = []
    for part in text.lstrip("#").split("/"):
        family, _, given = part.partition(":")
        readings.append((family, tuple(given.split())))
    given0 = readings[0][1]
    return ParsedName(tuple(readings), initials_only=not cjk and all(len(g) == 1 for g in given0), cjk=cjk)
