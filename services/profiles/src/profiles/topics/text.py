"""Text folding shared by the taxonomy and the classifier: casefold, strip diacritics, split words, fold plurals."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z]+|[0-9]+")
_RAW_WORD = re.compile(r"[A-Za-z]+|[0-9]+")
# Letters NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)
_POSSESSIVE = re.compile(r"['’]s\b")
_COMBINING = re.compile(r"[\u0300-\u036f]")
# Greek and Latin plurals the suffix rules below would get wrong, and a few words that only look plural.
_IRREGULAR = {
    "analyses": "analysis",
    "hypotheses": "hypothesis",
    "diagnoses": "diagnosis",
    "metastases": "metastasis",
    "syntheses": "synthesis",
    "theses": "thesis",
    "prostheses": "prosthesis",
    "prognoses": "prognosis",
    "neuroses": "neurosis",
    "psychoses": "psychosis",
    "stenoses": "stenosis",
    "fibroses": "fibrosis",
    "matrices": "matrix",
    "indices": "index",
    "vertices": "vertex",
    "apices": "apex",
    "phenomena": "phenomenon",
    "criteria": "criterion",
    "spectra": "spectrum",
    "nuclei": "nucleus",
    "fungi": "fungus",
    "bacteria": "bacterium",
    "mice": "mouse",
    "children": "child",
    "women": "woman",
    "men": "man",
    "teeth": "tooth",
    "feet": "foot",
    "species": "species",
    "series": "series",
    "physics": "physics",
    "mathematics": "mathematics",
    "economics": "economics",
    "statistics": "statistics",
    "robotics": "robotics",
    "genetics": "genetics",
    "genomics": "genomics",
    "proteomics": "proteomics",
    "metabolomics": "metabolomics",
    "linguistics": "linguistics",
    "news": "news",
    "lens": "lens",
    "gas": "gas",
    "bias": "bias",
    "atlas": "atlas",
    "biomass": "biomass",
    "diabetes": "diabetes",
    "herpes": "herpes",
    "rabies": "rabies",
    "scabies": "scabies",
    "aids": "aids",
}
_KEEP_ENDINGS = ("ss", "us", "is", "as", "ous", "ics")
_ES_AFTER = ("sses", "xes", "ches", "shes", "zzes")


def plain(text: str) -> str:
    """Strip diacritics, keeping case ("Zürich" → "Zurich"); drop possessive 's so "Alzheimer's" reads "Alzheimer"."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_LETTERS)))
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)
    return text


def fold_word(word: str) -> list[tuple[str, bool]]:
    """A word of letters and digits as lower-case singulars, each with whether it is in upper case ("CO2": co, 2).

    Digits inside a word take the word's case, so an acronym that starts with one ("5G", "2D") reads as upper case
    where it is written so ("5G") and not where it is not ("5g"); a bare number is never upper case.
    """
    if not (word.isalpha() or word.isdigit()):
        whole = word.isupper()
        return [(singular(part.lower()), whole if part.isdigit() else _upper(part)) for part in _RAW_WORD.findall(word)]
    return [(singular(word.lower()), _upper(word))]


def _upper(word: str) -> bool:
    # "GANs" is the plural of the acronym "GAN"; "Gan" and "gan" are not the acronym.
    return word.isupper() or (len(word) > 2 and word[-1] == "s" and word[:-1].isupper())


def words(text: str) -> list[str]:
    """The folded words of the text: lower case, no diacritics ("Zürich-based" → "zurich", "based")."""
    return _WORD.findall(plain(text).casefold())


def singular(word: str) -> str:
    """A light plural folding: "networks" → "network", "studies" → "study", "analyses" → "analysis"."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_KEEP_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_ES_AFTER):
        return word[:-2]
    return word[:-1]
