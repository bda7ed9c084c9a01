"""Pure normalisers for the text, identifiers and dates crawlers send; each raises ValueError with the reason."""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from datetime import date, datetime
from urllib.parse import unquote

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>")
_CONTROL_CHARS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x200B, 0xFEFF])
_HTTP_URL = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?\Z", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"\n\s*\n")

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")
_ARXIV_PREFIX = re.compile(r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"^([0-9]{2})([0-9]{2})\.([0-9]{4,5})(?:v([1-9][0-9]*))?$")
_ARXIV_OLD = re.compile(r"^([a-z]+(?:-[a-z]+)*)(\.[a-z]{2})?/([0-9]{7})(?:v([1-9][0-9]*))?$", re.IGNORECASE | re.ASCII)
_ORCID_PREFIX = re.compile(r"^(?:https?://(?:www\.)?orcid\.org/|orcid:\s*)", re.IGNORECASE)
_ORCID = re.compile(r"^([0-9]{4})-?([0-9]{4})-?([0-9]{4})-?([0-9]{3}[0-9X])$")
_PMID = re.compile(r"^(?:pmid:\s*)?([1-9][0-9]{0,9})$", re.IGNORECASE)
_OPENALEX = re.compile(r"^(?:https?://(?:api\.)?openalex\.org/(?:works/)?)?w([0-9]{1,12})$", re.IGNORECASE)
_DBLP_PREFIX = re.compile(r"^https?://dblp\.(?:org|uni-trier\.de)/rec/", re.IGNORECASE)
_DBLP = re.compile(r"^[a-z]+(?:/[\w.+-]+)+$", re.ASCII)
_PUBLISHED = re.compile(r"^([0-9]{4})(?:[-/]([0-9]{1,2})(?:[-/]([0-9]{1,2}))?)?(?:[T ].*)?$")


def clean_text(raw: str) -> str:
    """Decode HTML entities, drop stray tags and control characters, NFC, and collapse whitespace to one line."""
    # Each step runs only when its cheap C-level test says it can change something: most text needs none.
    text = html.unescape(raw) if "&" in raw else raw
    if "<" in text:
        text = _TAG.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # Printable text holds no control characters and no whitespace but the ASCII space (str.isprintable).
    if text.isprintable():
        return " ".join(text.split()) if "  " in text else text.strip(" ")
    # str.split() splits on exactly the characters the regex \s matches, and is several times faster.
    return " ".join(text.translate(_CONTROL_CHARS).split())


def clean_paragraphs(raw: str) -> str:
    """Like clean_text, but keep blank-line paragraph breaks (abstracts)."""
    if "\n" not in raw and "&" not in raw and "<" not in raw:
        return clean_text(raw)  # one paragraph, and no entity or tag could make a break: the common case
    text = html.unescape(raw).replace("\r\n", "\n")
    if "<" in text:
        text = re.sub(r"</?(p|br|jats:p)\b[^<>]*>", "\n\n", text, flags=re.IGNORECASE)
    paragraphs = (clean_text(p) for p in _PARAGRAPHS.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def normalise_doi(raw: str) -> str:
    """Strip resolver prefixes and URL escapes, lower-case; raise if it is not a DOI."""
    doi = unquote(_DOI_PREFIX.sub("", raw.strip())).strip().rstrip(".,;").lower()
    if not _DOI.match(doi):
        raise ValueError(f"not a DOI (expected 10.NNNN/suffix): {raw!r}")
    return doi


def arxiv_from_doi(doi: str) -> str | None:
    """The arXiv id inside an arXiv DataCite DOI (10.48550/arXiv.2203.06321), else None."""
    match = _ARXIV_DOI.match(doi)
    return match.group(1) if match else None


def normalise_arxiv(raw: str) -> tuple[str, int | None]:
    """Reduce any arXiv id form (URL, 'arXiv:' prefix, version suffix, old style) to (id, version)."""
    text = _ARXIV_PREFIX.sub("", raw.strip())
    text = text.removesuffix(".pdf")
    if match := _ARXIV_NEW.match(text):
        yy, mm, number, version = match.groups()
        if not 1 <= int(mm) <= 12:
            raise ValueError(f"not an arXiv id (month {mm}): {raw!r}")
        # Since 2015 (1501) arXiv numbers have five digits; before, four.
        if (int(yy + mm) >= 1501) != (len(number) == 5):
            raise ValueError(f"not an arXiv id (wrong number of digits for {yy}{mm}): {raw!r}")
        return f"{yy}{mm}.{number}", int(version) if version else None
    if match := _ARXIV_OLD.match(text):
        archive, subject, number, version = match.groups()
        return f"{archive.lower()}{(subject or '').upper()}/{number}", int(version) if version else None
    raise ValueError(f"not an arXiv id: {raw!r}")


def orcid_checksum_ok(digits: str) -> bool:
    """ISO 7064 MOD 11-2 check of a 16-character ORCID (15 digits and a check character)."""
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def normalise_orcid(raw: str) -> str:
    """Canonical ORCID iD (0000-0002-1825-0097); raise when the format or checksum is wrong."""
    text = _ORCID_PREFIX.sub("", raw.strip()).replace(" ", "").upper()
    match = _ORCID.match(text)
    if not match:
        raise ValueError(f"not an ORCID iD: {raw!r}")
    if not orcid_checksum_ok("".join(match.groups())):
        raise ValueError(f"ORCID iD checksum is wrong: {raw!r}")
    return "-".join(match.groups())


def normalise_pmid(raw: str) -> str:
    """A PubMed id: digits only, optional 'PMID:' prefix."""
    match = _PMID.match(raw.strip())
    if not match:
        raise ValueError(f"not a PubMed id: {raw!r}")
    return match.group(1)


def normalise_openalex(raw: str) -> str:
    """An OpenAlex work id (W123...), from the bare id or its URL."""
    match = _OPENALEX.match(raw.strip())
    if not match:
        raise ValueError(f"not an OpenAlex work id: {raw!r}")
    return f"W{match.group(1)}"


def normalise_dblp(raw: str) -> str:
    """A DBLP record key (conf/cvpr/MaZ22), from the key or its dblp.org URL."""
    text = _DBLP_PREFIX.sub("", raw.strip())
    for suffix in (".html", ".bib", ".xml"):
        text = text.removesuffix(suffix)
    if not _DBLP.match(text) or len(text) > 300:
        raise ValueError(f"not a DBLP record key: {raw!r}")
    return text


def normalise_published(raw: str, latest_year: int) -> tuple[str, int]:
    """Partial ISO date ('2022', '2022-03', '2022-03-11', or a timestamp) to (canonical, year)."""
    if len(raw) == 10 and raw[4] == raw[7] == "-" and raw.isascii():
        # The common full date: date.fromisoformat checks it in C (and refuses what the slow path would).
        with contextlib.suppress(ValueError):
            full = date.fromisoformat(raw)
            if 1000 <= full.year <= latest_year:
                return raw, full.year
    match = _PUBLISHED.match(raw.strip())
    if not match:
        raise ValueError(f"not a date (use YYYY, YYYY-MM or YYYY-MM-DD): {raw!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not 1000 <= year <= latest_year:
        raise ValueError(f"year {year} is out of range (1000..{latest_year})")
    if month is None:
        return f"{year:04d}", year
    if day is None:
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is out of range")
        return f"{year:04d}-{month:02d}", year
    try:
        return date(year, month, day).isoformat(), year
    except ValueError as exc:
        raise ValueError(f"not a calendar date: {raw!r}") from exc


def normalise_url(raw: str) -> str:
    """An absolute http(s) URL, trimmed."""
    url = raw.strip()
    if not _HTTP_URL.match(url):
        raise ValueError(f"not an absolute http(s) URL: {raw!r}")
    return url


def ensure_aware(moment: datetime) -> datetime:
    """Refuse timestamps without a timezone rather than guess one."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamp needs a timezone, e.g. 2026-11-21T10:00:00Z")
    return moment
