"""PubMed adapter: real MEDLINE articles and hand-written dirty records become sightings or exact reasons."""

import tarfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.adapters.base import Parsed
from ingest.adapters.pubmed import ADAPTER

from .support import FIXTURES, TITLE_REQUIRED, accepted, parse_bytes, parse_fixture, parse_stream, real_sample, verdict

DIRTY = "pubmed_dirty.xml"
# Files of the data set that hold no article: efetch answered with an error page, an error result, or nothing.
NOT_ARTICLES = {
    "17539009": "not PubMed XML: the root element is <html>, expected <PubmedArticleSet>",
    "3682051": "not PubMed XML: the root element is <html>, expected <PubmedArticleSet>",
    "25914933": "not PubMed XML: the root element is <eFetchResult>, expected <PubmedArticleSet>",
    "26102739": "not PubMed XML: the root element is <eFetchResult>, expected <PubmedArticleSet>",
    "27145019": "not PubMed XML: the root element is <eFetchResult>, expected <PubmedArticleSet>",
    "27931395": "not PubMed XML: the root element is <eFetchResult>, expected <PubmedArticleSet>",
    "18547453": "not well-formed XML, the rest is unreadable: no element found",
    "18931905": "not well-formed XML, the rest is unreadable: no element found",
    "23670190": "not well-formed XML, the rest is unreadable: no element found",
    "24814876": "not well-formed XML, the rest is unreadable: no element found",
}


def medline_articles(limit: int | None = None) -> Iterator[tuple[str, list[Parsed]]]:
    """(PMID from the file name, what the adapter made of the file), straight from the tarball."""
    with tarfile.open(real_sample("medline_pairs_train.tar.gz"), "r|gz") as tar:
        count = 0
        for member in tar:
            if not member.name.endswith(".xml"):
                continue
            stream = tar.extractfile(member)
            assert stream is not None
            yield Path(member.name).stem, parse_stream(ADAPTER, stream)
            count += 1
            if limit is not None and count >= limit:
                return


def check_file(pmid: str, results: list[Parsed], counts: Counter[str]) -> None:
    if pmid in NOT_ARTICLES:
        assert [verdict(p) for p in results] == [NOT_ARTICLES[pmid]]
        counts["not an article"] += 1
        return
    [parsed] = results
    assert parsed.position == f"record 1 (PMID {pmid})"
    paper = accepted(parsed).sighting.paper
    assert paper.identifiers.pmid == pmid
    assert paper.title
    counts["sighting"] += 1
    counts["doi"] += paper.identifiers.doi is not None
    counts["orcid"] += sum(a.orcid is not None for a in paper.authors)
    counts["structured"] += bool(paper.abstract and "\n\n" in paper.abstract)
    counts[f"kind {paper.kind}"] += 1


def test_adapter_names() -> None:
    assert (ADAPTER.name, ADAPTER.default_source) == ("pubmed", "pubmed")


def test_real_sample_of_300_articles() -> None:
    counts: Counter[str] = Counter()
    by_pmid = {}
    for pmid, results in medline_articles(limit=300):
        check_file(pmid, results, counts)
        by_pmid[pmid] = results
    assert counts["sighting"] + counts["not an article"] == 300
    assert counts["doi"] > 50
    assert counts["structured"] > 30
    structured = by_pmid["10349177"][0].sighting
    assert structured is not None
    assert structured["paper"]["abstract"].startswith("BACKGROUND: Unstable angina is characterized")
    assert "\n\nAIM: To report the immediate" in structured["paper"]["abstract"]
    medline_date = by_pmid["10119474"][0].sighting
    assert medline_date is not None
    assert medline_date["paper"]["published"].startswith("19")
    collective = by_pmid["12945548"][0].sighting
    assert collective is not None
    assert collective["paper"]["authors"][-1]["name"].startswith("Korporativen Mitgleider")


@pytest.mark.slow
def test_all_real_articles() -> None:
    counts: Counter[str] = Counter()
    by_pmid = {}
    for pmid, results in medline_articles():
        check_file(pmid, results, counts)
        if pmid in {"24648611", "24288453", "17275379", "26074649"}:
            by_pmid[pmid] = results[0].sighting
    assert counts == {
        "sighting": 2962,
        "not an article": len(NOT_ARTICLES),
        "doi": 2067,
        "orcid": 111,
        "structured": 705,
        "kind article": 2948,
        "kind other": 7,
        "kind proceedings": 6,
        "kind dataset": 1,
    }
    orcids = [a["orcid"] for a in by_pmid["24648611"]["paper"]["authors"] if a["orcid"]]
    assert "0000-0002-6364-9654" in orcids
    assert by_pmid["24288453"]["paper"]["title"].startswith(
        "Transformation of common wheat (Triticum aestivum L.) with avenin-like b gene"
    )
    names = [a["name"] for a in by_pmid["17275379"]["paper"]["authors"]]
    assert "Maryam Razzaghy Azar" in names
    assert "Maryam Azar" not in names
    assert "W m-2" in by_pmid["26074649"]["paper"]["abstract"]


def test_dirty_records() -> None:
    results = parse_fixture(ADAPTER, DIRTY)
    assert [p.position for p in results] == [
        "record 1 (PMID 24648611)",
        "record 2 (PMID 10119474)",
        "record 3 (line 88)",
        "record 4 (PMID 30000001)",
        "record 5 (PMID 30000002)",
        "record 6 (PMID 20301295)",
    ]
    assert verdict(results[2]) == TITLE_REQUIRED
    assert "<PubmedArticle>" in results[2].raw
    assert [verdict(p) for i, p in enumerate(results) if i != 2] == [None] * 5


def test_markup_structured_abstract_ids_and_keywords() -> None:
    first = parse_fixture(ADAPTER, DIRTY)[0]
    assert first.sighting is not None
    assert first.sighting["sighting_id"] == "pubmed:24648611@2018-11-13"
    assert first.sighting["source_url"] == "https://pubmed.ncbi.nlm.nih.gov/24648611/"
    paper = accepted(first).sighting.paper
    assert paper.title == "STAT4 gene polymorphisms and CO2 & Ca2+ in primary biliary cirrhosis."
    assert paper.abstract == (
        "BACKGROUND: Primary biliary cirrhosis is an autoimmune liver disease.\n\n"
        "METHODS: We genotyped three SNPs in 1,002 subjects.\n\n"
        "RESULTS: P = 4.2 × 10(-5)."
    )
    assert (paper.identifiers.doi, paper.identifiers.pmid) == ("10.1155/2014/727393", "24648611")
    assert paper.urls == {"html": "https://pmc.ncbi.nlm.nih.gov/articles/PMC3933399/"}
    assert paper.keywords == ["STAT4", "ANA", "Liver Cirrhosis, Biliary", "STAT4 Transcription Factor"]
    assert (paper.kind, paper.published, paper.venue) == ("article", "2014-03", "Disease markers")


def test_authors_orcids_suffixes_and_collectives() -> None:
    prepared = accepted(parse_fixture(ADAPTER, DIRTY)[0])
    authors = prepared.sighting.paper.authors
    assert [a.name for a in authors] == ["Satoru Joshita", "Takeji Umemura", "Eric Engels Jr", "PBC Study Group"]
    assert authors[0].orcid == "0000-0002-6364-9654"
    assert authors[0].affiliations == [
        "Shinshu University School of Medicine, Matsumoto, Japan.",
        "Nagasaki Medical Center, Omura, Japan.",
    ]
    assert authors[1].orcid is None
    assert any("checksum" in w for w in prepared.warnings)


def test_entities_mojibake_and_medline_dates() -> None:
    paper = accepted(parse_fixture(ADAPTER, DIRTY)[1]).sighting.paper
    assert paper.title == "[Café and the 'heart': a & b]."
    assert (paper.published, paper.venue) == ("1998-12", "Revista médica de Chile")
    assert paper.authors[0].name == "A Martínez"


def test_same_doi_twice_and_missing_authors() -> None:
    results = parse_fixture(ADAPTER, DIRTY)
    first, again = accepted(results[0]).sighting, accepted(results[3]).sighting
    assert first.work_key == again.work_key == "doi:10.1155/2014/727393"
    assert first.sighting_id != again.sighting_id == "pubmed:30000001v2@2021-02-03"
    assert again.paper.authors[0].orcid == "0000-0001-5109-3700"
    assert (again.paper.kind, again.paper.published) == ("preprint", "2022")
    editorial = accepted(results[4]).sighting.paper
    assert (editorial.authors, editorial.author_count, editorial.published) == ([], None, "2022")


def test_book_chapter() -> None:
    paper = accepted(parse_fixture(ADAPTER, DIRTY)[5]).sighting.paper
    assert (paper.kind, paper.title, paper.venue) == ("chapter", "Waardenburg Syndrome Type 1", "GeneReviews")
    assert [a.name for a in paper.authors] == ["Jeff M Milunsky"]


def test_malformed_xml_keeps_the_records_before_it() -> None:
    text = (FIXTURES / DIRTY).read_bytes()
    cut = text.index(b"<PubmedArticle>", text.index(b"10119474"))
    results = parse_bytes(ADAPTER, text[:cut] + b"<PubmedArticle><oops></PubmedArticle>")
    assert [verdict(p) is None for p in results] == [True, True, False]
    assert results[-1].position.startswith("line ")
    assert verdict(results[-1]) is not None
    assert verdict(results[-1]).startswith("not well-formed XML")


def test_empty_and_foreign_documents() -> None:
    assert [verdict(p) for p in parse_bytes(ADAPTER, b"")] == [
        "not well-formed XML, the rest is unreadable: no element found"
    ]
    html = b"<html><body>Bad Gateway</body></html>"
    assert [verdict(p) for p in parse_bytes(ADAPTER, html)] == [
        "not PubMed XML: the root element is <html>, expected <PubmedArticleSet>"
    ]


def test_structured_names_keep_compound_surnames() -> None:
    record = (
        b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version='1'>1</PMID><Article>"
        b"<ArticleTitle>A title</ArticleTitle><AuthorList>"
        b"<Author><LastName>Ben Othman</LastName><ForeName>Tarek</ForeName><Initials>T</Initials></Author>"
        b"<Author><LastName>Cobb</LastName><Initials>JH</Initials></Author>"
        b"<Author><CollectiveName>The BABAR Collaboration</CollectiveName></Author>"
        b"</AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    authors = accepted(parse_bytes(ADAPTER, record)[0]).sighting.paper.authors
    assert [(a.name, a.family_name, a.given_name) for a in authors] == [
        ("Tarek Ben Othman", "Ben Othman", "Tarek"),
        ("JH Cobb", "Cobb", "JH"),
        ("The BABAR Collaboration", None, None),
    ]
