"""Work keys: identifier precedence and a title key that only the title, year and first author change."""

import json
import re
from pathlib import Path

import pytest

from contracts import Identifiers, PaperSeenV1
from contracts.keys import fold, surname, title_key, work_key
from contracts.paper_seen import WORK_KEY_PATTERN

ALL_IDS = {
    "doi": "10.1145/3580305.3599256",
    "arxiv": "2406.01234",
    "pmid": "38012345",
    "openalex": "W4385245566",
}
TITLE, YEAR, AUTHOR = "Attention Is All You Need", 2017, "Ashish Vaswani"
BASE = title_key(TITLE, YEAR, AUTHOR)


def key_without(*dropped: str) -> str:
    ids = Identifiers(**{name: value for name, value in ALL_IDS.items() if name not in dropped})
    return work_key(ids, TITLE, YEAR, AUTHOR)


def test_work_key_precedence_doi_arxiv_pmid_openalex_title() -> None:
    assert key_without() == "doi:10.1145/3580305.3599256"
    assert key_without("doi") == "arxiv:2406.01234"
    assert key_without("doi", "arxiv") == "pmid:38012345"
    assert key_without("doi", "arxiv", "pmid") == "openalex:W4385245566"
    assert key_without("doi", "arxiv", "pmid", "openalex") == BASE


def test_arxiv_version_and_secondary_ids_do_not_change_the_key() -> None:
    v1 = Identifiers(arxiv="2406.01234", arxiv_version=1, s2="abc")
    v3 = Identifiers(arxiv="2406.01234", arxiv_version=3, dblp="journals/corr/abs-2406-01234")
    assert work_key(v1, TITLE, YEAR, AUTHOR) == work_key(v3, "Other title", 2020, "X") == "arxiv:2406.01234"


def test_work_without_identifier_or_title_has_no_key() -> None:
    with pytest.raises(ValueError, match="title"):
        work_key(Identifiers(), None, YEAR, AUTHOR)


def test_title_key_is_pinned() -> None:
    """Changing the hash re-keys every identifier-less work: that needs a migration, not a quiet edit."""
    assert BASE == "title:c06e00935c3ac330818207e1b45c442f"


def test_title_key_matches_the_work_key_pattern() -> None:
    assert re.fullmatch(WORK_KEY_PATTERN, BASE)


@pytest.mark.parametrize(
    "title",
    [
        "attention is all you need",
        "ATTENTION IS ALL YOU NEED",
        "  Attention   is all\tyou\nneed ",
        "Attention: Is All You Need!",
        "“Attention” is all you need.",
        "Atténtion Is Àll Yoü Need",
        "Attention Is All You Need",
    ],
)
def test_title_key_ignores_case_accents_punctuation_and_spaces(title: str) -> None:
    assert title_key(title, YEAR, AUTHOR) == BASE


@pytest.mark.parametrize("author", ["Vaswani, Ashish", "A. Vaswani", "ASHISH VASWANI", "Ashish Vaswání"])
def test_title_key_ignores_how_the_first_author_is_written(author: str) -> None:
    assert title_key(TITLE, YEAR, author) == BASE


@pytest.mark.parametrize(
    ("title", "year", "author"),
    [
        (TITLE, 2018, AUTHOR),
        (TITLE, None, AUTHOR),
        (TITLE, YEAR, "Noam Shazeer"),
        (TITLE, YEAR, None),
        ("Attention Is Not All You Need", YEAR, AUTHOR),
    ],
)
def test_title_key_changes_with_title_year_or_author(title: str, year: int | None, author: str | None) -> None:
    assert title_key(title, year, author) != BASE


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ma, Kaisheng", "ma"),
        ("Kaisheng Ma", "ma"),
        ("García Márquez, Gabriel", "garciamarquez"),
        ("José García", "garcia"),
        ("Jean-Pierre Dupont-Moretti", "dupontmoretti"),
        ("Martin Luther King, Jr.", "king"),
        ("Martin Luther King Jr.", "king"),
        ("King, Jr., Martin Luther", "king"),
        ("Søren Kierkegaard", "kierkegaard"),
        ("Łukasz Kaiser", "kaiser"),
        ("", ""),
    ],
)
def test_surname(name: str, expected: str) -> None:
    assert surname(name) == expected


def test_fold_keeps_letters_of_every_script() -> None:
    assert fold("Søren Łukasz Ærø") == fold("Soren Lukasz Aero") == "soren lukasz aero"
    assert fold("深度学习 — 综述") == "深度学习 综述"
    assert title_key("深度学习的研究", 2023, "王伟") != title_key("图神经网络综述", 2023, "王伟")
    assert title_key("Μηχανική μάθηση", 2023, None) != title_key("Θεωρία γράφων", 2023, None)


def test_golden_title_keyed_event_has_the_key_the_code_computes() -> None:
    path = Path(__file__).parent / "golden" / "paper.seen.v1.title_keyed_workshop.json"
    event = PaperSeenV1.model_validate(json.loads(path.read_text(encoding="utf-8")))
    paper = event.data.paper
    assert work_key(paper.identifiers, paper.title, paper.year, paper.authors[0].name) == event.data.work_key
