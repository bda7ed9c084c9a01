"""DBLP XML adapter: records with HTML entities, ORCIDs and homonym numbers, streamed without the DTD."""

import io
import random

from ingest.adapters.dblp_xml import ADAPTER

from .support import FIXTURES, SEEN, TITLE_REQUIRED, accepted, parse_bytes, parse_fixture, verdict

SAMPLE = "dblp_xml_sample.xml"
HEAD = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n'


class Trickle(io.RawIOBase):
    """A stream that hands out 1 to 7 bytes per read, so entities are split across reads."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self._sizes = random.Random(7)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(self._sizes.randint(1, 7))


def test_adapter_names() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("dblp-xml", "dblp")


def test_records_in_order_person_pages_skipped() -> None:
    results = parse_fixture(ADAPTER, SAMPLE)
    assert [(p.position, verdict(p)) for p in results] == [
        ("record 1 (journals/tec/ZhanZLC09, line 4)", None),
        ("record 2 (conf/cvpr/MaZ22, line 23)", None),
        ("record 3 (journals/corr/abs-2203-06321, line 35)", None),
        ("record 4 (conf/broken/Nobody21, line 43)", TITLE_REQUIRED),
        ("record 5 (conf/cis/2004, line 47)", None),
        ("record 6 (phd/de/Mueller2019, line 58)", None),
    ]
    assert "<booktitle>Nowhere</booktitle>" in results[3].raw


def test_orcids_homonym_numbers_and_bad_checksum() -> None:
    first = parse_fixture(ADAPTER, SAMPLE)[0]
    assert first.sighting is not None
    assert first.sighting["sighting_id"] == "dblp:journals/tec/ZhanZLC09@2023-03-27"
    assert first.sighting["source_url"] == "https://dblp.org/rec/journals/tec/ZhanZLC09"
    prepared = accepted(first)
    paper = prepared.sighting.paper
    assert [(a.name, a.orcid) for a in paper.authors] == [
        ("Zhi-Hui Zhan", None),
        ("Jun Zhang", "0000-0001-7835-9871"),
        ("Yun Li", None),
        ("Henry Shu-Hung Chung", None),
    ]
    assert any("0000-0003-3453-5541" in w and "checksum" in w for w in prepared.warnings)
    assert "Jun Zhang 0003" in first.raw
    assert (paper.title, paper.kind, paper.published) == ("Adaptive Particle Swarm Optimization", "article", "2009")
    assert prepared.sighting.work_key == "doi:10.1109/tsmcb.2009.2015956"
    assert paper.urls == {}


def test_entities_markup_and_stray_ampersand() -> None:
    paper = accepted(parse_fixture(ADAPTER, SAMPLE)[1]).sighting.paper
    assert paper.title == "Rethinking H2 Pruning for Café & AT&T Networks"
    assert [a.name for a in paper.authors] == ["Kaisheng Ma", "Jürgen Müller", "Renée O'Brien"]
    assert (paper.kind, paper.venue) == ("proceedings", "CVPR")
    assert paper.urls == {"html": "https://openaccess.thecvf.com/content/CVPR2022/html/Ma_Rethinking.html"}


def test_corr_record_is_a_preprint_keyed_by_arxiv() -> None:
    prepared = accepted(parse_fixture(ADAPTER, SAMPLE)[2]).sighting
    assert prepared.paper.title == 'Rethinking Pruning – the "long" version'
    assert (prepared.paper.kind, prepared.work_key) == ("preprint", "arxiv:2203.06321")


def test_editors_and_theses() -> None:
    results = parse_fixture(ADAPTER, SAMPLE)
    volume = accepted(results[4]).sighting.paper
    assert [a.name for a in volume.authors] == ["Jun Zhang", "Ji-Huan He"]
    assert [a.role for a in volume.authors] == ["editor", "editor"]
    thesis = accepted(results[5]).sighting.paper
    assert (thesis.title, thesis.kind, thesis.venue) == ("On Ökonomie of Search", "thesis", "TU München")


def test_entities_split_across_reads() -> None:
    data = (FIXTURES / SAMPLE).read_bytes()
    whole = parse_fixture(ADAPTER, SAMPLE)
    trickled = list(ADAPTER.parse(Trickle(data), "dblp", SEEN))
    assert [p.sighting for p in trickled] == [p.sighting for p in whole]


def test_mojibake_unknown_entities_and_unknown_record_types() -> None:
    body = (
        b'<article mdate="2020-01-01" key="journals/x/A1"><author>Jos\xc3\x83\xc2\xa9 Silva</author>'
        b"<title>Caf&eacute; &bogus; &#39;quoted&#39;.</title><year>2020</year><journal>J</journal></article>\n"
        b'<thing mdate="2020-01-01" key="things/x/B"><title>What?</title></thing>\n'
        b'<article mdate="2020-01-02" key="journals/x/A2"><title>After.</title><year>2020-03</year></article>\n'
    )
    results = parse_bytes(ADAPTER, HEAD + body + b"</dblp>\n")
    assert [verdict(p) for p in results] == [None, "unknown DBLP record type <thing>", None]
    first = accepted(results[0]).sighting.paper
    assert first.authors[0].name == "José Silva"
    assert first.title == "Café &bogus; 'quoted'"
    assert accepted(results[2]).sighting.paper.published == "2020-03"


def test_malformed_xml_keeps_the_records_before_it() -> None:
    good = b'<article mdate="2020-01-01" key="journals/x/A1"><title>Fine.</title><year>2020</year></article>\n'
    results = parse_bytes(ADAPTER, HEAD + good + b'<article key="journals/x/A2"><title>Broken</article>\n</dblp>\n')
    assert [verdict(p) is None for p in results] == [True, False]
    assert results[1].position == "line 5"
    assert verdict(results[1]) is not None
    assert verdict(results[1]).startswith("not well-formed XML")


def test_records_are_streamed_not_loaded() -> None:
    record = b'<article mdate="2020-01-01" key="journals/x/A%d"><title>Paper %d.</title><year>2020</year></article>\n'
    body = HEAD + b"".join(record % (i, i) for i in range(20000)) + b"</dblp>\n"
    stream = io.BytesIO(body)
    first = next(ADAPTER.parse(stream, "dblp", SEEN))
    assert first.sighting is not None
    assert stream.tell() < len(body) // 4
