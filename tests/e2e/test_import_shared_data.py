"""Every file in ../shared/data imported through the running stack with `sightline import`, counts as expected."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from servicekit.testing import shared_data, sightline_import, temporary_topics, wait_for_records

from ..conftest import start_ingest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
KEY = "slk_e2e_import_" + uuid.uuid4().hex

# (format, files, read, accepted, duplicate, rejected): what each real sample must give on an empty database.
EXPECTED = [
    ("arxiv-json", ["arxiv_snapshot_sample/arxiv-metadata-oai-snapshot.head.jsonl"], 200, 200, 0, 0),
    ("openalex", ["openalex_samples/works_200.jsonl"], 200, 200, 0, 0),
    # One DBLP record is in two of the five people's files: the second import of it is a duplicate.
    ("dblp-bib", [f"dblp_jun_zhang/Zhang_000{n}_Jun.bib" for n in range(1, 6)], 654, 653, 1, 0),
    # The MEDLINE tarball: 2,972 articles plus the pairs CSV; 10 members are error pages or empty replies.
    ("pubmed", ["medline_pairs_train.tar.gz"], 2973, 2962, 0, 11),
]


def test_every_shared_file_imports_with_the_expected_counts(tmp_path: Path, ingest_database: str) -> None:
    data = shared_data()
    assert data.is_dir(), f"{data} is missing (CI has ../shared beside the checkout)"
    with temporary_topics(BOOTSTRAP, "e2e") as prefix:
        imported_with_expected_counts(prefix, data, tmp_path, ingest_database)


def imported_with_expected_counts(prefix: str, data: Path, tmp_path: Path, ingest_database: str) -> None:
    env = {"INGEST_DATABASE_URL": ingest_database, "SIGHTLINE_TOPIC_PREFIX": prefix, "INGEST_DEV_CRAWLER_KEY": KEY}
    ingest = start_ingest(env, tmp_path / "ingest.log")
    try:
        total_accepted = 0
        for fmt, files, *expected in EXPECTED:
            done = sightline_import(
                fmt,
                (data / f for f in files),
                url=ingest.url,
                key=KEY,
                rejects=tmp_path / "rejects.jsonl",
                state_dir=tmp_path / "state",
            )
            assert done.returncode == 0, done.stderr[-2000:]
            assert done.counts() == tuple(expected), (fmt, done.stdout)
            total_accepted += expected[1]
        rejects = (tmp_path / "rejects.jsonl").read_text().splitlines()
        assert len(rejects) == 11
        records = wait_for_records(BOOTSTRAP, f"{prefix}paper.seen", total_accepted, timeout=120)
        assert len(records) == total_accepted
        assert len({r.value["event_id"] for r in records}) == total_accepted
    finally:
        ingest.stop()
