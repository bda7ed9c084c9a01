"""arxiv-oai: arXivRaw ListRecords pages become sightings record by record; deleted and broken records say why."""

import io
import re

from ingest.adapters.arxiv_oai import ADAPTER, XmlRecords
from ingest.adapters.arxiv_snapshot import ADAPTER as SNAPSHOT
from ingest.adapters.base import Parsed

from .support import FIXTURES, CountingStream, accepted, parse_bytes, parse_fixture, real_sample

FIXTURE = "arxiv_oai_listrecords.xml"
OAI_ROOT = b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'


def fixture() -> list[Parsed]:
    return parse_fixture(ADAPTER, FIXTURE)


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("arxiv-oai", "arxiv")


def test_every_record_has_an_outcome_in_order() -> None:
    results = fixture()
    assert [(r.position, r.sighting is not None) for r in results] == [
        ("record 1 (id 0704.0001)", True),
        ("record 2 (id 0704.0025)", True),
        ("record 3 (id 0704.0099)", False),
        ("record 4 (id 0704.0100)", False),
        ("record 5 (id math/0309136)", True),
    ]
    for result in results:
        if result.sighting is not None:
            accepted(result)


def test_same_paper_as_the_real_snapshot_record() -> None:
    oai = accepted(fixture()[0]).sighting
    line = real_sample("arxiv_snapshot_sample/arxiv-metadata-oai-snapshot.head.jsonl").read_bytes().splitlines()[0]
    snapshot = accepted(parse_bytes(SNAPSHOT, line)[0]).sighting
    assert oai.work_key == snapshot.work_key == "doi:10.1103/physrevd.76.013009"
    assert oai.sighting_id == snapshot.sighting_id == "arxiv:0704.0001v2@2008-11-26"
    assert [a.name for a in oai.paper.authors] == [a.name for a in snapshot.paper.authors]
    same = ("title", "kind", "published", "venue", "keywords", "urls", "comments")
    assert {f: getattr(oai.paper, f) for f in same} == {f: getattr(snapshot.paper, f) for f in same}
    assert oai.paper.identifiers == snapshot.paper.identifiers


def test_latex_entities_quotes_and_numbered_affiliations() -> None:
    paper = accepted(fixture()[1]).sighting.paper
    assert paper.title == 'Spectroscopic & transport properties of Cu^2O: a "polaron" study'
    assert paper.abstract == (
        "We show that 30% of the spectral weight moves 'upwards' at low temperature; "
        "code at https://example.org/~andrey/pol_code."
    )
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        (
            "A. S. Mishchenko",
            ["CREST, Japan Science and Technology Agency", 'Russian Research Centre "Kurchatov Institute"'],
        ),
        ("N. Nagaosa", ["CREST, Japan Science and Technology Agency", "The University of Tokyo"]),
    ]
    assert (paper.kind, paper.keywords) == ("preprint", ["cond-mat.str-el", "cond-mat.stat-mech"])


def test_deleted_record_is_refused_with_the_reason() -> None:
    deleted = fixture()[2]
    assert deleted.error == 'record deleted at the source (OAI-PMH header status="deleted")'
    assert '<header status="deleted">' in deleted.raw


def test_a_broken_record_costs_only_itself_and_says_where() -> None:
    broken = fixture()[3]
    assert broken.error == (
        "malformed XML: Opening and ending tag mismatch: title line 70 and arXivRaw, line 72, column 13"
    )
    assert "A title that never ends" in broken.raw


def test_old_style_id_unordered_versions_and_two_dois() -> None:
    sighting = accepted(fixture()[4]).sighting
    paper = sighting.paper
    assert (paper.identifiers.arxiv, paper.identifiers.arxiv_version) == ("math/0309136", 3)
    assert (paper.published, sighting.source_url) == ("2003-09-08", "https://arxiv.org/abs/math/0309136v3")
    assert sighting.work_key == "doi:10.1000/lens.1"
    assert [a.name for a in paper.authors] == ["Jane Doe", "John Smith Jr.", "R. Müller"]


def test_oai_errors_are_reported_and_an_empty_list_is_not() -> None:
    bad_token = parse_bytes(
        ADAPTER, OAI_ROOT + b'<error code="badResumptionToken">The token expired.</error></OAI-PMH>'
    )
    assert [(r.position, r.error) for r in bad_token] == [
        ("response", "OAI-PMH error badResumptionToken: The token expired.")
    ]
    assert parse_bytes(ADAPTER, OAI_ROOT + b'<error code="noRecordsMatch">No records.</error></OAI-PMH>') == []


def test_other_metadata_formats_and_a_file_cut_short() -> None:
    dublin_core = parse_bytes(
        ADAPTER,
        OAI_ROOT + b"<ListRecords><record><header><identifier>oai:arXiv.org:0704.0001</identifier></header>"
        b'<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"/></metadata>'
        b"</record><record><header><identifier>oai:arXiv.org:0704.0002</identifier></header><meta",
    )
    assert [(r.position, r.error) for r in dublin_core] == [
        ("record 1 (id 0704.0001)", "record has no arXivRaw metadata (harvest with metadataPrefix=arXivRaw)"),
        (
            "record 2 (id 0704.0002)",
            "malformed XML: <record> starting at line 2 is not closed (the file ends inside it)",
        ),
    ]


def test_records_stream_without_reading_the_whole_input() -> None:
    record = (FIXTURES / FIXTURE).read_bytes().split(b"<record>")[1].split(b"</record>")[0]
    stream = CountingStream([OAI_ROOT + b"<ListRecords>", *([b"<record>" + record + b"</record>"] * 20_000)])
    records = iter(XmlRecords(io.BufferedReader(stream), "record", re.compile(rb"<identifier>([^<]+)<")))
    first = next(records)
    assert first.error is None
    assert first.hint == "oai:arXiv.org:0704.0001"
    assert stream.pulled < 200_000  # the page is over 30 MB
