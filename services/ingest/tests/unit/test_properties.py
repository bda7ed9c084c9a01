"""Property tests: whatever a crawler sends, prepare() answers (never raises), and what it accepts is valid."""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import PaperSeenV1, Sighting
from ingest import normalise as n
from ingest.domain import Crawler, Prepared, Rejected, event_json, prepare

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
CRAWLER = Crawler(uuid.uuid4(), "prop", frozenset({"*"}))

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid values most of the time, so both the accepting and the rejecting paths are exercised."""
    return st.integers(0, 9).flatmap(lambda n: bad if n == 0 else good)


GOOD_IDS = {
    "doi": ["10.1000/x", "https://doi.org/10.48550/arXiv.2203.06321"],
    "arxiv": ["arXiv:2203.06321v2", "hep-th/9901001"],
    "pmid": ["123", "PMID: 42"],
    "openalex": ["W123", "https://openalex.org/W9"],
    "dblp": ["conf/cvpr/MaZ22"],
    "s2": ["abc123"],
    "orcid": ["0000-0002-1825-0097", "0000-0002-1825-0098"],
}
BAD_IDS = st.sampled_from(["", " ", "１２３", "2203.06321v0"]) | st.text(max_size=30)


def identifier(kind: str) -> st.SearchStrategy[Any]:
    """A valid identifier of that kind most of the time, anything at all otherwise."""
    return mostly(st.sampled_from(GOOD_IDS[kind]), BAD_IDS)


papers = st.fixed_dictionaries(
    {"title": mostly(st.text(min_size=1, max_size=80), st.none() | st.just(""))},
    optional={
        "abstract": st.text(max_size=200) | st.none(),
        "kind": st.sampled_from(["preprint", "journal-article", "poster", ""]) | st.none(),
        "published": mostly(st.sampled_from(["2022", "2022-03", "2021-12-31"]), st.text(max_size=12)),
        "identifiers": st.fixed_dictionaries(
            {}, optional={k: identifier(k) for k in ("doi", "arxiv", "pmid", "openalex", "dblp", "s2")}
        ),
        "authors": st.lists(
            st.fixed_dictionaries(
                {"name": mostly(st.text(min_size=1, max_size=30), st.just(" "))},
                optional={"orcid": identifier("orcid"), "affiliations": st.lists(st.text(max_size=20), max_size=3)},
            ),
            max_size=4,
        ),
        "author_count": st.integers(min_value=-1, max_value=20),
        "keywords": st.lists(st.text(max_size=15), max_size=4),
        "urls": st.dictionaries(mostly(st.just("pdf"), st.just("bad role")), st.text(max_size=30), max_size=2),
    },
)
sightings = st.fixed_dictionaries(
    {
        "source": mostly(st.sampled_from(["arxiv", "openalex"]), st.sampled_from(["Bad Source", ""])),
        "source_url": mostly(st.just("https://arxiv.org/abs/1"), st.text(max_size=20)),
        "paper": papers,
    },
    optional={
        "seen_at": mostly(st.just("2026-11-21T10:00:00Z"), st.sampled_from(["2026-11-21T10:00", "2099-01-01Z"])),
        "sighting_id": st.text(max_size=10) | st.none(),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sightings | json_values)
def test_prepare_always_answers_and_accepted_sightings_satisfy_the_contract(raw: Any) -> None:
    outcome = prepare(raw, CRAWLER, NOW)
    assert isinstance(outcome, Prepared | Rejected)
    if isinstance(outcome, Rejected):
        assert outcome.errors
        assert all(error.message for error in outcome.errors)
        return
    # The hot path never builds the contract model: what it serialises must satisfy it, byte for byte.
    raw = event_json(outcome, uuid.uuid4(), NOW, "ingest/test")
    event = PaperSeenV1.model_validate_json(raw)
    assert raw == event.model_dump_json().encode()
    assert event.data == Sighting.model_validate(outcome.data)
    assert event.data.work_key == outcome.work_key


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalisers_raise_value_error_or_return_text(raw: str) -> None:
    for normaliser in (
        n.normalise_doi,
        n.normalise_pmid,
        n.normalise_openalex,
        n.normalise_dblp,
        n.normalise_orcid,
        n.normalise_url,
    ):
        with contextlib.suppress(ValueError):
            assert isinstance(normaliser(raw), str)
    with contextlib.suppress(ValueError):
        _, version = n.normalise_arxiv(raw)
        assert version is None or version >= 1
    assert "  " not in n.clean_text(raw)


def _clean_text_reference(raw: str) -> str:
    """clean_text as first written: every step, always (the fast version must agree with it)."""
    text = html.unescape(raw)
    text = re.sub(r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>", " ", text)
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]", "", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=80)
    | st.lists(
        st.sampled_from(["a", "Zürich", " ", "  ", "\t", "\n", "&amp;", "&#39;", "<i>", "</b>", "\u200b", "e\u0301"]),
        max_size=12,
    ).map("".join)
)
def test_clean_text_agrees_with_doing_every_step(raw: str) -> None:
    assert n.clean_text(raw) == _clean_text_reference(raw)
