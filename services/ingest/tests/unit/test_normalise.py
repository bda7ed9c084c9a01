"""Normalisers: every identifier form crawlers send, and every way it can be wrong."""

import pytest

from ingest import normalise as n


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1109/CVPR52688.2022.01234", "10.1109/cvpr52688.2022.01234"),
        ("https://doi.org/10.1000/XYZ123", "10.1000/xyz123"),
        ("http://dx.doi.org/10.1000/abc", "10.1000/abc"),
        ("doi: 10.1000/abc.", "10.1000/abc"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
    ],
)
def test_doi_forms(raw: str, expected: str) -> None:
    assert n.normalise_doi(raw) == expected


@pytest.mark.parametrize("raw", ["11.1000/abc", "10.1/abc", "doi", "10.1000/", "https://example.org/10.1000/x y"])
def test_bad_dois_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not a DOI"):
        n.normalise_doi(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2203.06321", ("2203.06321", None)),
        ("arXiv:2203.06321v2", ("2203.06321", 2)),
        ("ARXIV: 2203.06321v12", ("2203.06321", 12)),
        ("https://arxiv.org/abs/2203.06321v3", ("2203.06321", 3)),
        ("https://arxiv.org/pdf/2203.06321v1.pdf", ("2203.06321", 1)),
        ("0704.0001", ("0704.0001", None)),
        ("hep-th/9901001v2", ("hep-th/9901001", 2)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("Math.gt/0309136", ("math.GT/0309136", None)),
    ],
)
def test_arxiv_forms(raw: str, expected: tuple[str, int | None]) -> None:
    assert n.normalise_arxiv(raw) == expected


@pytest.mark.parametrize("raw", ["2213.06321", "2203.0632", "1412.12345", "abc", "2203.06321vx"])
def test_bad_arxiv_ids_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="arXiv"):
        n.normalise_arxiv(raw)


def test_arxiv_doi_is_recognised() -> None:
    assert n.arxiv_from_doi("10.48550/arxiv.2203.06321") == "2203.06321"
    assert n.arxiv_from_doi("10.1109/cvpr.2022.1") is None


@pytest.mark.parametrize(
    "raw",
    [
        "0000-0002-1825-0097",
        "https://orcid.org/0000-0002-1825-0097",
        "0000000218250097",
        "0000-0000-0100-002X",
    ],
)
def test_valid_orcids(raw: str) -> None:
    assert n.normalise_orcid(raw) in {"0000-0002-1825-0097", "0000-0000-0100-002X"}


def test_orcid_checksum_is_checked() -> None:
    with pytest.raises(ValueError, match="checksum"):
        n.normalise_orcid("0000-0002-1825-0098")
    with pytest.raises(ValueError, match="not an ORCID"):
        n.normalise_orcid("0000-0002-1825")


@pytest.mark.parametrize(
    ("fn", "raw", "expected"),
    [
        (n.normalise_pmid, "PMID: 31234567", "31234567"),
        (n.normalise_openalex, "https://openalex.org/W2741809807", "W2741809807"),
        (n.normalise_openalex, "w123", "W123"),
        (n.normalise_dblp, "https://dblp.org/rec/conf/cvpr/MaZ22.html", "conf/cvpr/MaZ22"),
        (n.normalise_dblp, "journals/corr/abs-2203-06321", "journals/corr/abs-2203-06321"),
    ],
)
def test_other_identifiers(fn, raw: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert fn(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022", ("2022", 2022)),
        ("2022-3", ("2022-03", 2022)),
        ("2022/03/11", ("2022-03-11", 2022)),
        ("2022-03-11T10:00:00Z", ("2022-03-11", 2022)),
    ],
)
def test_partial_dates(raw: str, expected: tuple[str, int]) -> None:
    assert n.normalise_published(raw, latest_year=2028) == expected


@pytest.mark.parametrize("raw", ["2022-02-30", "2022-13", "0999", "2031", "March 2022"])
def test_bad_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r"date|range|month"):
        n.normalise_published(raw, latest_year=2028)


def test_clean_text_decodes_entities_strips_tags_and_collapses_space() -> None:
    assert n.clean_text("Kaiming&#39;s  <i>deep</i>\n\tnets &amp; more\u200b") == "Kaiming's deep nets & more"
    assert n.clean_text("a < b and c > d") == "a < b and c > d"
    assert n.clean_text("Cafe\u0301") == "Café"  # NFC composes the accent


def test_clean_paragraphs_keeps_paragraph_breaks() -> None:
    assert n.clean_paragraphs("<jats:p>First  para.</jats:p><jats:p>Second</jats:p>") == "First para.\n\nSecond"
    assert n.clean_paragraphs("one\n\n\n two \nlines") == "one\n\ntwo lines"


@pytest.mark.parametrize("raw", ["ftp://x.org/a", "arxiv.org/abs/1", "https://", "https://a b.org"])
def test_urls_must_be_absolute_http(raw: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        n.normalise_url(raw)


@pytest.mark.parametrize(
    ("fn", "raw"),
    [
        (n.normalise_doi, "10.１２３４/abc"),  # full-width digits are not a DOI prefix
        (n.normalise_arxiv, "2203.06321v0"),  # versions start at 1
        (n.normalise_pmid, "１２３"),
        (n.normalise_orcid, "0000-0002-1825-009７"),
        (n.normalise_dblp, "conf/" + "x" * 300 + "/a"),
    ],
)
def test_only_ascii_digits_and_sane_sizes_pass(fn, raw: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="not"):
        fn(raw)
