"""`make eval-disambiguation`: the shared data through ingest's public API into profiles, then quality measured.

Runs ingest and profiles as processes on throwaway databases and topics (Kafka and PostgreSQL must be running:
`make infra`), imports the MEDLINE articles and the DBLP Jun Zhang files with `sightline import`, waits until
profiles has processed every sighting, reads each target authorship's researcher back from profiles' public API
and its events, and prints MEDLINE pairwise and Jun Zhang B-cubed precision, recall and F1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from eval.disambiguation import dblp, medline
from eval.disambiguation.data import DBLP_DIR, MEDLINE_TAR, Dblp, Medline, load, shared_data
from servicekit.testing import (
    ServiceProcess,
    read_topic,
    sightline_import,
    start_service,
    temporary_database,
    temporary_topics,
)

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MAINTENANCE = {
    "ingest": os.environ.get(
        "INGEST_TEST_DATABASE_URL", "postgresql+asyncpg://ingest:ingest@127.0.0.1:5432/ingest_test"
    ),
    "profiles": os.environ.get(
        "PROFILES_TEST_DATABASE_URL", "postgresql+asyncpg://profiles:profiles@127.0.0.1:5432/profiles_test"
    ),
}
TARGETS = {"precision": 0.97, "medline_f1": 0.93, "dblp_f1": 0.90}
Slot = tuple[str, int]


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 2 without the data, 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m eval.disambiguation.through_services", description=__doc__)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for profiles to catch up")
    parser.add_argument("--keep", type=Path, help="copy the service logs and import reports here")
    parser.add_argument("--dump", type=Path, help="write each target slot's researcher here (JSON), to compare runs")
    args = parser.parse_args(argv)
    root = shared_data()
    if not (root / MEDLINE_TAR).is_file() or not (root / DBLP_DIR).is_dir():
        print(f"no sample data at {root}: nothing to evaluate (set SIGHTLINE_SHARED_DATA)")
        return 2
    data_medline, data_dblp = load(root, None)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        key = "slk_eval_" + uuid.uuid4().hex
        ingest, profiles, prefix = stack.enter_context(_stack(workdir, key))
        started = time.monotonic()
        accepted = _import(ingest.url, key, root, workdir)
        print(f"imported: {accepted} sightings accepted in {time.monotonic() - started:.0f}s; waiting for profiles")
        _wait(profiles.url, accepted, args.timeout)
        print(f"profiles caught up after {time.monotonic() - started:.0f}s")
        researcher = _researchers(profiles.url, prefix)
        if args.dump:
            rows = sorted([key, position, who] for (key, position), who in researcher.items())
            args.dump.write_text(json.dumps(rows))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in workdir.glob("*.log"):
                (args.keep / path.name).write_bytes(path.read_bytes())
    return _report(data_medline, data_dblp, researcher)


@contextmanager
def _stack(workdir: Path, key: str) -> Iterator[tuple[ServiceProcess, ServiceProcess, str]]:
    """Ingest (with `key` as its crawler key) and profiles on fresh databases and topics; all removed afterwards."""
    with (
        temporary_topics(BOOTSTRAP, "eval") as prefix,
        temporary_database(MAINTENANCE["ingest"]) as ingest_db,
        temporary_database(MAINTENANCE["profiles"]) as profiles_db,
    ):
        common = {
            "SIGHTLINE_TOPIC_PREFIX": prefix,
            "SIGHTLINE_LOG_LEVEL": "WARNING",
            "KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP,
        }
        ingest = start_service(
            "ingest",
            {**common, "INGEST_DATABASE_URL": ingest_db, "INGEST_DEV_CRAWLER_KEY": key},
            workdir / "ingest.log",
        )
        try:
            profiles = start_service(
                "profiles", {**common, "PROFILES_DATABASE_URL": profiles_db}, workdir / "profiles.log", "/readyz"
            )
            try:
                yield ingest, profiles, prefix
            finally:
                profiles.stop()
        finally:
            ingest.stop()


def _import(url: str, key: str, root: Path, workdir: Path) -> int:
    """Both data sets through `sightline import` (the public API); returns how many sightings were accepted."""
    jobs = [("pubmed", [root / MEDLINE_TAR]), ("dblp-bib", sorted((root / DBLP_DIR).glob("*.bib")))]
    accepted = 0
    for fmt, paths in jobs:
        rejects = workdir / f"{fmt}-rejects.jsonl"
        done = sightline_import(fmt, paths, url=url, key=key, rejects=rejects, state_dir=workdir)
        (workdir / f"import-{fmt}.log").write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"sightline import --format {fmt} failed:\n{done.stderr[-2000:]}")
        accepted += done.accepted
    return accepted


def _wait(url: str, accepted: int, timeout: float) -> None:
    """Until profiles has committed every paper.seen event ingest published, and emptied its outbox."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url, timeout=60) as client:
        while time.monotonic() < deadline:
            try:
                status = client.get("/v1/status").raise_for_status().json()
            except httpx.TimeoutException:
                continue  # a long batch can hold the service's event loop; ask again
            published = sum(p["end"] for p in status["consumer"]["partitions"])
            if published >= accepted and status["caught_up"]:
                return
            time.sleep(2)
    raise TimeoutError(f"profiles did not process {accepted} sightings within {timeout:.0f}s")


def _researchers(url: str, prefix: str) -> dict[Slot, str]:
    """(work key, author position) -> the researcher profiles holds it under now, from its API and events."""
    work_of: dict[str, str] = {}
    for record in read_topic(BOOTSTRAP, f"{prefix}work.attributed", timeout=120):
        data = record.value["data"]
        work_of[data["work_key"]] = data["work_id"]
    survivor: dict[str, str] = {}
    for record in read_topic(BOOTSTRAP, f"{prefix}researcher.changes", timeout=120):
        if record.value.get("event_type") == "researcher.merged":
            survivor[record.value["data"]["loser_id"]] = record.value["data"]["survivor_id"]
    slots: dict[Slot, str] = {}
    with httpx.Client(base_url=url, timeout=30, follow_redirects=True) as client:
        for work_key, work_id in work_of.items():
            work = client.get(f"/v1/works/{work_id}").raise_for_status().json()
            for authorship in work["authorships"]:
                slots[(work_key, authorship["position"])] = _live(authorship["researcher_id"], survivor)
    return slots


def _live(researcher_id: str, survivor: dict[str, str]) -> str:
    seen = {researcher_id}
    while researcher_id in survivor and survivor[researcher_id] not in seen:
        researcher_id = survivor[researcher_id]
        seen.add(researcher_id)
    return researcher_id


def _report(data_medline: Medline, data_dblp: Dblp, researcher: dict[Slot, str]) -> int:
    labelled = medline.pairs(data_medline)
    usable = [p for p in labelled.pairs if p.first in researcher and p.second in researcher]
    pairs = medline.score(usable, {p: researcher[p.first] == researcher[p.second] for p in usable})
    print(
        f"MEDLINE pairs: {len(usable)} scored of {len(labelled.pairs)} located "
        f"({labelled.malformed} malformed rows, {dict(labelled.skipped)}, {len(labelled.pairs) - len(usable)} "
        f"not found in profiles)\n  pairwise P {pairs.precision:.3f} R {pairs.recall:.3f} F1 {pairs.f1:.3f} "
        f"(TP {pairs.tp}, FP {pairs.fp}, FN {pairs.fn}, TN {pairs.tn})"
    )
    truth = dblp.truth(data_dblp)
    person = {slot: who for slot, who in truth.person.items() if slot in researcher}
    b3 = dblp.b_cubed(researcher, person)
    print(
        f"DBLP Jun Zhang: {len(person)} target authorships scored of {len(truth.person)}\n"
        f"  B3 P {b3.precision:.3f} R {b3.recall:.3f} F1 {b3.f1:.3f} ({b3.clusters} clusters, 5 people)"
    )
    met = (
        pairs.precision >= TARGETS["precision"]
        and pairs.f1 >= TARGETS["medline_f1"]
        and b3.f1 >= TARGETS["dblp_f1"]
        and len(usable) == len(labelled.pairs)
        and len(person) == len(truth.person)
    )
    print(
        f"targets (MEDLINE P >= {TARGETS['precision']}, F1 >= {TARGETS['medline_f1']}; "
        f"Jun Zhang B3 F1 >= {TARGETS['dblp_f1']}; every target found): {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
