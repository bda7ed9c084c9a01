"""The committed schemas are exactly what the code generates, and the write/check CLI keeps them so."""

import json
from pathlib import Path

import pytest

from contracts.schemas import ASYNCAPI_FILE, SCHEMA_DIR, check, drift, generate, main, render, write

REGENERATE = "committed {name} differs from the code: run `make schemas` and commit the result"


@pytest.mark.parametrize("name", ["paper.seen.v1.json", ASYNCAPI_FILE])
def test_committed_file_is_generated(name: str) -> None:
    committed = SCHEMA_DIR / name
    assert committed.is_file(), REGENERATE.format(name=name)
    assert committed.read_text(encoding="utf-8") == render(generate()[name]), REGENERATE.format(name=name)


def test_no_drift_in_schemas_or_history() -> None:
    assert drift(SCHEMA_DIR, generate()) == [], "run `make schemas` and commit the result"


def test_check_cli_passes_on_committed_files() -> None:
    assert main(["check"]) == 0


def test_check_lists_edited_and_missing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert write(tmp_path) == 0
    assert check(tmp_path) == 0
    (tmp_path / "paper.seen.v1.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / ASYNCAPI_FILE).unlink()
    capsys.readouterr()
    assert check(tmp_path) == 1
    err = capsys.readouterr().err
    assert "paper.seen.v1.json" in err
    assert ASYNCAPI_FILE in err
    assert "make schemas" in err


def test_write_snapshots_only_when_the_schema_changes(tmp_path: Path) -> None:
    history = tmp_path / "history" / "paper.seen.v1"
    assert write(tmp_path) == 0
    assert write(tmp_path) == 0
    assert [p.name for p in sorted(history.iterdir())] == ["0001.json"]
    first = json.loads((history / "0001.json").read_text(encoding="utf-8"))
    first["description"] = "an older wording"
    (history / "0001.json").write_text(render(first), encoding="utf-8")
    assert write(tmp_path) == 0
    assert [p.name for p in sorted(history.iterdir())] == ["0001.json", "0002.json"]
    latest = json.loads((history / "0002.json").read_text(encoding="utf-8"))
    assert latest == generate()["paper.seen.v1.json"]


def test_write_refuses_a_breaking_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert write(tmp_path) == 0
    snapshot = tmp_path / "history" / "paper.seen.v1" / "0001.json"
    older = json.loads(snapshot.read_text(encoding="utf-8"))
    older["$defs"]["Sighting"]["properties"]["region"] = {"type": "string"}
    snapshot.write_text(render(older), encoding="utf-8")
    schema_file = tmp_path / "paper.seen.v1.json"
    schema_file.write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert write(tmp_path) == 1
    err = capsys.readouterr().err
    assert "refusing to write" in err
    assert "data.region: property removed" in err
    assert schema_file.read_text(encoding="utf-8") == "{}\n"
    assert not (snapshot.parent / "0002.json").exists()
