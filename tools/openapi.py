"""Writes or checks the committed OpenAPI documents of the services' public HTTP APIs (docs/api/<service>.json)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "api"


def _ingest() -> dict[str, Any]:
    from ingest.api import create_app
    from ingest.bootstrap import bootstrap

    return create_app(bootstrap()).openapi()


def _profiles() -> dict[str, Any]:
    from profiles.api import create_app
    from profiles.bootstrap import bootstrap

    return create_app(bootstrap()).openapi()


def _trust() -> dict[str, Any]:
    from trust.api import create_app
    from trust.bootstrap import bootstrap

    return create_app(bootstrap()).openapi()


SERVICES: dict[str, Callable[[], dict[str, Any]]] = {"ingest": _ingest, "profiles": _profiles, "trust": _trust}


def render(document: dict[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, a final newline (reviewable diffs)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`write` regenerates the documents; `check` exits 1 naming each one that is stale or missing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["write", "check"])
    args = parser.parse_args(argv)
    stale = []
    for service, build in SERVICES.items():
        path = OUT / f"{service}.openapi.json"
        text = render(build())
        if args.action == "write":
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.relative_to(ROOT))
    if stale:
        print("stale OpenAPI documents (run `make openapi`):", *stale, sep="\n  ")  # noqa: T201
        return 1
    print(f"{OUT.relative_to(ROOT)}: OpenAPI documents {'written' if args.action == 'write' else 'up to date'}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
