"""DBLP BibTeX adapter: the five real Jun Zhang exports and a dirty hand-written file."""

import io
from collections import Counter

import pytest

from ingest.adapters.base import Parsed
from ingest.adapters.dblp_bibtex import ADAPTER

from .support import (
    SEEN,
    TITLE_REQUIRED,
    accepted,
    all_accepted,
    parse_bytes,
    parse_file,
    parse_fixture,
    real_sample,
    verdict,
)

DIRTY = "dblp_bibtex_dirty.bib"
ENTRIES = {"0001": 129, "0002": 20, "0003": 284, "0004": 176, "0005": 45}


@pytest.fixture(scope="module")
def real() -> dict[str, list[Parsed]]:
    return {number: parse_file(ADAPTER, real_sample(f"dblp_jun_zhang/Zhang_{number}_Jun.bib")) for number in ENTRIES}


def test_adapter_names() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("dblp-bib", "dblp")


def test_all_654_real_entries_become_accepted_sightings(real: dict[str, list[Parsed]]) -> None:
    kinds: Counter[str] = Counter()
    for number, results in real.items():
        assert len(results) == ENTRIES[number]
        for prepared in all_accepted(results):
            kinds[prepared.sighting.paper.kind or "none"] += 1
    assert kinds == {"proceedings": 428, "article": 169, "preprint": 53, "chapter": 2, "book": 2}


def test_real_spot_checks(real: dict[str, list[Parsed]]) -> None:
    by_key = {p.sighting["paper"]["identifiers"]["dblp"]: p for results in real.values() for p in results if p.sighting}
    cma = by_key["journals/cma/Dai0W16"]
    assert cma.position == "record 1 (DBLP:journals/cma/Dai0W16, line 1)"
    assert cma.sighting is not None
    assert cma.sighting["sighting_id"] == "dblp:journals/cma/Dai0W16@2017-05-27T23:00:00Z"
    assert cma.sighting["source_url"] == "https://dblp.org/rec/bib/journals/cma/Dai0W16"
    paper = accepted(cma).sighting
    assert paper.work_key == "doi:10.1016/j.camwa.2015.12.007"
    assert paper.paper.venue == "Computers & Mathematics with Applications"
    assert paper.paper.title is not None
    assert paper.paper.title.startswith("Higher order ADI method with completed Richardson extrapolation for solving")
    assert [a.name for a in paper.paper.authors] == ["Ruxin Dai", "Jun Zhang", "Yin Wang"]
    corr = accepted(by_key["journals/corr/GongZ14"]).sighting
    assert (corr.paper.kind, corr.work_key) == ("preprint", "arxiv:1408.0689")
    assert corr.paper.authors[0].name == "Yue-Jiao Gong"
    chapter = accepted(by_key["series/sci/HuZL08"]).sighting.paper
    assert (chapter.kind, chapter.identifiers.doi) == ("chapter", "10.1007/978-3-540-70778-3_13")
    titles = {key: p.sighting["paper"]["title"] for key, p in by_key.items() if p.sighting}
    assert titles["journals/jsac/ShiCZ0CL16"].startswith("Smoothed L_p-Minimization for Green Cloud-RAN")
    assert titles["conf/icadl/ThengLLWGCCZ06"].endswith("of an Integrated Wiki-G-Portal")
    venues = {p.sighting["paper"]["venue"] for results in real.values() for p in results if p.sighting}
    assert any("Tübingen, Germany" in (v or "") for v in venues)
    assert any("Montreal, Québec, Canada" in (v or "") for v in venues)


def test_real_names_are_clean_and_each_file_names_its_person(real: dict[str, list[Parsed]]) -> None:
    naming = {}
    for number, results in real.items():
        names = {p.raw: [a["name"] for a in p.sighting["paper"]["authors"]] for p in results if p.sighting}
        assert not [n for people in names.values() for n in people if n[-4:].isdigit() or "{" in n or "\\" in n]
        naming[number] = sum("Jun Zhang" in people for people in names.values())
        # The export appends the volumes its papers appear in (crossref): edited by others, or by nobody listed.
        assert {raw.split("{")[0] for raw, people in names.items() if "Jun Zhang" not in people} <= {
            "@proceedings",
            "@book",
        }
    assert naming == {"0001": 92, "0002": 12, "0003": 212, "0004": 146, "0005": 28}


def test_dirty_entries() -> None:
    results = parse_fixture(ADAPTER, DIRTY)
    assert [(p.position, verdict(p)) for p in results if verdict(p)] == [
        ("record 3 (DBLP:journals/tec/Broken09, line 37)", "unbalanced braces: entry not closed before line 46"),
        ("record 5 (DBLP:data/nobody/Empty21, line 54)", TITLE_REQUIRED),
    ]
    assert results[2].raw.startswith("@article{DBLP:journals/tec/Broken09,")
    assert len(results) == 8
    for parsed in results:
        if parsed.sighting and verdict(parsed) is None:
            accepted(parsed)


def test_suffixes_latex_and_ids() -> None:
    first = parse_fixture(ADAPTER, DIRTY)[0]
    assert first.sighting is not None
    assert first.sighting["sighting_id"] == "dblp:conf/cvpr/MaZ22@2022-12-05T12:45:05Z"
    assert first.sighting["source_url"] == "https://dblp.org/rec/conf/cvpr/MaZ22.bib"
    paper = accepted(first).sighting.paper
    assert paper.title == "Rethinking H^2 Pruning for Café & ADI Networks"
    assert [a.name for a in paper.authors] == ["Kaisheng Ma", "Jun Zhang", "Jürgen Müller"]
    assert "Jun Zhang 0001" in first.raw
    assert paper.venue is not None
    assert paper.venue.startswith("IEEE/CVF Conference on Computer Vision and Pattern Recognition, CVPR 2022")
    assert (paper.identifiers.doi, paper.identifiers.dblp) == ("10.1109/cvpr52688.2022.01234", "conf/cvpr/MaZ22")


def test_corr_entry_is_a_preprint_with_its_arxiv_id_and_month() -> None:
    corr = accepted(parse_fixture(ADAPTER, DIRTY)[1]).sighting
    assert (corr.paper.kind, corr.paper.published, corr.work_key) == ("preprint", "2022-03", "arxiv:2203.06321")


def test_mojibake_entities_missing_authors_and_escaped_doi_url() -> None:
    book = parse_fixture(ADAPTER, DIRTY)[3]
    assert book.sighting is not None
    assert book.sighting["source_url"] == "https://dblp.org/rec/books/sp/Mueller19"
    paper = accepted(book).sighting.paper
    assert paper.title == "Café Society: Don't Panic & Tom & Jerry"
    assert (paper.authors, paper.published, paper.kind) == ([], "2019", "book")
    assert paper.identifiers.doi == "10.1007/978-3-030-12345-6_7"


def test_thesis_editors_and_repeated_key() -> None:
    results = parse_fixture(ADAPTER, DIRTY)
    thesis = accepted(results[5]).sighting.paper
    assert (thesis.kind, thesis.venue, thesis.urls) == (
        "thesis",
        "Technical University of Munich, Germany",
        {"html": "https://mediatum.ub.tum.de/1234567"},
    )
    volume = accepted(results[6]).sighting.paper
    assert [a.name for a in volume.authors] == ["Jun Zhang", "Ji-Huan He"]
    assert [a.role for a in volume.authors] == ["editor", "editor"]
    again = accepted(results[7]).sighting
    assert again.work_key == accepted(results[0]).sighting.work_key
    assert again.sighting_id == "dblp:conf/cvpr/MaZ22@2022-12-06T08:00:00Z"


def test_unclosed_last_entry_and_parenthesised_entries() -> None:
    text = b"@article{DBLP:a/b/C1, title = {Good}}\n@misc(x, title={y})\n@article{DBLP:a/b/C2, title = {Open"
    results = parse_bytes(ADAPTER, text)
    assert [verdict(p) for p in results] == [
        None,
        "entries delimited by parentheses are not supported",
        "unbalanced braces: entry not closed at the end of the file",
    ]


def test_entries_are_streamed_not_loaded() -> None:
    entry = b"@article{DBLP:journals/x/A%d,\n  title = {Paper %d},\n  year = {2020}\n}\n\n"
    body = b"".join(entry % (i, i) for i in range(5000))
    stream = io.BytesIO(body)
    first = next(ADAPTER.parse(stream, "dblp", SEEN))
    assert first.sighting is not None
    assert stream.tell() < len(body) // 10
