"""`sightline import`: bulk-load files of any supported format into ingest, resumably, with a reject report."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TextIO

import httpx

from ingest.adapters.base import Adapter
from ingest.adapters.registry import ADAPTERS, adapter
from ingest.importer.checkpoint import InputIdentity
from ingest.importer.client import ImportAbortedError, IngestClient
from ingest.importer.progress import Progress
from ingest.importer.run import Options, Summary, import_input
from servicekit.runtime import tune_gc

DEFAULT_STATE = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local/state")) / "sightline/imports"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `sightline` command."""
    parser = argparse.ArgumentParser(prog="sightline", description="Sightline command line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("formats", help="list the formats `import` reads")
    run = commands.add_parser("import", help="import files (or - for stdin) through an adapter")
    run.add_argument("paths", nargs="+", metavar="PATH", help="files to import, or - for standard input")
    run.add_argument("--format", required=True, choices=sorted(ADAPTERS), help="input format")
    run.add_argument("--source", help="source name to report (default: the format's own, e.g. arxiv)")
    run.add_argument("--batch", type=int, default=500, help="sightings per request (max 1000)")
    run.add_argument("--rate", type=float, help="at most N records per second")
    run.add_argument("--concurrency", type=int, default=4, help="batches in flight at once (1-16)")
    run.add_argument("--dry-run", action="store_true", help="validate locally, post nothing")
    run.add_argument("--url", default=os.environ.get("SIGHTLINE_INGEST_URL", "http://127.0.0.1:8001"))
    run.add_argument("--key", default=os.environ.get("SIGHTLINE_CRAWLER_KEY"), help="crawler key (or env)")
    run.add_argument("--seen-at", help="when the data was crawled (ISO 8601; default now)")
    run.add_argument("--rejects", type=Path, default=Path("sightline-rejects.jsonl"), help="reject report path")
    run.add_argument("--state-dir", type=Path, default=DEFAULT_STATE, help="where resume checkpoints live")
    run.add_argument("--restart", action="store_true", help="ignore saved checkpoints and start over")
    args = parser.parse_args(argv)
    if args.command == "formats":
        for name, known in sorted(ADAPTERS.items()):
            print(f"{name:<12} source {known.default_source}")  # noqa: T201
        return
    if not args.dry_run and not args.key:
        parser.error("--key (or SIGHTLINE_CRAWLER_KEY) is required unless --dry-run")
    if not 1 <= args.batch <= 1000:
        parser.error("--batch must be between 1 and 1000")
    if not 1 <= args.concurrency <= 16:
        parser.error("--concurrency must be between 1 and 16")
    sys.exit(asyncio.run(_import(args)))


async def _import(args: argparse.Namespace) -> int:
    tune_gc()  # parsing makes millions of short-lived objects: the default collector thresholds cost a tenth
    chosen = adapter(args.format)
    source = args.source or chosen.default_source
    seen_at = datetime.fromisoformat(args.seen_at) if args.seen_at else datetime.now(UTC)
    if seen_at.tzinfo is None:
        seen_at = seen_at.replace(tzinfo=UTC)
    options = Options(
        batch=args.batch,
        rate=args.rate,
        dry_run=args.dry_run,
        state_dir=args.state_dir,
        in_flight=args.concurrency,
    )
    if args.restart:
        for path in args.paths:
            if path != "-":
                identity = InputIdentity.of(Path(path), args.format, source)
                (options.state_dir / f"{identity.digest()}.json").unlink(missing_ok=True)
    total = Summary()
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    args.rejects.parent.mkdir(parents=True, exist_ok=True)
    async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=120) as http:
        client = None if args.dry_run else IngestClient(http)
        with args.rejects.open("a", encoding="utf-8") as rejects:
            context = _Context(seen_at, options, client, rejects)
            for path in args.paths:
                try:
                    summary = await _one(path, args.format, chosen, source, context=context)
                except ImportAbortedError as exc:
                    print(f"\nimport stopped: {exc}", file=sys.stderr)  # noqa: T201
                    _report(total, args, client)
                    return 1
                except OSError as exc:
                    print(f"cannot read {path}: {exc}", file=sys.stderr)  # noqa: T201
                    return 1
                total.add(summary)
    _report(total, args, client)
    return 0


async def _one(path: str, fmt: str, chosen: Adapter, source: str, *, context: _Context) -> Summary:
    if path == "-":
        stream: IO[bytes] = sys.stdin.buffer
        identity, size, name = None, None, "<stdin>"
    else:
        file = Path(path)
        identity = InputIdentity.of(file, fmt, source)
        size, name = identity.size, str(file)
        stream = file.open("rb")  # noqa: ASYNC230 - read in worker threads by the import loop
    progress = Progress(name, size)
    try:
        return await import_input(
            name,
            stream,
            identity=identity,
            adapter=chosen,
            source=source,
            seen_at=context.seen_at,
            options=context.options,
            client=context.client,
            rejects=context.rejects,
            progress=progress,
        )
    finally:
        progress.finish()
        if path != "-":
            stream.close()


@dataclass(frozen=True)
class _Context:
    seen_at: datetime
    options: Options
    client: IngestClient | None
    rejects: TextIO


def _report(total: Summary, args: argparse.Namespace, client: IngestClient | None) -> None:
    rejected = sum(total.rejected.values())
    verb = "valid" if args.dry_run else "accepted"
    lines = [
        f"records read: {total.read:,}" + (f" (skipped {total.resumed:,} already imported)" if total.resumed else ""),
        f"{verb}: {total.accepted:,}   duplicate: {total.duplicate:,}   rejected: {rejected:,}",
    ]
    lines += [f"  {count:>7,}  {reason}" for reason, count in total.rejected.most_common()]
    if client is not None and client.retries:
        lines.append(f"retried requests: {client.retries}")
    if rejected:
        lines.append(f"reject report: {args.rejects}")
    print("\n".join(lines))  # noqa: T201
