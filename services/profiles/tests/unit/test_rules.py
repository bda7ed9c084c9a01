"""The pure rules of profiles: id derivation, work matching, field precedence, author alignment, collaborators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts import Identifiers
from profiles.domain import (
    CLOSE_COLLABORATOR_MIN_SHARED,
    Offer,
    Origin,
    WorkFacts,
    align_authors,
    choose_fields,
    close_collaborators,
    display_name,
    identifiers,
    name_tokens,
    researcher_id_for,
    survivor,
    title_match,
    work_id_for,
)
from profiles.names import parse_name

T = datetime(2026, 1, 1, tzinfo=UTC)


def offer(source: str, **fields: object) -> Offer:
    return Offer(source=source, **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- ids


def test_ids_derive_from_content_only() -> None:
    assert work_id_for("arxiv:2401.00001") == work_id_for("arxiv:2401.00001")
    assert work_id_for("arxiv:2401.00001") != work_id_for("doi:10.1/x")
    assert work_id_for("doi:10.1/x").startswith("w_")
    first, later = Origin(T, "arxiv:1", 0), Origin(T + timedelta(days=1), "arxiv:2", 3)
    assert researcher_id_for(None, first) == researcher_id_for(None, Origin(T + timedelta(hours=5), "arxiv:1", 0))
    assert researcher_id_for(None, first) != researcher_id_for(None, later)
    orcid = "0000-0002-1825-0097"
    assert researcher_id_for(orcid, first) == researcher_id_for(orcid, later), "an ORCID decides alone"


def test_the_survivor_is_the_earliest_evidence_whatever_the_order() -> None:
    early, late = (Origin(T, "doi:10.1/b", 0), "r_b"), (Origin(T + timedelta(1), "arxiv:1", 0), "r_a")
    assert survivor([early, late]) == survivor([late, early]) == "r_b"
    tie = (Origin(T, "doi:10.1/b", 0), "r_a")
    assert survivor([early, tie]) == "r_a", "same evidence: the smaller id"


# ---------------------------------------------------------------- identifiers and title matching


def test_identifiers_include_every_scheme_and_arxiv_datacite_dois_count_as_arxiv() -> None:
    ids = Identifiers(doi="10.48550/arxiv.2401.00001", pmid="12", openalex="W9", dblp="conf/x/Y24")
    assert identifiers("doi:10.48550/arxiv.2401.00001", ids) == [
        "doi:10.48550/arxiv.2401.00001",
        "arxiv:2401.00001",
        "pmid:12",
        "openalex:W9",
        "dblp:conf/x/Y24",
    ]


def facts(title: str, year: int | None, names: list[str], *idents: str) -> WorkFacts:
    return WorkFacts.of(title, year, idents, names)


def test_preprint_and_published_version_match_on_title_year_and_authors() -> None:
    preprint = facts("Scaling Laws for Sparse Models", 2023, ["Alice Martin", "Bo Chen"], "arxiv:2301.1")
    published = facts("Scaling laws for sparse models.", 2024, ["Martin, Alice", "B. Chen"], "doi:10.1/jmlr")
    assert title_match(preprint, published) > 0


def test_same_title_different_papers_do_not_match() -> None:
    a = facts("Scaling Laws for Sparse Models", 2023, ["Alice Martin", "Bo Chen"])
    assert title_match(a, facts("Scaling Laws for Sparse Models", 2023, ["Hans Weber", "Eva Klein"])) == 0
    assert title_match(a, facts("Scaling Laws for Sparse Models", 2019, ["Alice Martin", "Bo Chen"])) == 0, "years"
    doi1 = facts("Scaling Laws for Sparse Models", 2023, ["Alice Martin"], "doi:10.1/a")
    doi2 = facts("Scaling Laws for Sparse Models", 2023, ["Alice Martin"], "doi:10.1/b")
    assert title_match(doi1, doi2) == 0, "two DOIs are two works"


def test_short_titles_need_two_shared_authors() -> None:
    one = facts("Introduction", 2019, ["Maria Rossi", "Luca Bianchi"])
    assert title_match(one, facts("Introduction", 2019, ["Maria Rossi", "Paolo Verdi"])) == 0
    assert title_match(one, facts("Introduction", 2019, ["Maria Rossi", "Luca Bianchi"])) > 0
    assert title_match(facts("Introduction", 2019, []), facts("Introduction", 2019, [])) == 0


# ---------------------------------------------------------------- field precedence


def test_publisher_wins_venue_and_kind_over_the_preprint_whatever_the_order() -> None:
    for order in (("arxiv", "crossref"), ("crossref", "arxiv")):
        fields: dict[str, object] = {}
        sources: dict[str, str] = {}
        for source in order:
            is_arxiv = source == "arxiv"
            fields, sources = choose_fields(
                fields,
                sources,
                offer(
                    source,
                    title="T",
                    kind="preprint" if is_arxiv else "article",
                    venue="arXiv" if is_arxiv else "Nature",
                    published="2023-01-02" if is_arxiv else "2024-05",
                ),
            )
        assert fields["venue"] == "Nature"
        assert fields["kind"] == "article"
        assert fields["published"] == "2024-05"
        assert fields["year"] == 2024
        assert sources["venue"] == sources["kind"] == "crossref"


def test_the_richest_abstract_wins_and_keywords_accumulate() -> None:
    fields, sources = choose_fields({}, {}, offer("crossref", abstract="Short.", keywords=("a",)))
    fields, sources = choose_fields(
        fields, sources, offer("arxiv", abstract="A much longer abstract.", keywords=("b",))
    )
    fields, sources = choose_fields(fields, sources, offer("pubmed", abstract="Mid-length one.", keywords=("a",)))
    assert fields["abstract"] == "A much longer abstract."
    assert sources["abstract"] == "arxiv"
    assert fields["keywords"] == ["a", "b"]


# ---------------------------------------------------------------- authors and collaborators


def test_author_slots_align_by_compatible_names_not_only_positions() -> None:
    existing = [(0, parse_name("Alice Martin")), (1, parse_name("Bo Chen")), (2, parse_name("Carla Diaz"))]
    incoming = [parse_name(n) for n in ("Martin A", "C. Diaz", "Dan Evans")]
    assert align_authors(existing, incoming) == [0, 2, 3]


def test_close_collaborators_need_the_threshold_of_shared_works() -> None:
    shared = [("r_b", "w1"), ("r_b", "w2"), ("r_c", "w1"), ("r_d", "w3"), ("r_d", "w2"), ("r_d", "w1"), ("r_b", "w1")]
    assert CLOSE_COLLABORATOR_MIN_SHARED == 2
    assert close_collaborators(shared) == [("r_d", ["w1", "w2", "w3"]), ("r_b", ["w1", "w2"])]


def test_display_name_and_search_tokens() -> None:
    assert display_name({"K. Ma": 3, "Kaisheng Ma": 3, "Ma K": 1}) == "Kaisheng Ma"
    assert name_tokens(["Jürgen Müller", "J. Müller"]) == ["j", "jurgen", "muller"]
