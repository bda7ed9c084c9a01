"""Committed JSON Schemas, AsyncAPI document and schema history: `python -m contracts.schemas write|check`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from contracts.asyncapi import asyncapi_document
from contracts.compat import breaking_changes
from contracts.events import event_identity, event_models, schema_name
from contracts.topics import ALL_TOPICS, TopicSpec

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
SCHEMA_ID_BASE = "https://sightline.dev/schemas/"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ASYNCAPI_FILE = "asyncapi.json"
REGENERATE = "run `make schemas` (uv run python -m contracts.schemas write)"
# Consumers dispatch on these before reading anything else, so the wire format must always carry them even
# though the models default them for producers' convenience.
ROUTING_FIELDS = ("event_type", "schema_version")

Document = dict[str, Any]


def event_schema(model: type[BaseModel]) -> Document:
    """The JSON Schema (draft 2020-12, validation mode) of one event model."""
    event_type, version = event_identity(model)
    schema = model.model_json_schema(mode="validation")
    required = {*schema.get("required", ()), *ROUTING_FIELDS}
    schema["required"] = [name for name in schema["properties"] if name in required]
    return {
        **schema,
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_ID_BASE}{schema_name(model)}.json",
        "title": f"{event_type} v{version}",
    }


def generate(topics: Sequence[TopicSpec] = ALL_TOPICS) -> dict[str, Document]:
    """Every generated file by name: `<event_type>.v<N>.json` per event model, and `asyncapi.json`."""
    files = {f"{schema_name(model)}.json": event_schema(model) for model in event_models(topics)}
    files[ASYNCAPI_FILE] = asyncapi_document(topics)
    return files


def render(document: Document) -> str:
    """The stable text form of a generated document."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshots(root: Path, name: str) -> list[Path]:
    """The history snapshots of one schema version, oldest first."""
    return sorted((root / "history" / name).glob("[0-9][0-9][0-9][0-9].json"))


def _load(path: Path) -> Document:
    loaded: Document = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _event_schemas(files: dict[str, Document]) -> dict[str, Document]:
    return {name.removesuffix(".json"): doc for name, doc in files.items() if name != ASYNCAPI_FILE}


def incompatibilities(root: Path, files: dict[str, Document]) -> list[str]:
    """Breaking changes of each generated event schema against every snapshot in its version's history."""
    reasons: list[str] = []
    for name, schema in _event_schemas(files).items():
        for snapshot in snapshots(root, name):
            where = snapshot.relative_to(root)
            reasons += [f"{name} vs {where}: {reason}" for reason in breaking_changes(_load(snapshot), schema)]
    return reasons


def pending_snapshots(root: Path, files: dict[str, Document]) -> dict[Path, Document]:
    """The snapshot each event schema still needs because it differs from its latest one (0001 if none)."""
    pending: dict[Path, Document] = {}
    for name, schema in _event_schemas(files).items():
        existing = snapshots(root, name)
        if existing and _load(existing[-1]) == schema:
            continue
        number = int(existing[-1].stem) + 1 if existing else 1
        pending[root / "history" / name / f"{number:04d}.json"] = schema
    return pending


def drift(root: Path, files: dict[str, Document]) -> list[str]:
    """Committed files that differ from the generated ones, are missing, or are no longer generated."""
    drifted = [name for name, doc in files.items() if not (root / name).is_file() or _read(root / name) != render(doc)]
    drifted += [f"{path.name} (no longer generated)" for path in sorted(root.glob("*.json")) if path.name not in files]
    drifted += [f"{path.relative_to(root)} (snapshot not written)" for path in pending_snapshots(root, files)]
    return drifted


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _report(stream: TextIO, title: str, lines: list[str]) -> None:
    stream.write(title + "\n" + "".join(f"  - {line}\n" for line in lines))


def write(root: Path = SCHEMA_DIR) -> int:
    """Regenerate the committed files and snapshot changed schemas; refuse (1) on a breaking change."""
    files = generate()
    if reasons := incompatibilities(root, files):
        title = (
            "refusing to write: the schema is backward-incompatible with its history. Keep the change "
            "additive, or add a new version (e.g. PaperSeenV2 -> paper.seen.v2) and keep the old one:"
        )
        _report(sys.stderr, title, reasons)
        return 1
    pending = pending_snapshots(root, files)
    changed: list[str] = []
    for path, doc in [*((root / name, doc) for name, doc in files.items()), *pending.items()]:
        if not path.is_file() or _read(path) != render(doc):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(doc), encoding="utf-8")
            changed.append(str(path.relative_to(root)))
    _report(sys.stdout, f"{root}: {len(changed)} file(s) written", changed)
    return 0


def check(root: Path = SCHEMA_DIR) -> int:
    """0 when the committed files are what the code generates and compatible with history, else 1."""
    files = generate()
    drifted, breaking = drift(root, files), incompatibilities(root, files)
    if drifted:
        _report(sys.stderr, f"committed schemas differ from the code; {REGENERATE}:", drifted)
    if breaking:
        _report(sys.stderr, "schemas are backward-incompatible with their history:", breaking)
    if drifted or breaking:
        return 1
    sys.stdout.write(f"{root}: schemas up to date\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m contracts.schemas`."""
    parser = argparse.ArgumentParser(prog="python -m contracts.schemas", description=__doc__)
    parser.add_argument("command", choices=("write", "check"), help="regenerate, or verify the committed files")
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="schema directory (default: %(default)s)")
    args = parser.parse_args(argv)
    return write(args.dir) if args.command == "write" else check(args.dir)


if __name__ == "__main__":
    raise SystemExit(main())
