"""hf-daily: Hugging Face Daily Papers listings become sightings, with an author count when names are missing."""

from ingest.adapters.hf_daily import ADAPTER

from .support import TITLE_REQUIRED, accepted, assert_costs_only_itself, parse_fixture, verdict


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("hf-daily", "hf_daily_papers")


def test_api_listing() -> None:
    first, second = parse_fixture(ADAPTER, "hf_daily_papers.json")
    sighting = accepted(first).sighting
    paper = sighting.paper
    assert first.position == "record 1 (id 2311.15744)"
    assert (sighting.source, sighting.source_url) == ("hf_daily_papers", "https://huggingface.co/papers/2311.15744")
    assert (sighting.work_key, paper.kind, paper.published) == ("arxiv:2311.15744", "preprint", "2023-11-27")
    assert len(paper.authors) == paper.author_count == 6  # a hidden author is still an author
    assert paper.urls == {
        "pdf": "https://arxiv.org/pdf/2311.15744",
        "code": "https://github.com/mhh0318/OneMoreStep",
        "project": "https://jabir-zheng.github.io/OneMoreStep/",
    }
    assert sighting.sighting_id is not None
    assert sighting.sighting_id.startswith("hf:2311.15744@")
    count_only = accepted(second).sighting.paper
    assert (count_only.authors, count_only.author_count) == ([], 4)


def test_latex_percent_and_mojibake_in_listing_text() -> None:
    paper = accepted(parse_fixture(ADAPTER, "hf_daily_papers_dirty.jsonl")[0]).sighting.paper
    assert paper.title == "Fusion & Mamba: ^2 improvements for Café scenes"
    assert paper.abstract == "We fuse 90% faster & better; code at https://github.com/x/y_z."


def test_count_without_names_and_partial_dates() -> None:
    results = parse_fixture(ADAPTER, "hf_daily_papers_dirty.jsonl")
    count_only = accepted(results[1]).sighting.paper
    assert (count_only.authors, count_only.author_count, count_only.published) == ([], 7, "2024-08")
    nameless = accepted(results[3]).sighting.paper
    assert ([a.name for a in nameless.authors], nameless.author_count, nameless.published) == (["Named One"], 2, "2024")


def test_a_truncated_line_costs_only_itself() -> None:
    results = parse_fixture(ADAPTER, "hf_daily_papers_dirty.jsonl")
    assert_costs_only_itself(results, 2, "line 3", "invalid JSON: unexpected end of data at character 50")


def test_refusals_say_why() -> None:
    results = parse_fixture(ADAPTER, "hf_daily_papers_dirty.jsonl")
    assert (results[4].position, verdict(results[4])) == (
        "line 5 (id not-arxiv-123)",
        TITLE_REQUIRED,
    )
    assert (results[5].position, verdict(results[5])) == ("line 6", "listing item has no paper id")


def test_bare_paper_objects_are_accepted() -> None:
    bare = parse_fixture(ADAPTER, "hf_daily_papers_dirty.jsonl")[6]
    assert bare.position == "line 7 (id 2408.55555)"
    assert [a.name for a in accepted(bare).sighting.paper.authors] == ["Bare Author"]


def test_sighting_id_is_stable_across_imports() -> None:
    first = [p.sighting["sighting_id"] for p in parse_fixture(ADAPTER, "hf_daily_papers.json") if p.sighting]
    again = [p.sighting["sighting_id"] for p in parse_fixture(ADAPTER, "hf_daily_papers.json") if p.sighting]
    assert first == again
    assert len(set(first)) == 2
