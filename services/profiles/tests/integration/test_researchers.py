"""Researchers against real Kafka and PostgreSQL: ORCID links, homonyms, name variants, duplicates, replicas, replay."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from contracts import RESEARCHER_CHANGES, ResearcherSplitV1, topic_name
from profiles.disambiguation import Mention
from profiles.disambiguation.features import FAMILY, GIVENS, INITIALS, features
from profiles.disambiguation.model import CorpusStats
from profiles.domain import Origin, researcher_id_for
from profiles.service import researchers as placement
from profiles.settings import ProfilesSettings
from servicekit.testing import read_topic

from .support import BOOTSTRAP, T0, author, publish, running, settings_for, sighting

pytestmark = pytest.mark.integration

ORCID_A = "0000-0002-1825-0097"
ORCID_B = "0000-0001-5109-3700"


def ml_paper(n: int, name: str = "Jun Zhang", **extra: object) -> object:
    return sighting(
        "arxiv",
        f"Sparse attention transformers for long document language modeling, part {n}",
        [author(name, **extra), "Wei Liu", "Maria Garcia"],
        seen=n,
        year=2020 + n % 4,
        venue="NeurIPS",
        keywords=["transformers", "attention", "language models"],
        identifiers={"arxiv": f"2301.{10000 + n}"},
    )


def chem_paper(n: int) -> object:
    return sighting(
        "crossref",
        f"Electrochemical stability of layered oxide cathodes for sodium-ion batteries {n}",
        ["Jun Zhang", "Olga Petrova", "Kenji Sato"],
        seen=100 + n,
        year=2010 + n % 3,
        venue="Journal of Materials Chemistry A",
        keywords=["batteries", "cathode", "electrochemistry"],
        identifiers={"doi": f"10.1039/chem.{n}"},
    )


async def test_two_people_with_one_name_stay_two(settings: ProfilesSettings) -> None:
    await publish(settings.topic_prefix, [*(ml_paper(n) for n in range(4)), *(chem_paper(n) for n in range(4))])
    async with running(settings) as app:
        await app.caught_up()
        zhangs = await app.rows(
            "SELECT r.id, count(*) AS works FROM researchers r JOIN authorships a ON a.researcher_id = r.id "
            "WHERE r.merged_into IS NULL AND a.name = 'Jun Zhang' GROUP BY r.id"
        )
        by_work = await app.rows(
            "SELECT a.researcher_id, array_agg(DISTINCT w.venue) AS venues FROM authorships a "
            "JOIN works w ON w.id = a.work_id WHERE a.name = 'Jun Zhang' GROUP BY a.researcher_id"
        )
    assert all(len(r.venues) == 1 for r in by_work), "no researcher mixes the two people's works"
    assert len(zhangs) >= 2


async def test_one_person_with_name_variants_is_one_researcher(settings: ProfilesSettings) -> None:
    names = ["Kaisheng Ma", "K. Ma", "Ma, Kaisheng", "Kaisheng Ma"]
    lab = ["Institute for Interdisciplinary Information Sciences, Tsinghua University, Beijing, China"]
    events = [ml_paper(n, name, affiliations=lab) for n, name in enumerate(names)]
    # Other works first, so that the shared words are rarer than in every work seen: 'Ma' is a common family name
    # (an East Asian one) and needs two observed kinds of evidence at the plain bar.
    others = [
        sighting(
            "crossref", f"Soil nitrogen cycling in {place}", [f"{given} Quist"], seen=i - 10, venue=f"{place} Soils"
        )
        for i, (given, place) in enumerate(
            zip(
                ["Anna", "Bo", "Cas", "Dag", "Eva", "Fia"],
                ["Oslo", "Lund", "Turku", "Bergen", "Umea", "Aarhus"],
                strict=True,
            )
        )
    ]
    await publish(settings.topic_prefix, [*others, *events], partition=0)
    async with running(settings) as app:
        await app.caught_up()
        rows = await app.rows(
            "SELECT DISTINCT researcher_id FROM authorships WHERE name IN ('Kaisheng Ma', 'K. Ma', 'Ma, Kaisheng')"
        )
        detail = await app.rows("SELECT name, researcher_id, confidence, reasons FROM authorships WHERE position = 0")
        assert len(rows) == 1, "\n".join(str(d) for d in detail)
        names_row = await app.scalar("SELECT names FROM researchers WHERE id = :id", id=rows[0].researcher_id)
        assert set(names_row) == {"Kaisheng Ma", "K. Ma", "Ma, Kaisheng"}


async def test_orcid_links_hard_and_a_different_orcid_never_joins(settings: ProfilesSettings) -> None:
    events = [
        ml_paper(0, "John Smith", orcid=ORCID_A),
        ml_paper(1, "John Smith", orcid=ORCID_B),  # same name, coauthors and topics: still another person
        ml_paper(2, "J. A. Smith-Jones", orcid=ORCID_A),  # the ORCID links whatever the name says
    ]
    await publish(settings.topic_prefix, events, partition=0)
    async with running(settings) as app:
        await app.caught_up()
        rows = await app.rows(
            "SELECT r.id, r.orcid, count(a.*) AS works FROM researchers r JOIN authorships a ON a.researcher_id = r.id "
            "WHERE r.orcid IS NOT NULL GROUP BY r.id, r.orcid ORDER BY r.orcid"
        )
    assert [(r.orcid, r.works) for r in rows] == [(ORCID_B, 1), (ORCID_A, 2)]
    origin = Origin(T0, "x", 0)
    assert {r.id for r in rows} == {researcher_id_for(ORCID_A, origin), researcher_id_for(ORCID_B, origin)}


async def test_redelivered_and_repeated_sightings_change_nothing(settings: ProfilesSettings) -> None:
    events = [ml_paper(n) for n in range(3)]
    await publish(settings.topic_prefix, events)
    snapshot = (
        "SELECT (SELECT count(*) FROM works), (SELECT count(*) FROM authorships), "
        "(SELECT count(*) FROM researchers), (SELECT string_agg(researcher_id, ',' ORDER BY work_id, position) "
        "FROM authorships), (SELECT sum(works_count) FROM researchers)"
    )
    async with running(settings) as app:
        await app.caught_up()
        before = await app.rows(snapshot)
        await publish(settings.topic_prefix, events)  # the same events again (a producer retry, a replayed range)
        again = [e.model_copy(update={"event_id": uuid.uuid4()}) for e in events]
        await publish(settings.topic_prefix, again)  # the same sightings under new event ids
        await app.caught_up()
        after = await app.rows(snapshot)
        assert await app.scalar("SELECT count(*) FROM inbox") == 6
    assert after == before


async def test_two_replicas_on_different_partitions_never_create_one_person_twice(
    database_url: str, topic_prefix: str
) -> None:
    # One person (one ORCID, so the outcome does not hang on the engine's weights) on papers spread over all 12
    # partitions, consumed at the same moment by two replicas of one group.
    events = [ml_paper(n, "Zed Quinlan", orcid=ORCID_A) for n in range(24)]
    first = settings_for(database_url, topic_prefix, consume_batch=1)
    second = first.model_copy()
    async with running(first) as one, running(second) as two:
        await asyncio.sleep(4)  # both replicas join the group and split the partitions
        await publish(topic_prefix, events, spread=True)
        await one.caught_up(90)
        quinlans = await one.rows(
            "SELECT r.id, r.orcid, r.works_count, r.profile->'n' AS n FROM researchers r "
            "WHERE r.merged_into IS NULL AND r.block_keys @> ARRAY['quinlan|z']"
        )
        orcid_holders = await one.scalar("SELECT count(*) FROM researchers WHERE orcid = :o", o=ORCID_A)
        slots = await one.scalar("SELECT count(*) FROM authorships WHERE name = 'Zed Quinlan'")
        inboxes = await one.rows("SELECT DISTINCT partition FROM inbox")
        assert one.profiles.broker is not None
        assert two.profiles.broker is not None
    assert len(inboxes) == 12
    assert slots == 24
    assert orcid_holders == 1
    assert len(quinlans) == 1, quinlans
    # Lost updates (two replicas writing one researcher from stale reads) would show as missing works here.
    assert (quinlans[0].works_count, quinlans[0].n) == (24, 24)


async def test_replay_from_scratch_gives_the_same_ids(
    database_url: str, other_database_url: str, topic_prefix: str
) -> None:
    events = [
        *(ml_paper(n, **({"orcid": ORCID_A} if n == 2 else {})) for n in range(5)),
        *(chem_paper(n) for n in range(3)),
        sighting(
            "crossref",
            ml_paper(1).data.paper.title,
            ["Jun Zhang", "Wei Liu", "Maria Garcia"],  # type: ignore[attr-defined]
            seen=300,
            year=2021,
            venue="NeurIPS",
            identifiers={"doi": "10.5555/neurips.1"},
        ),
    ]
    await publish(topic_prefix, events)
    state = (
        "SELECT w.id AS work, a.position, a.researcher_id FROM works w JOIN authorships a ON a.work_id = w.id "
        "ORDER BY 1, 2"
    )
    results = []
    for url, batch in ((database_url, 1000), (other_database_url, 3)):
        # The second run reads in other batches (3 records), so the processing order differs too.
        async with running(settings_for(url, topic_prefix, consume_batch=batch)) as app:
            await app.caught_up()
            results.append(
                (
                    await app.rows(state),
                    await app.rows("SELECT id FROM works WHERE merged_into IS NULL ORDER BY id"),
                    await app.rows("SELECT id FROM researchers WHERE merged_into IS NULL ORDER BY id"),
                )
            )
    assert results[0] == results[1]
    assert len(results[0][1]) == 8


async def test_a_works_mentions_are_counted_before_they_are_assigned(
    settings: ProfilesSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine's weights were learned with each work's mentions counted first (Replay.add_work): at its own
    # assignment a name's first mention already counts toward how common the name is, as every co-author does.
    seen: list[tuple[str, int, tuple[int, int], int]] = []
    real_assign = placement.assign

    def spying(mention: Mention, candidates: object, stats: CorpusStats, *args: object) -> object:
        family = features(mention).parsed.family
        people = stats.frequency(GIVENS, family), stats.frequency(INITIALS, family)
        seen.append((family, stats.frequency(FAMILY, family), people, stats.mentions))
        return real_assign(mention, candidates, stats, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(placement, "assign", spying)
    await publish(
        settings.topic_prefix, [sighting("crossref", "Nitrogen fixation in soils", ["Ana Quintanilla", "B Ortiz"])]
    )
    async with running(settings) as app:
        await app.caught_up()
    # ... and so does its given name among the family's distinct given names (initials apart).
    assert seen == [("quintanilla", 1, (1, 1), 2), ("ortiz", 1, (0, 1), 2)]


async def test_given_names_are_counted_once_per_family_across_batches(settings: ProfilesSettings) -> None:
    # family_commonness counts the people sharing a family name (its distinct given names), not its mentions: the
    # service stores the distinct counts as corpus terms and counts a repeated name once, across batches too.
    def paper(n: int, name: str) -> object:
        return sighting("crossref", f"Nitrogen fixation in soils, part {n}", [name], seen=n)

    first = [paper(0, "Ana Quintanilla"), paper(1, "Ana Quintanilla"), paper(2, "B Quintanilla")]
    second = [paper(3, "Ana Quintanilla"), paper(4, "Bea Quintanilla"), paper(5, "Cruz Quintanilla")]
    query = "SELECT kind, mentions FROM corpus_terms WHERE term = 'quintanilla' ORDER BY kind"
    async with running(settings) as app:
        await publish(settings.topic_prefix, first, partition=0)
        await app.caught_up()
        before = [tuple(r) for r in await app.rows(query)]
        await publish(settings.topic_prefix, second, partition=0)
        await app.caught_up()
        after = [tuple(r) for r in await app.rows(query)]
    assert before == [("family", 3), ("givens", 1), ("initials", 2)]
    assert after == [("family", 6), ("givens", 3), ("initials", 3)]


async def test_a_work_whose_orcid_is_not_its_researchers_is_split_off(settings: ProfilesSettings) -> None:
    # Three papers of one "John Smith" by co-authors and topic; later records of two of them carry ORCIDs that
    # disagree: the researcher takes the first ORCID and the other work is split off to a researcher of its own.
    await publish(settings.topic_prefix, [ml_paper(n, "John Smith") for n in range(3)], partition=0)
    later = [ml_paper(0, "John Smith", orcid=ORCID_A), ml_paper(2, "John Smith", orcid=ORCID_B)]
    async with running(settings) as app:
        await app.caught_up()
        before = await app.rows("SELECT DISTINCT researcher_id FROM authorships WHERE name = 'John Smith'")
        assert len(before) == 1
        await publish(settings.topic_prefix, later[:1], partition=0)
        await app.caught_up()
        await publish(settings.topic_prefix, later[1:], partition=0)
        await app.caught_up()
        rows = await app.rows(
            "SELECT r.id, r.orcid, r.works_count, r.names, array_agg(w.title ORDER BY w.title) AS titles "
            "FROM researchers r JOIN authorships a ON a.researcher_id = r.id JOIN works w ON w.id = a.work_id "
            "WHERE a.name = 'John Smith' GROUP BY r.id ORDER BY r.works_count DESC"
        )
        slot = await app.rows(
            "SELECT a.work_id, a.confidence, a.reasons FROM authorships a WHERE a.researcher_id = :id", id=rows[1].id
        )
    assert [(r.orcid, r.works_count) for r in rows] == [(ORCID_A, 2), (ORCID_B, 1)]
    assert [t[-1] for t in rows[1].titles] == ["2"]
    assert rows[1].names == {"John Smith": 1}
    assert slot[0].confidence == 1.0
    assert ORCID_B in slot[0].reasons[0]["detail"]
    changes = await asyncio.to_thread(read_topic, BOOTSTRAP, topic_name(RESEARCHER_CHANGES, settings.topic_prefix))
    splits = [ResearcherSplitV1.model_validate(r.value) for r in changes if r.value["event_type"] == "researcher.split"]
    assert len(splits) == 1
    assert splits[0].data.researcher_id == rows[0].id
    assert [(p.researcher_id, p.work_ids) for p in splits[0].data.parts] == [(rows[1].id, [slot[0].work_id])]
