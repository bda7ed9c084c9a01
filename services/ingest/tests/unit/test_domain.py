"""prepare(): a posted item becomes a normalised sighting with its work key, or a rejection with reasons."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts import PaperSeenV1
from ingest.domain import Crawler, MalformedItem, Prepared, Rejected, event_json, field_family, prepare

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
ANY = Crawler(uuid.uuid4(), "test", frozenset({"*"}))


def sighting(**paper: Any) -> dict[str, Any]:
    body = {"title": "Rethinking pruning", "authors": [{"name": "Kaisheng Ma"}], **paper}
    return {
        "source": "arxiv",
        "source_url": "https://arxiv.org/abs/2203.06321",
        "seen_at": "2026-11-21T10:00:00Z",
        "paper": body,
    }


def accepted(raw: object, crawler: Crawler = ANY) -> Prepared:
    result = prepare(raw, crawler, NOW)
    assert isinstance(result, Prepared), result
    return result


def rejected(raw: object, crawler: Crawler = ANY) -> dict[str, str]:
    result = prepare(raw, crawler, NOW)
    assert isinstance(result, Rejected), result
    return {e.field: e.message for e in result.errors}


def test_work_key_precedence() -> None:
    ids = {"doi": "10.1000/abc", "arxiv": "2203.06321v2", "pmid": "123", "openalex": "W9"}
    assert accepted(sighting(identifiers=ids)).sighting.work_key == "doi:10.1000/abc"
    del ids["doi"]
    assert accepted(sighting(identifiers=ids)).sighting.work_key == "arxiv:2203.06321"
    del ids["arxiv"]
    assert accepted(sighting(identifiers=ids)).sighting.work_key == "pmid:123"
    del ids["pmid"]
    assert accepted(sighting(identifiers=ids)).sighting.work_key == "openalex:W9"
    assert accepted(sighting()).sighting.work_key.startswith("title:")


def test_arxiv_versions_share_one_work_key() -> None:
    v1 = accepted(sighting(identifiers={"arxiv": "2203.06321v1"})).sighting
    v2 = accepted(sighting(identifiers={"arxiv": "https://arxiv.org/abs/2203.06321v2"})).sighting
    assert v1.work_key == v2.work_key == "arxiv:2203.06321"
    assert (v1.paper.identifiers.arxiv_version, v2.paper.identifiers.arxiv_version) == (1, 2)


def test_arxiv_datacite_doi_is_keyed_as_the_arxiv_id() -> None:
    prepared = accepted(sighting(identifiers={"doi": "https://doi.org/10.48550/arXiv.2203.06321"}))
    assert prepared.sighting.work_key == "arxiv:2203.06321"
    assert prepared.sighting.paper.identifiers.doi is None


def test_title_key_ignores_case_accents_and_punctuation() -> None:
    a = accepted(sighting(title="Rethinking  Pruning!", published="2022"))
    b = accepted(sighting(title="rethinking pruning", published="2022-05-01"))
    c = accepted(sighting(title="rethinking pruning", published="2023"))
    assert a.sighting.work_key == b.sighting.work_key != c.sighting.work_key


def test_bad_orcid_is_dropped_with_a_warning_not_the_sighting() -> None:
    prepared = accepted(sighting(authors=[{"name": "Kaisheng Ma", "orcid": "0000-0002-1825-0098"}]))
    assert prepared.sighting.paper.authors[0].orcid is None
    assert any("checksum" in w for w in prepared.warnings)


def test_author_count_only_is_fine_and_too_small_counts_are_corrected() -> None:
    hf = accepted(sighting(authors=[], author_count=6)).sighting.paper
    assert (hf.authors, hf.author_count) == ([], 6)
    corrected = accepted(sighting(authors=[{"name": "A B"}, {"name": "C D"}], author_count=1))
    assert corrected.sighting.paper.author_count == 2
    assert corrected.warnings


def test_text_is_cleaned() -> None:
    paper = accepted(
        sighting(title=" Kaiming&#39;s <i>nets</i> ", abstract="<p>a &amp; b</p>", keywords=["ML", "ml", " "])
    ).sighting.paper
    assert (paper.title, paper.abstract, paper.keywords) == ("Kaiming's nets", "a & b", ["ML"])


def test_field_level_reasons() -> None:
    errors = rejected(
        {
            "source": "arXiv!",
            "source_url": "ftp://x",
            "seen_at": "2026-11-21T10:00:00",
            "paper": {
                "title": "t",
                "kind": "poster",
                "identifiers": {"doi": "nope"},
                "authors": [{"name": "  "}],
            },
        }
    )
    assert set(errors) == {
        "source",
        "source_url",
        "seen_at",
        "paper.kind",
        "paper.identifiers.doi",
        "paper.authors.0.name",
    }
    assert "timezone" in errors["seen_at"]
    assert "unknown kind" in errors["paper.kind"]


def test_unknown_fields_are_named() -> None:
    assert "paper.absract" in rejected(sighting(absract="typo"))


def test_title_or_identifier_is_required() -> None:
    errors = rejected(sighting(title=None))
    assert "title is required" in errors["paper"]
    assert accepted(sighting(title=None, identifiers={"doi": "10.1000/x"})).sighting.work_key == "doi:10.1000/x"


def test_future_seen_at_is_refused_and_missing_seen_at_defaults_to_now() -> None:
    raw = sighting()
    raw["seen_at"] = (NOW + timedelta(hours=1)).isoformat()
    assert "future" in rejected(raw)["seen_at"]
    del raw["seen_at"]
    assert accepted(raw).sighting.seen_at == NOW


def test_sources_are_bound_to_the_key() -> None:
    arxiv_only = Crawler(uuid.uuid4(), "arxiv-bot", frozenset({"arxiv"}))
    accepted(sighting(), arxiv_only)
    raw = sighting()
    raw["source"] = "openalex"
    result = prepare(raw, arxiv_only, NOW)
    assert isinstance(result, Rejected)
    assert result.errors[0].code == "forbidden_source"


def test_non_objects_and_malformed_lines_are_rejected() -> None:
    assert rejected(5) == {"": "each sighting must be a JSON object"}
    assert "line 3" in rejected(MalformedItem("line 3 is not JSON"))[""]


def test_content_hash_depends_on_content_only() -> None:
    a = accepted(sighting())
    raw = sighting()
    raw["seen_at"] = "2026-11-20T10:00:00Z"
    b = accepted(raw)
    c = accepted(sighting(title="Another"))
    assert a.content_hash == b.content_hash != c.content_hash


def test_event_envelope() -> None:
    prepared = accepted(sighting())
    event_id = uuid.uuid4()
    raw = event_json(prepared, event_id, NOW, "ingest/test")
    event = PaperSeenV1.model_validate_json(raw)
    assert (event.event_id, event.event_type, event.schema_version) == (event_id, "paper.seen", 1)
    assert (event.occurred_at, event.ingested_at, event.producer) == (prepared.sighting.seen_at, NOW, "ingest/test")
    assert event.data == prepared.sighting
    # Serialised by hand for speed: byte for byte what the contract model would write.
    assert raw == event.model_dump_json().encode()


def test_content_hash_is_over_the_contract_serialisation() -> None:
    prepared = accepted(sighting(abstract="Ünïcode &amp; more", keywords=["a", "b"]))
    assert prepared.content_hash == hashlib.sha256(prepared.sighting.paper.model_dump_json().encode()).digest()


@pytest.mark.parametrize(
    ("path", "family"), [("paper.authors.12.name", "paper.authors.name"), ("source", "source"), ("a.0", "a")]
)
def test_field_family(path: str, family: str) -> None:
    assert field_family(path) == family


def test_structured_names_pass_through_cleaned() -> None:
    raw = sighting(authors=[{"name": "Kaisheng Ma", "family_name": " Ma ", "given_name": "Kaisheng"}, {"name": "A B"}])
    authors = accepted(raw).sighting.paper.authors
    assert [(a.family_name, a.given_name) for a in authors] == [("Ma", "Kaisheng"), (None, None)]


def test_editors_are_marked_and_authors_carry_no_role() -> None:
    raw = sighting(authors=[{"name": "Ana Lin", "role": "editor"}, {"name": "Bo Wu", "role": "author"}, {"name": "Cy"}])
    prepared = accepted(raw)
    assert [a.role for a in prepared.sighting.paper.authors] == ["editor", None, None]
    assert [sorted(a) for a in prepared.data["paper"]["authors"]][1] == sorted(
        ["name", "family_name", "given_name", "orcid", "affiliations"]
    )
    assert rejected(sighting(authors=[{"name": "Ana Lin", "role": "reviewer"}])).keys() == {"paper.authors.0.role"}


def test_event_ids_are_fixed_by_source_url_and_content() -> None:
    from ingest.domain import event_id_for

    first = event_id_for("arxiv", "https://arxiv.org/abs/2203.06321", b"\x01" * 32)
    assert first == event_id_for("arxiv", "https://arxiv.org/abs/2203.06321", b"\x01" * 32), "a retry repeats it"
    assert (first.version, first.variant) == (8, "specified in RFC 4122")
    assert str(first) == "609138cc-4761-87d8-b514-01c6ecc9d713", "ids already in ledgers and topics never change"
    others = {
        event_id_for("hf_daily_papers", "https://arxiv.org/abs/2203.06321", b"\x01" * 32),
        event_id_for("arxiv", "https://arxiv.org/abs/2203.06322", b"\x01" * 32),
        event_id_for("arxiv", "https://arxiv.org/abs/2203.06321", b"\x02" * 32),
    }
    assert first not in others
    assert len(others) == 3
