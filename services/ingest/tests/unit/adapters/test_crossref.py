"""Crossref adapter: API envelopes, work lists, JSON lines and dirty works become sightings or exact reasons."""

import io
import json
from typing import Any

from ingest.adapters.crossref import ADAPTER

from .support import FIXTURES, SEEN, TITLE_REQUIRED, accepted, parse_bytes, parse_fixture, verdict


def test_adapter_names() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("crossref", "crossref")


def test_single_work_envelope() -> None:
    [parsed] = parse_fixture(ADAPTER, "crossref_work.json")
    assert parsed.position == "record 1 (10.1109/TSMCB.2009.2015956)"
    sighting = parsed.sighting
    assert sighting is not None
    assert sighting["sighting_id"] == "crossref:10.1109/tsmcb.2009.2015956@2024-03-08T14:12:37Z"
    assert sighting["source_url"] == "https://api.crossref.org/works/10.1109/TSMCB.2009.2015956"
    assert sighting["seen_at"] == SEEN
    paper = sighting["paper"]
    assert paper["title"] == "Adaptive Particle Swarm Optimization"
    assert paper["abstract"].split("\n\n") == [
        "An adaptive particle swarm optimization (APSO) that features better search efficiency than classical "
        "particle swarm optimization (PSO) is presented.",
        "APSO can perform a global search over the entire search space with faster convergence speed, using "
        "evolutionary state estimation & an elitist learning strategy.",
    ]
    assert (paper["kind"], paper["published"]) == ("article", "2009-12")
    assert paper["venue"] == "IEEE Transactions on Systems, Man, and Cybernetics, Part B (Cybernetics)"
    assert paper["urls"] == {
        "html": "http://ieeexplore.ieee.org/document/4812104/",
        "pdf": "https://ieeexplore.ieee.org/ielx5/3477/5299185/04812104.pdf",
    }
    prepared = accepted(parsed).sighting
    assert prepared.work_key == "doi:10.1109/tsmcb.2009.2015956"
    assert [a.name for a in prepared.paper.authors] == ["Zhi-Hui Zhan", "Jun Zhang", "Yun Li", "Henry Shu-Hung Chung"]
    assert prepared.paper.authors[1].orcid == "0000-0001-7835-9871"
    assert prepared.paper.authors[3].affiliations == ["City University of Hong Kong"]


def test_work_list_items_kinds_and_partial_dates() -> None:
    results = parse_fixture(ADAPTER, "crossref_work_list.json")
    assert len(results) == 10
    good = {p.position: p.sighting["paper"] for p in results if p.sighting and verdict(p) is None}
    kinds = [(paper["kind"], paper["published"]) for paper in good.values()]
    assert kinds == [
        ("proceedings", "2022-03"),
        ("preprint", "2022"),
        ("chapter", "2019-02"),
        ("proceedings", "2022-03-11"),
        ("thesis", "2019-06-30"),
        ("dataset", "2018-11"),
        ("article", None),
    ]
    for parsed in results:
        if parsed.sighting and verdict(parsed) is None:
            accepted(parsed)
    preprint = good["record 2 (10.31234/osf.io/abcde)"]
    assert preprint["venue"] == "PsyArXiv"
    assert good["record 1 (10.1109/CVPR52688.2022.01234)"]["title"] == "Rethinking Pruning: A Study of Sparse Networks"


def test_html_entities_and_mojibake_are_repaired() -> None:
    good = {p.position: p.sighting["paper"] for p in parse_fixture(ADAPTER, "crossref_work_list.json") if p.sighting}
    assert good["record 3 (10.1007/978-3-030-12345-6_7)"]["title"] == "Don't Stop & Think: Lessons from Search"
    assert good["record 8 (10.5061/dryad.abc123)"]["title"] == "Café culture and résumés: survey data"


def test_same_doi_twice_with_different_orcids_gives_two_sightings() -> None:
    twins = [p for p in parse_fixture(ADAPTER, "crossref_work_list.json") if "CVPR52688" in p.position]
    assert [verdict(p) for p in twins] == [None, None]
    prepared = [accepted(p).sighting for p in twins]
    assert prepared[0].work_key == prepared[1].work_key == "doi:10.1109/cvpr52688.2022.01234"
    assert prepared[0].sighting_id != prepared[1].sighting_id
    assert [s.paper.authors[0].orcid for s in prepared] == ["0000-0002-1825-0097", "0000-0001-5109-3700"]


def test_bad_orcid_checksum_is_dropped_with_a_warning() -> None:
    [thesis] = [p for p in parse_fixture(ADAPTER, "crossref_work_list.json") if "12345678" in p.position]
    prepared = accepted(thesis)
    assert prepared.sighting.paper.authors[0].name == "Wei Chen"
    assert prepared.sighting.paper.authors[0].orcid is None
    assert any("checksum" in w for w in prepared.warnings)


def test_missing_and_unnamed_authors() -> None:
    good = {p.position: p for p in parse_fixture(ADAPTER, "crossref_work_list.json") if p.sighting}
    dataset = accepted(good["record 8 (10.5061/dryad.abc123)"]).sighting.paper
    assert (dataset.authors, dataset.author_count) == ([], None)
    ligo = accepted(good["record 10 (10.1103/PhysRevLett.116.061102)"]).sighting.paper
    assert [a.name for a in ligo.authors] == ["LIGO Scientific Collaboration and Virgo Collaboration"]
    assert ligo.author_count == 2


def test_broken_records_in_the_middle_get_exact_reasons() -> None:
    results = parse_fixture(ADAPTER, "crossref_work_list.json")
    bad = {p.position: verdict(p) for p in results if verdict(p)}
    assert bad == {
        "record 4 (10.5555)": "paper.identifiers.doi: not a DOI (expected 10.NNNN/suffix): '10.5555'",
        "record 5": TITLE_REQUIRED,
        "record 9": "not a Crossref work: JSON null",
    }
    assert results[3].raw.startswith('{"DOI":"10.5555"')
    assert results[2].sighting is not None
    assert results[5].sighting is not None


def test_json_lines_survive_a_truncated_line() -> None:
    results = parse_fixture(ADAPTER, "crossref_works.jsonl")
    assert [p.position for p in results] == [
        "line 1 (10.1145/3292500.3330701)",
        "line 2",
        "line 4 (10.1016/j.camwa.2015.12.007)",
    ]
    assert verdict(results[1]) is not None
    assert verdict(results[1]).startswith("invalid JSON")
    assert results[2].sighting is not None
    assert results[2].sighting["paper"]["venue"] == "Computers & Mathematics with Applications"
    for parsed in (results[0], results[2]):
        accepted(parsed)


def test_bare_work_and_top_level_array() -> None:
    work = {"DOI": "10.1000/abc", "title": ["A"], "type": "journal-article", "issued": {"date-parts": [["2022", "3"]]}}
    [bare] = parse_bytes(ADAPTER, json.dumps(work, indent=2).encode())
    assert bare.sighting is not None
    assert bare.sighting["sighting_id"] == "crossref:10.1000/abc"
    assert bare.sighting["paper"]["published"] == "2022-03"
    pair = parse_bytes(ADAPTER, json.dumps([work, work], indent=2).encode())
    assert [p.position for p in pair] == ["record 1 (10.1000/abc)", "record 2 (10.1000/abc)"]


def test_error_envelope_and_truncated_document() -> None:
    failed = {"status": "failed", "message-type": "validation-failure", "message": [{"message": "bad filter"}]}
    [error] = parse_bytes(ADAPTER, json.dumps(failed, indent=2).encode())
    assert verdict(error) is not None
    assert verdict(error).startswith("Crossref answered status 'failed'")
    text = (FIXTURES / "crossref_work_list.json").read_text()
    results = parse_bytes(ADAPTER, text[: text.index('"DOI": "10.5555"')].encode())
    assert [verdict(p) is None for p in results] == [True, True, True, False]
    assert verdict(results[-1]) is not None
    assert "invalid JSON" in verdict(results[-1])
    assert parse_bytes(ADAPTER, b"") == []


def test_work_list_is_streamed_not_loaded() -> None:
    item = {"DOI": "10.1000/x", "title": ["T"], "type": "journal-article", "abstract": "<jats:p>" + "x" * 500}
    body = json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": [item] * 3000}}, indent=1)
    stream = io.BytesIO(body.encode())
    first = next(ADAPTER.parse(stream, "crossref", SEEN))
    assert first.sighting is not None
    assert stream.tell() < len(body) // 10


def test_keyless_record_gets_a_stable_digest_id() -> None:
    work: dict[str, Any] = {"title": ["Untitled DOI-less work"], "type": "report"}
    first, second = parse_bytes(ADAPTER, json.dumps(work).encode()), parse_bytes(ADAPTER, json.dumps(work).encode())
    assert first[0].sighting is not None
    assert second[0].sighting is not None
    assert first[0].sighting["sighting_id"] == second[0].sighting["sighting_id"]
    assert first[0].sighting["sighting_id"].startswith("crossref:sha256:")
    assert first[0].sighting["paper"]["kind"] == "other"


def test_structured_names_are_kept() -> None:
    authors = accepted(parse_fixture(ADAPTER, "crossref_work.json")[0]).sighting.paper.authors
    assert [(a.name, a.family_name, a.given_name) for a in authors[:2]] == [
        ("Zhi-Hui Zhan", "Zhan", "Zhi-Hui"),
        ("Jun Zhang", "Zhang", "Jun"),
    ]
