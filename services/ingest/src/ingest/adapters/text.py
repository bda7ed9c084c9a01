"""Cleaning shared by adapters: LaTeX to Unicode, mojibake repair, entity decoding, whitespace."""

from __future__ import annotations

import html
import re

import ftfy
from pylatexenc.latex2text import LatexNodes2Text

_LATEX_HINT = re.compile(r"[\\{}$^_~]")
_SPACES = re.compile(r"\s+")
_LATEX = LatexNodes2Text(math_mode="text", keep_comments=False, strict_latex_spaces=False)


def fix_text(text: str) -> str:
    """Repair mojibake ('Ã©' -> 'é'), decode HTML entities, collapse whitespace."""
    return _SPACES.sub(" ", ftfy.fix_text(html.unescape(text))).strip()


def latex_to_text(text: str) -> str:
    """Render LaTeX markup to plain Unicode ("{\\&}" -> "&", "\\'a" -> "á", "$^2$" -> "^2"); plain text passes."""
    if not _LATEX_HINT.search(text):
        return fix_text(text)
    try:
        rendered = _LATEX.latex_to_text(text)
    except Exception:  # noqa: BLE001 - malformed LaTeX: keep the text with braces dropped rather than fail
        rendered = text.replace("{", "").replace("}", "")
    return fix_text(rendered)
