"""Checkpoints: saved atomically, found again for the same input, ignored for a changed one."""

from pathlib import Path

from ingest.importer.checkpoint import Checkpoint, InputIdentity, load


def test_round_trip_and_change_detection(tmp_path: Path) -> None:
    data = tmp_path / "works.jsonl"
    data.write_text("{}\n")
    identity = InputIdentity.of(data, "openalex", "openalex")
    assert load(tmp_path / "state", identity).done == 0
    Checkpoint(identity, 500).save(tmp_path / "state")
    assert load(tmp_path / "state", identity).done == 500
    assert load(tmp_path / "state", InputIdentity.of(data, "openalex", "other")).done == 0
    data.write_text("{}\n{}\n")  # the file changed: its old checkpoint no longer applies
    assert load(tmp_path / "state", InputIdentity.of(data, "openalex", "openalex")).done == 0


def test_clear_and_torn_files(tmp_path: Path) -> None:
    data = tmp_path / "a.bib"
    data.write_text("@article{x,}")
    identity = InputIdentity.of(data, "dblp-bib", "dblp")
    checkpoint = Checkpoint(identity, 3)
    checkpoint.save(tmp_path)
    (tmp_path / f"{identity.digest()}.json").write_text("{not json")
    assert load(tmp_path, identity).done == 0
    checkpoint.clear(tmp_path)
    assert not (tmp_path / f"{identity.digest()}.json").exists()
