"""s2: Semantic Scholar Graph API papers (search pages, batches, JSON lines) become sightings, one by one."""

import json

from ingest.adapters.semantic_scholar import ADAPTER

from .support import FIXTURES, TITLE_REQUIRED, accepted, assert_costs_only_itself, parse_bytes, parse_fixture, verdict


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("s2", "semantic_scholar")


def test_search_page() -> None:
    first, second = parse_fixture(ADAPTER, "s2_search_page.json")
    sighting = accepted(first).sighting
    paper = sighting.paper
    assert first.position == "record 1 (id 0f2a4c3e1b9d8a7f6e5d4c3b2a1908f7e6d5c4b3)"
    assert sighting.source_url == "https://www.semanticscholar.org/paper/0f2a4c3e1b9d8a7f6e5d4c3b2a1908f7e6d5c4b3"
    assert sighting.work_key == "doi:10.1109/cvpr52688.2022.01234"
    assert (paper.identifiers.arxiv, paper.identifiers.dblp, paper.identifiers.s2) == (
        "2203.06321",
        "conf/cvpr/MaV22",
        "0f2a4c3e1b9d8a7f6e5d4c3b2a1908f7e6d5c4b3",
    )
    assert paper.kind == "proceedings"  # S2 lists a conference paper as ["JournalArticle", "Conference"]
    assert (paper.published, paper.venue) == ("2022-03-12", "Computer Vision and Pattern Recognition")
    assert [a.name for a in paper.authors] == ["Kaisheng Ma", "René Dupré"]
    assert paper.keywords == ["Computer Science", "Engineering"]
    assert paper.urls == {"pdf": "https://arxiv.org/pdf/2203.06321"}
    other = accepted(second).sighting
    assert (other.work_key, other.paper.published, other.paper.kind, other.paper.venue) == (
        "pmid:31234567",
        "2019",
        None,
        None,
    )
    assert other.paper.urls == {}  # openAccessPdf.url is ""


def test_batch_with_an_unknown_id() -> None:
    results = parse_fixture(ADAPTER, "s2_batch.json")
    assert [(r.position, verdict(r)) for r in results] == [
        ("record 1 (id 0f2a4c3e1b9d8a7f6e5d4c3b2a1908f7e6d5c4b3)", None),
        ("record 2", "expected a JSON object, got null"),
        ("record 3 (id b2c3d4e5f60718293a4b5c6d7e8f901234567890)", None),
    ]
    assert accepted(results[0]).sighting.paper.kind == "preprint"  # no types, but on arXiv


def test_same_doi_twice_gives_two_sightings_of_one_work() -> None:
    first, second = (accepted(p).sighting for p in parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")[:2])
    assert first.work_key == second.work_key == "doi:10.1234/dup"
    assert first.sighting_id != second.sighting_id


def test_mojibake_and_entities() -> None:
    paper = accepted(parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")[2]).sighting.paper
    assert paper.title == "Café effects & the 'quoted' world"
    assert paper.abstract == "An abstract with and über."  # the decoded <b> is a stray tag for ingest
    assert [a.name for a in paper.authors] == ["José García"]


def test_a_truncated_line_costs_only_itself() -> None:
    results = parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")
    assert_costs_only_itself(results, 3, "line 4", "invalid JSON: unexpected end of data at character 107")


def test_partial_dates_and_missing_authors() -> None:
    results = parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")
    month = accepted(results[4]).sighting.paper
    assert (month.published, [a.name for a in month.authors], month.author_count) == ("2022-03", ["Named Person"], 2)
    year = accepted(results[5]).sighting.paper
    assert (year.published, year.authors, year.author_count, year.kind) == ("2022", [], None, None)


def test_no_title_and_no_work_id_is_refused_with_ingests_reason() -> None:
    refused = parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")[6]
    assert verdict(refused) == TITLE_REQUIRED


def test_malformed_doi_is_dropped_not_the_paper_and_citations_are_unwrapped() -> None:
    results = parse_fixture(ADAPTER, "s2_papers_dirty.jsonl")
    kept = accepted(results[7]).sighting
    assert (kept.paper.identifiers.doi, kept.work_key) == (None, "arxiv:2203.99999")
    citing = accepted(results[8]).sighting
    assert (citing.paper.title, citing.paper.identifiers.s2) == ("A citing paper", "9" * 40)
    assert len(results) == 9


def test_sighting_id_follows_the_content() -> None:
    line = (FIXTURES / "s2_papers_dirty.jsonl").read_bytes().splitlines()[0]
    first, again = parse_bytes(ADAPTER, line)[0].sighting, parse_bytes(ADAPTER, line)[0].sighting
    record = json.loads(line)
    record["title"] = "Shared DOI, first copy (corrected)"
    changed = parse_bytes(ADAPTER, json.dumps(record).encode())[0].sighting
    assert first is not None
    assert again is not None
    assert changed is not None
    assert first["sighting_id"] == again["sighting_id"] != changed["sighting_id"]
    assert first["sighting_id"].startswith("s2:" + "1" * 40 + "@")
    record["citationCount"] = 1000  # fields the sighting does not carry do not make a new version
    assert parse_bytes(ADAPTER, json.dumps(record).encode())[0].sighting == changed


def test_record_without_paper_id_is_refused() -> None:
    assert [
        (r.position, verdict(r)) for r in parse_bytes(ADAPTER, b'{"title": "Lost", "url": "https://example.org/x"}\n')
    ] == [("line 1", "paper has no paperId")]
