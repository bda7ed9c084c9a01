"""The consumer against real Kafka and PostgreSQL: snapshots from events, trust.changed, idempotency, merges, policy."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from contracts import TRUST_CHANGED, Envelope, TrustChangedV1, topic_name
from servicekit import entrypoints
from servicekit.testing import read_topic, wait_for_records
from trust.main import SERVICE_ROOT, consumed_topics
from trust.policy import POLICY
from trust.settings import TrustSettings

from .support import (
    BOOTSTRAP,
    arxiv_researcher,
    attributed,
    merged,
    publish,
    rid,
    running,
    seen,
    settings_for,
    split,
    wid,
)

pytestmark = pytest.mark.integration
MA = rid("Kaisheng Ma")


async def test_arxiv_only_researcher_is_emerging_at_l1_and_published(settings: TrustSettings) -> None:
    await publish(settings.topic_prefix, arxiv_researcher())
    async with running(settings) as app:
        await app.caught_up()
        score, band, level, claimed, policy = (
            await app.rows(
                "SELECT score, band, verification_level, claimed, policy_version FROM snapshots "
                "WHERE researcher_id = :r",
                r=MA,
            )
        )[0]
    assert (band, level, claimed, policy) == ("Emerging", "L1", False, POLICY.version)
    assert 15 <= score <= 34
    records = wait_for_records(BOOTSTRAP, topic_name(TRUST_CHANGED, settings.topic_prefix), 5)
    mine = [TrustChangedV1.model_validate(r.value) for r in records if r.key == MA]
    assert mine, "no trust.changed for the researcher"
    assert mine[-1].data.score == score
    assert mine[-1].data.band == "Emerging"
    assert round(sum(c.points for c in mine[-1].data.components)) == score
    assert [m.data.revision for m in mine] == sorted(m.data.revision for m in mine)


async def test_duplicate_delivery_does_not_double_count(settings: TrustSettings) -> None:
    events = arxiv_researcher(6)
    await publish(settings.topic_prefix, events)
    async with running(settings) as app:
        await app.caught_up()
        first = await app.rows("SELECT researcher_id, revision, digest, components FROM snapshots ORDER BY 1")
        stats = await app.rows("SELECT source, works, corroborated FROM source_stats ORDER BY 1")
        history = await app.scalar("SELECT count(*) FROM snapshot_history")
        await publish(settings.topic_prefix, events)
        await app.caught_up()
        assert await app.rows("SELECT researcher_id, revision, digest, components FROM snapshots ORDER BY 1") == first
        assert await app.rows("SELECT source, works, corroborated FROM source_stats ORDER BY 1") == stats
        assert await app.scalar("SELECT count(*) FROM snapshot_history") == history
    assert stats == [("arxiv", 6, 0)]
    corroborated = next(c for c in first if c[0] == MA)[3][0]
    assert (corroborated["name"], corroborated["value"]) == ("corroborated_works", 6)


async def test_merged_researcher_moves_to_the_survivor(settings: TrustSettings) -> None:
    events = arxiv_researcher(6)
    await publish(settings.topic_prefix, events)
    async with running(settings) as app:
        await app.caught_up()
        lin, zhou = rid("Mingbao Lin"), rid("Aojun Zhou")
        before = await app.scalar("SELECT score FROM snapshots WHERE researcher_id = :r", r=lin)
        await publish(settings.topic_prefix, [merged(zhou, lin)])
        await app.caught_up()
        assert await app.scalar("SELECT count(*) FROM snapshots WHERE researcher_id = :r", r=zhou) == 0
        assert await app.scalar("SELECT count(*) FROM authorships WHERE researcher_id = :r", r=zhou) == 0
        assert await app.scalar("SELECT survivor_id FROM researcher_redirects WHERE id = :r", r=zhou) == lin
        works = await app.scalar("SELECT count(DISTINCT work_id) FROM authorships WHERE researcher_id = :r", r=lin)
        after = await app.scalar("SELECT score FROM snapshots WHERE researcher_id = :r", r=lin)
    assert works == 5  # Lin had works 0, 3, 4; Zhou 0, 1, 4, 5
    assert after >= before


async def test_a_new_policy_recomputes_every_snapshot_and_history_keeps_both(settings: TrustSettings) -> None:
    await publish(settings.topic_prefix, arxiv_researcher(8))
    async with running(settings) as app:
        await app.caught_up()
        researchers = await app.scalar("SELECT count(*) FROM snapshots")
    heavier = dict(POLICY.weights)
    heavier["corroborated_works"], heavier["independent_sources"] = 40.0, 5.0
    new = dataclasses.replace(POLICY, version="test-policy-2", weights=heavier)
    async with running(settings, new) as app:
        await app.caught_up()
        versions = await app.rows("SELECT DISTINCT policy_version FROM snapshots")
        history = await app.rows(
            "SELECT policy_version, score FROM snapshot_history WHERE researcher_id = :r ORDER BY revision", r=MA
        )
        assert await app.scalar("SELECT value FROM trust_state WHERE key = 'policy_version'") == "test-policy-2"
    assert versions == [("test-policy-2",)]
    assert [h[0] for h in history] == [POLICY.version, "test-policy-2"]
    assert history[1][1] > history[0][1]
    published = [
        TrustChangedV1.model_validate(r.value).data
        for r in read_topic(BOOTSTRAP, topic_name(TRUST_CHANGED, settings.topic_prefix))
    ]
    assert sum(1 for p in published if p.policy_version == "test-policy-2") == researchers


async def test_replay_in_other_batches_gives_the_same_snapshots(
    settings: TrustSettings, other_database_url: str
) -> None:
    events = arxiv_researcher(10)
    await publish(settings.topic_prefix, events)
    query = "SELECT researcher_id, score, band, verification_level, digest FROM snapshots ORDER BY 1"
    async with running(settings) as app:
        await app.caught_up()
        first = await app.rows(query)
    replay = settings_for(other_database_url, settings.topic_prefix, consume_batch=3)
    async with running(replay) as app:
        await app.caught_up()
        second = await app.rows(query)
    assert first == second
    assert len(first) == 5


async def test_sightings_after_their_attribution_and_a_split(settings: TrustSettings) -> None:
    """work.attributed may come before its paper.seen (two topics); a split moves the works to the new researcher."""
    papers = [
        seen("crossref", f"Journal paper {n}", ["Li Xu"], minutes=n, year=2020, kind="article", venue="TPAMI",
             identifiers={"doi": f"10.1109/tpami.{n}"})
        for n in range(3)
    ]  # fmt: skip
    xu, other = rid("Li Xu"), rid("Li Xu (ORCID)")
    async with running(settings) as app:
        await publish(settings.topic_prefix, [attributed(p, wid(p.data.work_key), [xu]) for p in papers])
        await app.caught_up()
        before = await app.rows("SELECT components FROM snapshots WHERE researcher_id = :r", r=xu)
        await publish(settings.topic_prefix, papers)
        await app.caught_up()
        after = {
            c["name"]: c
            for c in (await app.rows("SELECT components FROM snapshots WHERE researcher_id = :r", r=xu))[0][0]
        }
        await publish(settings.topic_prefix, [split(xu, other, [wid(papers[0].data.work_key)])])
        await app.caught_up()
        moved = await app.scalar(
            "SELECT researcher_id FROM authorships WHERE work_id = :w", w=wid(papers[0].data.work_key)
        )
        counts = dict(
            await app.rows(
                "SELECT researcher_id, (components -> 0 ->> 'value')::float FROM snapshots "
                "WHERE researcher_id IN (:a, :b)",
                a=xu,
                b=other,
            )
        )
    reviewed = {c["name"]: c for c in before[0][0]}["peer_reviewed_venues"]
    assert reviewed["value"] == 0  # no sighting yet: nothing says the works are reviewed
    assert after["peer_reviewed_venues"]["value"] == 3
    assert len(after["peer_reviewed_venues"]["evidence"]["event_ids"]) == 3
    assert moved == other
    assert counts == {xu: 2.0, other: 1.0}


async def test_rebuild_empties_the_database_and_a_replay_gives_the_same_snapshots(settings: TrustSettings) -> None:
    await publish(settings.topic_prefix, arxiv_researcher(8))
    query = "SELECT researcher_id, score, band, verification_level, digest FROM snapshots ORDER BY 1"
    async with running(settings) as app:
        await app.caught_up()
        before = await app.rows(query)
    assert before
    await entrypoints.rebuild("trust", SERVICE_ROOT, settings, settings.consumer_group, consumed_topics(settings))
    async with running(settings.model_copy(update={"run_consumer": False})) as app:
        assert await app.scalar("SELECT count(*) FROM snapshots") == 0
    async with running(settings) as app:
        await app.caught_up()
        assert await app.rows(query) == before


async def test_a_co_author_becoming_trusted_later_rescores_the_researcher(
    settings: TrustSettings, other_database_url: str
) -> None:
    """Trusted collaborators depend on the co-author's works: a later batch of theirs alone still counts."""
    ana, bo = rid("Ana Ferreira"), rid("Bo Lindgren")
    first = seen("arxiv", "Shared paper", ["Ana Ferreira", "Bo Lindgren"], identifiers={"arxiv": "2301.00001"})
    together = [first, attributed(first, wid("shared"), [ana, bo])]
    alone: list[Envelope] = []
    for n in range(2):
        paper = seen("arxiv", f"Bo's own paper {n}", ["Bo Lindgren"], identifiers={"arxiv": f"2302.0000{n}"})
        alone += [paper, attributed(paper, wid(f"bo-{n}"), [bo])]
    query = "SELECT components FROM snapshots WHERE researcher_id = :r"

    def trusted(components: list[dict[str, Any]]) -> float:
        return next(c["value"] for c in components if c["name"] == "trusted_collaborators")

    await publish(settings.topic_prefix, together)
    async with running(settings) as app:
        await app.caught_up()
        assert trusted((await app.rows(query, r=ana))[0][0]) == 0
    await publish(settings.topic_prefix, alone)
    async with running(settings) as app:
        await app.caught_up()
        in_two_batches = (await app.rows(query, r=ana))[0][0]
    async with running(settings_for(other_database_url, settings.topic_prefix)) as app:
        await app.caught_up()
        at_once = (await app.rows(query, r=ana))[0][0]
    assert trusted(in_two_batches) == trusted(at_once) == 1
    assert in_two_batches == at_once
