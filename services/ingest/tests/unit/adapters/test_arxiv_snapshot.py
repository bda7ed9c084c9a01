"""arxiv-json: the real Kaggle snapshot sample becomes valid sightings; each dirty line fails or passes on its own."""

import json
from functools import cache

from ingest.adapters.arxiv_snapshot import ADAPTER, split_authors
from ingest.adapters.base import Parsed
from ingest.domain import Prepared

from .support import accepted, all_accepted, parse_bytes, parse_file, parse_fixture, real_sample

SAMPLE = "arxiv_snapshot_sample/arxiv-metadata-oai-snapshot.head.jsonl"


@cache
def sample() -> dict[str, Prepared]:
    prepared = all_accepted(parse_file(ADAPTER, real_sample(SAMPLE)))
    return {p.sighting.paper.identifiers.arxiv or "": p for p in prepared}


def dirty() -> list[Parsed]:
    return parse_fixture(ADAPTER, "arxiv_snapshot_dirty.jsonl")


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("arxiv-json", "arxiv")


def test_all_200_real_records_become_valid_sightings() -> None:
    papers = sample()
    assert len(papers) == 200
    assert sum(len(p.sighting.paper.authors) for p in papers.values()) == 537
    assert sum(p.sighting.work_key.startswith("doi:") for p in papers.values()) == 117


def test_0704_0001_in_detail() -> None:
    prepared = sample()["0704.0001"]
    sighting = prepared.sighting
    paper = sighting.paper
    assert [a.name for a in paper.authors] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert [(a.family_name, a.given_name) for a in paper.authors] == [
        ("Balázs", "C."),
        ("Berger", "E. L."),
        ("Nadolsky", "P. M."),
        ("Yuan", "C.-P."),
    ]
    assert sighting.work_key == "doi:10.1103/physrevd.76.013009"
    assert (paper.identifiers.arxiv_version, paper.published, paper.kind) == (2, "2007-04-02", "article")
    assert paper.venue == "Phys.Rev.D76:013009,2007"
    assert paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert paper.keywords == ["hep-ph"]
    assert paper.urls == {"pdf": "https://arxiv.org/pdf/0704.0001v2"}
    assert sighting.source_url == "https://arxiv.org/abs/0704.0001v2"
    assert sighting.sighting_id == "arxiv:0704.0001v2@2008-11-26"
    assert prepared.warnings == ()


def test_real_latex_titles_and_abstracts_render() -> None:
    papers = sample()
    assert papers["0704.0019"].sighting.paper.title is not None
    assert "Gröbner basis" in papers["0704.0019"].sighting.paper.title
    assert papers["0704.0073"].sighting.paper.title == "A transcendental approach to Kollár's injectivity theorem"
    assert papers["0704.0174"].sighting.paper.title is not None
    assert "α from B→ππ" in papers["0704.0174"].sighting.paper.title
    # An unescaped '%' is a percent sign in arXiv abstracts, not a LaTeX comment swallowing the line.
    assert "more than 90% of the atoms occupy" in (papers["0704.0006"].sighting.paper.abstract or "")


def test_real_authors_affiliations_and_versions() -> None:
    papers = sample()
    mishchenko = papers["0704.0025"].sighting.paper.authors[0]
    assert (mishchenko.name, mishchenko.affiliations) == ("A. S. Mishchenko", [])  # '1 and 2' is a footnote mark
    brommer = papers["0704.0163"].sighting.paper.authors[0]
    assert brommer.affiliations == ["Institut für Theoretische und Angewandte Physik, Universität Stuttgart"]
    assert [a.name for a in papers["0704.0020"].sighting.paper.authors] == ["The BABAR Collaboration", "B. Aubert"]
    assert papers["0704.0033"].sighting.paper.identifiers.doi == "10.1364/josaa.23.002578"  # first of two DOIs
    assert {p.sighting.paper.identifiers.arxiv_version for p in papers.values()} == {1, 2, 3, 4, 5}
    assert papers["0704.0002"].sighting.paper.kind == "preprint"


def test_sighting_ids_are_stable_and_a_new_version_is_a_new_sighting() -> None:
    assert len({p.sighting.sighting_id for p in sample().values()}) == 200
    line = real_sample(SAMPLE).read_bytes().splitlines()[0]
    first, again = parse_bytes(ADAPTER, line)[0].sighting, parse_bytes(ADAPTER, line)[0].sighting
    record = json.loads(line)
    record["versions"].append({"version": "v3", "created": "Mon, 1 Jan 2024 00:00:00 GMT"})
    record["update_date"] = "2024-01-02"
    newer = parse_bytes(ADAPTER, json.dumps(record).encode())[0]
    assert first is not None
    assert newer.sighting is not None
    assert first == again
    assert first["sighting_id"] == "arxiv:0704.0001v2@2008-11-26"
    assert newer.sighting["sighting_id"] == "arxiv:0704.0001v3@2024-01-02"
    assert accepted(newer).sighting.work_key == "doi:10.1103/physrevd.76.013009"


def test_latex_mojibake_entities_and_two_dois() -> None:
    paper = accepted(dirty()[0]).sighting.paper
    assert paper.title == "Pruning & Distillation with L^2 bounds: étude"
    assert paper.abstract == "We cut 90% of the weights & keep R&D 'cheap'; see https://github.com/example/prune_it."
    assert [a.name for a in paper.authors] == ["Kaisheng Ma", "René Dupré"]
    assert paper.identifiers.doi == "10.1109/cvpr.2022.1"


def test_same_doi_twice_gives_two_sightings_of_one_work() -> None:
    first, second = (accepted(p).sighting for p in dirty()[:2])
    assert first.work_key == second.work_key == "doi:10.1109/cvpr.2022.1"
    assert first.sighting_id != second.sighting_id


def test_a_truncated_line_costs_only_itself() -> None:
    results = dirty()
    assert [r.position for r in results[1:4]] == ["line 2 (id 2203.06322)", "line 3", "line 4 (id 2203.06324)"]
    assert results[2].error is not None
    assert results[2].error.startswith("invalid JSON: unexpected end of data")
    assert results[2].raw.startswith('{"id": "2203.06323"')
    assert results[1].sighting is not None
    assert results[3].sighting is not None


def test_missing_authors_and_partial_dates() -> None:
    results = dirty()
    no_authors = accepted(results[3]).sighting.paper
    assert (no_authors.authors, no_authors.author_count) == ([], None)
    undated = accepted(results[4]).sighting.paper
    assert (undated.published, undated.year, undated.identifiers.arxiv_version) == ("2022-03", 2022, None)
    assert [a.name for a in undated.authors] == ["John Smith Jr", "Collaboration"]


def test_records_without_an_arxiv_id_are_refused_with_the_reason() -> None:
    results = dirty()
    assert (results[5].position, results[5].error) == ("line 6", "record has no arXiv id")
    assert (results[6].position, results[6].error) == ("line 7 (id not-an-id)", "not an arXiv id: 'not-an-id'")
    assert len(results) == 7


def test_non_objects_and_blank_lines() -> None:
    results = parse_bytes(ADAPTER, b'\n["a list"]\n\n42\n')
    assert [(r.position, r.error) for r in results] == [
        ("line 2", "expected a JSON object, got list"),
        ("line 4", "expected a JSON object, got int"),
    ]


def test_split_authors_handles_arxiv_author_strings() -> None:
    authors = split_authors(
        "A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan Science and Technology Agency, "
        "(2) Russian Research Centre ``Kurchatov Institute'', (3) The University of Tokyo), B. Aubert, et al."
    )
    assert [(a["name"], a["affiliations"]) for a in authors] == [
        (
            "A. S. Mishchenko",
            ["CREST, Japan Science and Technology Agency", 'Russian Research Centre "Kurchatov Institute"'],
        ),
        ("N. Nagaosa", ["CREST, Japan Science and Technology Agency", "The University of Tokyo"]),
        ("B. Aubert", []),
    ]
    assert [a["name"] for a in split_authors('J. M\\"uller, John Smith, Jr. and A. Lee (MIT, Cambridge')] == [
        "J. Müller",
        "John Smith Jr.",
        "A. Lee",
    ]


def test_version_dates_read_fast_agree_with_the_email_date_parser() -> None:
    from email.utils import parsedate_to_datetime

    from ingest.adapters.arxiv_snapshot import rfc2822_date

    created = [
        v["created"]
        for line in real_sample(SAMPLE).read_text().splitlines()
        for v in json.loads(line).get("versions", [])
    ]
    assert len(created) > 200
    for raw in created:
        assert rfc2822_date(raw) == parsedate_to_datetime(raw).date().isoformat(), raw
    assert rfc2822_date("Mon, 31 Feb 2007 19:18:42 GMT") is None, "not a calendar date"
    assert rfc2822_date("Mon, 2 Apr 2007 23:30:00 -0700") == "2007-04-02", "other zones: the general parser"
    assert rfc2822_date("yesterday") is None
