"""Cleaning shared by adapters: LaTeX to Unicode, mojibake repair, entity decoding, whitespace."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import ftfy
from ftfy.badness import is_bad

from ingest.adapters import latex
from ingest.adapters.base import Parsed
from ingest.limits import MAX_AUTHORS
from ingest.normalise import normalise_url

# Characters none of ftfy's per-character fixes touch (ligatures, widths, curly quotes, line and paragraph
# separators, control characters; '&' starts an entity): ASCII, Latin, IPA, Greek, Cyrillic, punctuation,
# super- and subscripts, letterlike symbols, arrows, mathematical operators and alphanumerics.
_FTFY_INERT = re.compile(
    "[\t\n\x20-\x25\x27-\x7e\xa0-\u0131\u0134-\u0148\u014a-\u01c3\u01cd-\u01f0\u01f4-\u02bb\u02bd-\u04ff"
    "\u1e00-\u1eff\u2010-\u2017\u2020-\u2027\u202a-\u205e\u2070-\u20cf\u2100-\u23ff\u25a0-\u25ff"
    "\u27c0-\u27ff\u2900-\u2aff\U0001d400-\U0001d7ff]*\\Z"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_MOJIBAKE_REACH = 8
_MOJIBAKE_AT_LINE_START = re.compile("\n[\u00c3\u00c2] ")  # ftfy's '^[ÃÂ][ ]', per line


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace as one space and none at the ends (" ".join(text.split())), quicker on prose.

    Most abstracts differ from one line only in their line breaks: replacing those is one C pass, where split
    builds a string per word. str.isprintable is False for every whitespace character but the ASCII space.
    """
    flat = text.strip().replace("\n", " ")
    if "  " not in flat and flat.isprintable():
        return flat
    return " ".join(flat.split())


def fix_text(text: str) -> str:
    """Repair mojibake ('Ã©' -> 'é'), decode HTML entities, collapse whitespace."""
    text = html.unescape(text)
    if text.isascii() or ftfy_keeps(text):
        return collapse_whitespace(text)  # mojibake needs non-ASCII: skip slow ftfy
    return collapse_whitespace(ftfy.fix_text(text))


def ftfy_keeps(text: str, *, repair_encoding: bool = True) -> bool:
    """True when ftfy.fix_text would return the text unchanged: only inert characters, NFC, and no mojibake.

    Told in a few regex passes; ftfy itself spends hundreds of µs on an abstract holding one Greek letter.
    Without `repair_encoding` (ftfy's fix_encoding off) mojibake is not looked for.
    """
    if not (_FTFY_INERT.match(text) and unicodedata.is_normalized("NFC", text)):
        return False
    return not (repair_encoding and looks_like_mojibake(text))


def looks_like_mojibake(text: str) -> bool:
    """ftfy's is_bad, asked only of the stretches around non-ASCII characters.

    Every one of its patterns needs a non-ASCII character and spans at most _MOJIBAKE_REACH characters, so a
    match in the text is a match in a stretch. A stretch may match where the text would not (its '^' anchors
    at the stretch's start): that only sends the text to ftfy, which decides. ftfy fixes line by line, so its
    one anchored pattern also applies at each line's start.
    """
    if _MOJIBAKE_AT_LINE_START.search(text):
        return True
    stretch_start, stretch_end = 0, -1
    for run in _NON_ASCII.finditer(text):
        start, end = max(run.start() - _MOJIBAKE_REACH, 0), run.end() + _MOJIBAKE_REACH
        if start > stretch_end:
            if stretch_end >= 0 and is_bad(text[stretch_start:stretch_end]):
                return True
            stretch_start = start
        stretch_end = end
    return stretch_end >= 0 and is_bad(text[stretch_start:stretch_end])


def latex_to_text(text: str) -> str:
    """Render LaTeX markup to plain Unicode ("{\\&}" -> "&", "\\'a" -> "á", "$^2$" -> "^2"); plain text passes."""
    if not has_latex(text):
        return fix_text(text)
    return fix_text(latex.to_text(text))


_BARE_URL = re.compile(r"https?://[^\s{}<>\"'\\]+")
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&])")
_URL_SLOT = re.compile(r"SLURLSLOT(\d+)Z")
_MATH = r"\$\$.+?\$\$|\$[^$]+\$|\\\(.+?\\\)"
_MARKUP = (
    r"\\[A-Za-z]+\*?(?:\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*"  # a macro and its arguments
    r"|\\[^A-Za-z\s](?:\{[^{}]*\}|[A-Za-z])?"  # an accent or escaped symbol: \'a, \"{o}, \&
    r"|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"  # a brace group
)
_LATEX_ISLAND = re.compile(f"{_MATH}|{_MARKUP}", re.DOTALL)
_MARKUP_ISLAND = re.compile(_MARKUP, re.DOTALL)


def latex_prose_to_text(text: str) -> str:
    """LaTeX to Unicode for mostly plain text (arXiv titles, abstracts): only the LaTeX in it is rendered.

    arXiv shows these fields as typed, so outside math, macros and braces '%' is a percent sign (not a comment
    eating the line), '&' an ampersand, '~' a tilde, and URLs stay intact. Rendering only those islands is
    also many times faster than handing pylatexenc a whole abstract.
    """
    text = html.unescape(text)
    typed_ascii = text.isascii()
    if has_latex(text):
        islands = island_pattern(text)
        if "://" not in text:
            text = render_islands(islands, text)
        else:
            urls: list[str] = []

            def hide(match: re.Match[str]) -> str:
                urls.append(match.group(0))
                return f"SLURLSLOT{len(urls) - 1}Z"

            rendered = render_islands(islands, _BARE_URL.sub(hide, text))
            text = _URL_SLOT.sub(lambda m: urls[int(m.group(1))], rendered)
    # Plain ASCII holds no mojibake: skip ftfy, the slow part, for most fields.
    if text.isascii():
        return collapse_whitespace(text)
    return _rendered_to_text(text) if typed_ascii else fix_text(text)


def _rendered_to_text(text: str) -> str:
    """ftfy's character fixes and NFC for text whose only non-ASCII characters LaTeX rendering produced.

    Mojibake is text decoded with the wrong encoding, so only what the source typed can hold it: rendered
    text is never searched for it (ftfy would turn 'caf\\~A\\textcopyright', rendered 'cafÃ©', into 'café').
    """
    if ftfy_keeps(text, repair_encoding=False):
        return collapse_whitespace(text)
    return collapse_whitespace(ftfy.fix_text(text, unescape_html=False, fix_encoding=False))


def has_latex(text: str) -> bool:
    """True when the text holds a character LaTeX markup is made of: '\\', '$', braces, '^', '_' or '~'."""
    # Seven C-level scans cost a tenth of one regex character-class search over an abstract.
    return "\\" in text or "$" in text or "{" in text or "}" in text or "^" in text or "_" in text or "~" in text


def render_islands(islands: re.Pattern[str], text: str) -> str:
    """islands.sub(_render_island, text), trying a match only where an island can start: '$', '\\' or '{'.

    re.sub tries its pattern at every character (a slow character-set test each); str.find skips to the
    next opener in C. Each opener's next position is kept and looked up again only once passed.
    """
    pieces: list[str] = []
    done = 0
    find, nowhere = text.find, len(text)
    dollar, backslash, brace = (p if p >= 0 else nowhere for p in (find("$"), find("\\"), find("{")))
    while (at := min(dollar, backslash, brace)) < nowhere:
        match = islands.match(text, at)
        resume = at + 1
        if match:
            pieces += (text[done:at], _render_island(match))
            done = resume = match.end()
        if dollar < resume:
            dollar = p if (p := find("$", resume)) >= 0 else nowhere
        if backslash < resume:
            backslash = p if (p := find("\\", resume)) >= 0 else nowhere
        if brace < resume:
            brace = p if (p := find("{", resume)) >= 0 else nowhere
    pieces.append(text[done:])
    return "".join(pieces)


def island_pattern(text: str) -> re.Pattern[str]:
    """What finds the LaTeX islands of a prose text: formulas and markup, or only markup when '$' is unpaired."""
    # An odd number of '$' is a typo: pairing them would turn the prose between two formulas into math.
    dollars = text.count("$") - text.count("\\$")  # not escaped ones
    return _LATEX_ISLAND if dollars % 2 == 0 else _MARKUP_ISLAND


def escape_specials(latex: str) -> str:
    """Bare '&' and '%' escaped: left bare, LaTeX reads a column separator and a comment, and both eat text."""
    return _BARE_SPECIAL.sub(r"\\\1", latex)


def _render_island(match: re.Match[str]) -> str:
    island = match.group(0)
    return latex.to_text(escape_specials(island) if "&" in island or "%" in island else island)


def clean_url(raw: object) -> str | None:
    """A URL that ingest will accept (absolute http/https), or None for anything else ('doi:...', blank, null)."""
    if not isinstance(raw, str):
        return None
    try:
        return normalise_url(raw)
    except ValueError:
        return None


_XML_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(
    r"<(?:\w+:)?title\b[^<>]*>(.*?)</(?:\w+:)?title>\s*(?:<(?:\w+:)?p\b[^<>]*>)?", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG = re.compile(r"</?(?:\w+:)?(?:p|sec|div|list|list-item|br|abstract|trans-abstract)\b[^<>]*>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_PERSON_NUMBER = re.compile(r"^(.*\S)\s+(\d{4})$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
SIGHTING_ID_LIMIT = 200


def strip_markup(text: str) -> str:
    """Inline XML/HTML markup to plain text ('H<sub>2</sub>O' -> 'H2O'), entities decoded, mojibake repaired."""
    return fix_text(_XML_TAG.sub("", html.unescape(text)))


def markup_paragraphs(fragment: str) -> str:
    """A JATS or HTML abstract to blank-line separated paragraphs; section titles lead their paragraph."""
    text = _HEADING.sub(_heading, html.unescape(fragment))
    paragraphs = (strip_markup(p) for p in _BLANK_LINE.split(_BLOCK_TAG.sub("\n\n", text)))
    return "\n\n".join(p for p in paragraphs if p)


def _heading(match: re.Match[str]) -> str:
    title = strip_markup(match.group(1)).rstrip(":")
    return "\n\n" if title.casefold() in {"", "abstract"} else f"\n\n{title}: "


def person_number(name: str) -> tuple[str, str | None]:
    """Split DBLP's homonym number off a name: 'Jun Zhang 0001' -> ('Jun Zhang', '0001')."""
    match = _PERSON_NUMBER.match(name.strip())
    return (match.group(1), match.group(2)) if match else (name.strip(), None)


def month_number(text: str) -> int | None:
    """A month as 'Mar', 'march', '3' or '03' to 1..12, else None."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text[:3])


def partial_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """The most precise valid date among YYYY, YYYY-MM, YYYY-MM-DD; impossible parts are dropped."""
    if year is None or not 1000 <= year <= 9999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    try:
        return date(year, month, day).isoformat() if day is not None else f"{year:04d}-{month:02d}"
    except ValueError:
        return f"{year:04d}-{month:02d}"


def record_sighting_id(prefix: str, key: str | None, version: str | None, raw: str) -> str:
    """'prefix:key@version', the idempotency key of one record version; a digest when keyless or too long."""
    if key:
        ident = f"{prefix}:{key}@{version}" if version else f"{prefix}:{key}"
        if len(ident) <= SIGHTING_ID_LIMIT:
            return ident
        raw = ident
    return f"{prefix}:sha256:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def seen_moment(seen_at: str) -> datetime:
    """The adapter's seen_at argument as an aware datetime; a caller error (not a record's) raises ValueError."""
    moment = datetime.fromisoformat(seen_at.strip())
    if moment.tzinfo is None:
        raise ValueError(f"seen_at needs a timezone: {seen_at!r}")
    return moment


def settle(position: str, raw: str, build: Callable[[], dict[str, Any]]) -> Parsed:
    """Build one record's sighting; a record that cannot be read becomes Parsed.bad with the reason.

    Ingest's own rules are not applied here: the server (or `sightline import --dry-run`) judges each sighting
    and answers with the exact reason, so the importer does not validate every record twice.
    """
    try:
        sighting = build()
    except ValueError as exc:
        return Parsed.bad(position, str(exc), raw)
    except Exception as exc:  # one odd record must not stop the file
        return Parsed.bad(position, f"cannot read record ({type(exc).__name__}: {exc})", raw)
    return Parsed.ok(position, sighting, raw)


def author_fields(authors: list[dict[str, Any]], slots: int) -> dict[str, Any]:
    """Authors capped at ingest's limit, with author_count kept when some slots could not be listed."""
    count = slots if slots > len(authors) or len(authors) > MAX_AUTHORS else None
    return {"authors": authors[:MAX_AUTHORS], "author_count": count}


def tidy(text: str) -> str:
    """fix_text, skipping ftfy for plain ASCII (it can hold no mojibake): records have many fields to clean."""
    text = html.unescape(text) if "&" in text else text
    return collapse_whitespace(text) if text.isascii() else fix_text(text)
