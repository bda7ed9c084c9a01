"""arxiv-atom: arXiv API feeds become one sighting per entry; API errors and broken entries say why."""

from ingest.adapters.arxiv_atom import ADAPTER
from ingest.adapters.base import Parsed

from .support import accepted, parse_bytes, parse_fixture


def fixture() -> list[Parsed]:
    return parse_fixture(ADAPTER, "arxiv_atom_query.xml")


def test_adapter_identity() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("arxiv-atom", "arxiv")


def test_every_entry_has_an_outcome_in_order() -> None:
    assert [(r.position, r.error is None) for r in fixture()] == [
        ("record 1 (id 2203.06321v2)", True),
        ("record 2 (id hep-th/9901001v1)", True),
        ("record 3 (id 2301.00001v1)", False),
        ("record 4 (id http://arxiv.org/api/errors#incorrect_id_format_for_1234.123456)", False),
        ("record 5 (id 2305.10001v3)", True),
    ]


def test_full_entry() -> None:
    prepared = accepted(fixture()[0])
    sighting = prepared.sighting
    paper = sighting.paper
    assert (sighting.sighting_id, sighting.source_url) == ("arxiv:2203.06321v2", "https://arxiv.org/abs/2203.06321v2")
    assert sighting.work_key == "doi:10.1109/cvpr52688.2022.01234"
    assert (paper.identifiers.arxiv, paper.identifiers.arxiv_version) == ("2203.06321", 2)
    assert paper.title == "Rethinking Pruning & Distillation: Compact Networks with L^2 Guarantees"
    assert paper.abstract == (
        "We revisit pruning for compact networks. Our method removes 90% of the weights of a ResNet-50 while "
        "keeping R&D costs low; code: https://github.com/example/rethink_pruning."
    )
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("Kaisheng Ma", ["Tsinghua University"]),
        ("René Dupré", []),  # mojibake in the feed, repaired
    ]
    assert (paper.published, paper.kind, paper.venue) == ("2022-03-12", "article", "Proc. CVPR 2022, pp. 12345-12354")
    assert (paper.comments, paper.keywords) == ("CVPR 2022; 12 pages, 5 figures", ["cs.CV", "cs.LG"])
    assert paper.urls == {"pdf": "https://arxiv.org/pdf/2203.06321v2"}


def test_old_style_id_and_double_escaped_entities() -> None:
    paper = accepted(fixture()[1]).sighting.paper
    assert (paper.identifiers.arxiv, paper.title, paper.kind) == ("hep-th/9901001", "Branes 'n' strings", "preprint")
    assert [a.name for a in paper.authors] == ["J. Müller"]


def test_broken_entry_and_api_error_cost_only_themselves() -> None:
    broken, api_error = fixture()[2:4]
    assert broken.error == "malformed XML: StartTag: invalid element name, line 55, column 27"
    assert "Bounds when a < b" in broken.raw
    assert api_error.error == "arXiv API error: incorrect id format for 1234.123456"


def test_entry_without_authors_is_a_sighting_without_authors() -> None:
    paper = accepted(fixture()[4]).sighting.paper
    assert (paper.authors, paper.author_count, paper.published) == ([], None, "2023-05-17")


def test_entry_without_id_is_refused() -> None:
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Orphan</title></entry>'
        b"<entry><id>http://arxiv.org/abs/2301.00002v1</id><title>Fine</title></entry></feed>"
    )
    assert [(r.position, r.error) for r in parse_bytes(ADAPTER, feed)] == [
        ("record 1", "entry has no arXiv id"),
        ("record 2 (id 2301.00002v1)", None),
    ]


def test_an_empty_feed_yields_nothing() -> None:
    assert parse_bytes(ADAPTER, b'<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>') == []
