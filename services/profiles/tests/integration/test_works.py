"""Canonical works against real Kafka and PostgreSQL: every sighting of one paper on one work, no false merges."""

from __future__ import annotations

import asyncio

import pytest

from contracts import (
    RESEARCHER_CHANGES,
    WORK_ATTRIBUTED,
    ResearcherMergedV1,
    ResearcherUpdatedV1,
    WorkAttributedV1,
    topic_name,
)
from profiles.settings import ProfilesSettings
from servicekit.testing import read_topic

from .support import BOOTSTRAP, publish, running, sighting

pytestmark = pytest.mark.integration

TITLE = "Scaling Laws for Sparse Mixture-of-Experts Language Models"
AUTHORS = ["Alice Martin", "Bo Chen", "Carla Diaz"]


async def test_preprint_versions_aggregators_and_publisher_records_are_one_work(settings: ProfilesSettings) -> None:
    events = [
        sighting(
            "arxiv",
            TITLE,
            AUTHORS,
            seen=0,
            year=2024,
            kind="preprint",
            identifiers={"arxiv": "2401.01234", "arxiv_version": 1},
        ),
        sighting(
            "arxiv",
            TITLE,
            AUTHORS,
            seen=10,
            year=2024,
            kind="preprint",
            identifiers={"arxiv": "2401.01234", "arxiv_version": 2},
            abstract="A longer abstract " * 5,
        ),
        sighting("hf_daily_papers", TITLE, AUTHORS[:2], seen=20, identifiers={"arxiv": "2401.01234"}),
        sighting(
            "crossref",
            "Scaling laws for sparse mixture of experts language models",
            AUTHORS,
            seen=30,
            year=2024,
            kind="article",
            venue="Journal of Machine Learning Research",
            identifiers={"doi": "10.1000/jmlr.2024.77"},
        ),
        sighting(
            "pubmed",
            TITLE,
            ["Martin A", "Chen B", "Diaz C"],
            seen=40,
            year=2025,
            identifiers={"pmid": "38000001", "doi": "10.1000/jmlr.2024.77"},
        ),
    ]
    topic_prefix = settings.topic_prefix
    await publish(topic_prefix, events)
    async with running(settings) as app:
        await app.caught_up()
        works = await app.rows("SELECT id, venue, kind, identifiers, provenance FROM works WHERE merged_into IS NULL")
        assert len(works) == 1, works
        work = works[0]
        assert work.venue == "Journal of Machine Learning Research"
        assert work.kind == "article"
        assert work.identifiers["arxiv"] == ["2401.01234"]
        assert work.identifiers["doi"] == ["10.1000/jmlr.2024.77"]
        assert work.identifiers["pmid"] == ["38000001"]
        assert set(work.provenance["sources"]) == {"arxiv", "hf_daily_papers", "crossref", "pubmed"}
        assert work.provenance["fields"]["venue"] == "crossref"
        slots = await app.rows("SELECT position, researcher_id FROM authorships ORDER BY position")
        assert [s.position for s in slots] == [0, 1, 2]
        assert len({s.researcher_id for s in slots}) == 3
        assert await app.scalar("SELECT count(*) FROM researchers WHERE merged_into IS NULL") == 3
    records = await asyncio.to_thread(read_topic, BOOTSTRAP, topic_name(WORK_ATTRIBUTED, topic_prefix))
    assert len(records) == 5
    assert {r.value["data"]["work_id"] for r in records} == {work.id}
    assert {r.key for r in records} == {work.id}
    news = [a for r in records for a in r.value["data"]["authors"] if a["new_for_researcher"]]
    assert len(news) == 3, "each researcher is told about the work once"


async def test_same_short_title_different_papers_stay_two_works(settings: ProfilesSettings) -> None:
    events = [
        sighting(
            "dblp", "Introduction", ["Maria Rossi"], seen=0, year=2019, identifiers={"dblp": "journals/x/Rossi19"}
        ),
        sighting("dblp", "Introduction", ["Hans Weber"], seen=1, year=2019, identifiers={"dblp": "journals/y/Weber19"}),
        sighting("openalex", "Introduction", ["Maria Rossi"], seen=2, year=2021, identifiers={"openalex": "W123"}),
    ]
    await publish(settings.topic_prefix, events)
    async with running(settings) as app:
        await app.caught_up()
        assert await app.scalar("SELECT count(*) FROM works WHERE merged_into IS NULL") == 3


async def test_a_sighting_naming_two_works_merges_them_with_a_redirect(settings: ProfilesSettings) -> None:
    first = sighting(
        "arxiv",
        "Graph Neural Networks for Molecules",
        ["Ana Lopez", "Ben Ode"],
        seen=0,
        year=2023,
        identifiers={"arxiv": "2301.00001"},
    )
    second = sighting(
        "crossref",
        "Message passing on molecular graphs",
        ["Ana Lopez", "Ben Ode"],
        seen=5,
        year=2023,
        identifiers={"doi": "10.1000/mol.1"},
    )
    linking = sighting(
        "openalex",
        "Graph Neural Networks for Molecules",
        ["Ana Lopez", "Ben Ode"],
        seen=9,
        year=2023,
        identifiers={"doi": "10.1000/mol.1", "arxiv": "2301.00001", "openalex": "W99"},
    )
    await publish(settings.topic_prefix, [first, second], partition=0)
    async with running(settings) as app:
        await app.caught_up()
        assert await app.scalar("SELECT count(*) FROM works WHERE merged_into IS NULL") == 2
        await publish(settings.topic_prefix, [linking], partition=0)
        await app.caught_up()
        live = await app.rows("SELECT id FROM works WHERE merged_into IS NULL")
        assert len(live) == 1
        tombstones = await app.rows("SELECT id, merged_into FROM works WHERE merged_into IS NOT NULL")
        assert [t.merged_into for t in tombstones] == [live[0].id]
        assert await app.scalar("SELECT count(*) FROM authorships") == 2
        assert await app.scalar("SELECT count(*) FROM researchers WHERE merged_into IS NULL") == 2
        assert await app.scalar("SELECT count(DISTINCT work_id) FROM work_identifiers") == 1
    # The events are built as plain dicts: every one published must validate against its contract model.
    prefix = settings.topic_prefix
    attributed = await asyncio.to_thread(read_topic, BOOTSTRAP, topic_name(WORK_ATTRIBUTED, prefix))
    assert len([WorkAttributedV1.model_validate(r.value) for r in attributed]) == 3
    assert attributed[-1].value["data"]["merged_work_ids"]
    changes = await asyncio.to_thread(read_topic, BOOTSTRAP, topic_name(RESEARCHER_CHANGES, prefix))
    models = {"researcher.updated": ResearcherUpdatedV1, "researcher.merged": ResearcherMergedV1}
    assert {models[r.value["event_type"]].model_validate(r.value).event_type for r in changes} >= {"researcher.updated"}
