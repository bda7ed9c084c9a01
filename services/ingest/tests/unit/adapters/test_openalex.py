"""openalex: the 200 real works become valid sightings from any framing (work, page, array, JSON lines)."""

import io
import json
from functools import cache

from ingest.adapters.base import Parsed
from ingest.adapters.openalex import ADAPTER
from ingest.domain import Prepared

from .support import (
    FIXTURES,
    SEEN,
    CountingStream,
    accepted,
    all_accepted,
    assert_costs_only_itself,
    parse_bytes,
    parse_file,
    parse_fixture,
    real_sample,
)

SAMPLE = "openalex_samples/works_200.jsonl"


@cache
def sample() -> dict[str, Prepared]:
    prepared = all_accepted(parse_file(ADAPTER, real_sample(SAMPLE)))
    return {p.sighting.paper.identifiers.openalex or "": p for p in prepared}


def dirty() -> list[Parsed]:
    return parse_fixture(ADAPTER, "openalex_dirty.jsonl")


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("openalex", "openalex")


def test_all_200_real_works_become_valid_sightings() -> None:
    works = sample()
    assert len(works) == 200
    authors = [a for p in works.values() for a in p.sighting.paper.authors]
    assert (len(authors), sum(a.orcid is not None for a in authors)) == (536, 229)
    assert sum(p.sighting.work_key.startswith("doi:") for p in works.values()) == 137
    assert {p.sighting.paper.kind for p in works.values()} == {
        "article",
        "book",
        "preprint",
        "chapter",
        "other",
        "thesis",
    }
    assert all(len(p.sighting.paper.keywords) <= 5 for p in works.values())
    assert all(p.warnings == () for p in works.values())


def test_real_work_in_detail() -> None:
    sighting = sample()["W4235089722"].sighting
    paper = sighting.paper
    assert sighting.sighting_id == "openalex:W4235089722@2025-11-06T03:46:38.306776"
    assert (sighting.source_url, sighting.work_key) == (
        "https://openalex.org/W4235089722",
        "doi:10.1111/1468-2346.00131",
    )
    assert (paper.title, paper.kind, paper.published, paper.venue) == (
        "Biodiversity Finance",
        "article",
        "2000-04-01",
        "International Affairs",
    )
    author = paper.authors[0]
    assert (author.name, author.orcid, author.affiliations) == (
        "Michael C. Rubino",
        "0000-0002-6528-1179",
        ["Palmetto Aquaculture Company"],
    )
    assert paper.keywords[:2] == ["Convention on Biological Diversity", "Biodiversity"]
    assert paper.urls == {"landing": "https://doi.org/10.1111/1468-2346.00131"}
    assert (paper.abstract or "").startswith("The 1992 Convention on Biological Diversity (CBD) challenged")


def test_real_pmids_and_encoded_carriage_returns() -> None:
    works = sample()
    assert works["W2119164383"].sighting.paper.abstract is not None
    pmids = [p.sighting.paper.identifiers.pmid for p in works.values() if p.sighting.paper.identifiers.pmid]
    assert len(pmids) == 18
    assert all(p.isdigit() for p in pmids)
    assert "&#13;" not in (works["W297480756"].sighting.paper.abstract or "")


def test_api_page_with_inverted_index_abstract() -> None:
    results = parse_fixture(ADAPTER, "openalex_page.json")
    assert [r.position for r in results] == ["record 1 (id W4221143046)", "record 2 (id W2000000002)"]
    paper = accepted(results[0]).sighting.paper
    assert paper.abstract == "We revisit pruning for compact networks; pruning is cheap."
    assert paper.kind == "proceedings"  # an "article" in a conference source
    assert [(a.name, a.orcid, a.affiliations) for a in paper.authors] == [
        ("Kaisheng Ma", "0000-0002-1825-0097", ["Tsinghua University"]),
        ("René Dupré", None, ["Johns Hopkins University, Baltimore, MD, USA"]),
    ]
    assert paper.urls == {
        "landing": "https://doi.org/10.1109/cvpr52688.2022.01234",
        "pdf": "https://arxiv.org/pdf/2203.06321",
    }
    assert paper.keywords == ["Pruning", "Deep learning", "Computer science", "Advanced Neural Network Applications"]
    thesis = accepted(results[1]).sighting
    assert (thesis.paper.kind, thesis.paper.identifiers.pmid, thesis.paper.urls) == ("thesis", "31234567", {})
    assert thesis.work_key == "pmid:31234567"


def test_single_work_array_and_one_line_page_framings() -> None:
    page = json.loads((FIXTURES / "openalex_page.json").read_bytes())
    work = page["results"][0]
    single = parse_bytes(ADAPTER, json.dumps(work, indent=2).encode())
    assert [(r.position, r.error) for r in single] == [("record 1 (id W4221143046)", None)]
    array = parse_bytes(ADAPTER, json.dumps(page["results"], indent=1).encode())
    assert [r.position for r in array] == ["record 1 (id W4221143046)", "record 2 (id W2000000002)"]
    one_line = parse_bytes(ADAPTER, json.dumps(page).encode() + b"\n" + json.dumps(work).encode())
    assert [r.position for r in one_line] == [
        "line 1 record 1 (id W4221143046)",
        "line 1 record 2 (id W2000000002)",
        "line 2 (id W4221143046)",
    ]
    assert single[0].sighting == array[0].sighting == one_line[0].sighting


def test_a_broken_document_keeps_the_records_before_it() -> None:
    page = (FIXTURES / "openalex_page.json").read_bytes()
    cut = page[: page.index(b'"id": "https://openalex.org/W2000000002"') + 20]
    results = parse_bytes(ADAPTER, cut)
    assert results[0].sighting is not None
    assert results[1].position == "record 2"
    assert results[1].error is not None
    assert results[1].error.startswith("invalid JSON after record 1: ")
    assert results[1].error.endswith("; the rest of the document cannot be read")


def test_same_doi_twice_with_different_orcids() -> None:
    first, second = (accepted(p).sighting for p in dirty()[:2])
    assert first.work_key == second.work_key == "doi:10.1234/dup"
    assert (first.paper.authors[0].orcid, second.paper.authors[0].orcid) == (
        "0000-0002-1825-0097",
        "0000-0001-5109-3700",
    )
    assert first.sighting_id != second.sighting_id


def test_bad_orcid_mojibake_entities_and_markup() -> None:
    prepared = accepted(dirty()[2])
    paper = prepared.sighting.paper
    assert paper.title == "Café effects & the 'quoted' Drosophila"
    assert (paper.authors[0].name, paper.authors[0].orcid) == ("José García", None)
    assert any("checksum" in w for w in prepared.warnings)


def test_a_truncated_line_costs_only_itself() -> None:
    assert_costs_only_itself(dirty(), 3, "line 4", "invalid JSON: unexpected end of data at character 109")


def test_partial_dates_and_nameless_authorships() -> None:
    year_only = accepted(dirty()[4]).sighting.paper
    assert (year_only.published, year_only.authors, year_only.author_count) == ("2022", [], None)
    month_only = accepted(dirty()[5]).sighting.paper
    assert (month_only.published, [a.name for a in month_only.authors], month_only.author_count) == (
        "2022-03",
        ["Named Person"],
        3,
    )


def test_work_without_id_or_title_is_refused_and_paratext_is_other() -> None:
    results = dirty()
    assert (results[6].position, results[6].error) == ("line 7", "work has no OpenAlex id")
    cover = accepted(results[7]).sighting
    assert cover.paper.kind == "other"
    assert cover.sighting_id is not None
    assert cover.sighting_id.startswith("openalex:W108@")  # no updated_date: a digest names the version
    assert cover.sighting_id == accepted(dirty()[7]).sighting.sighting_id
    assert len(results) == 8


def test_a_big_array_streams() -> None:
    work = json.dumps(json.loads((FIXTURES / "openalex_page.json").read_bytes())["results"][0]).encode()
    stream = CountingStream([b"[", work, *([b"," + work] * 49_999), b"]"])
    results = iter(ADAPTER.parse(io.BufferedReader(stream), "openalex", SEEN))
    assert next(results).sighting is not None
    assert stream.pulled < 500_000  # the array is over 100 MB
