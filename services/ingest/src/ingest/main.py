"""Ingest's entry points: serve the API (with the relay), the relay alone, migrations, crawler keys, demo data."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic.config import Config

from ingest.settings import IngestSettings
from servicekit import entrypoints

if TYPE_CHECKING:
    from fastapi import FastAPI


def cli(argv: list[str] | None = None) -> None:
    """`sightline-ingest serve|relay|migrate|keys|demo`."""
    parser = argparse.ArgumentParser(prog="sightline-ingest", description="Sightline ingest service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the crawler API (and the outbox relay)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--no-relay", action="store_true", help="leave relaying to a separate `relay` process")
    commands.add_parser("relay", help="run only the outbox relay")
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    keys = commands.add_parser("keys", help="manage crawler keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create or re-key a crawler; prints the key once")
    create.add_argument("name")
    create.add_argument("--sources", default="*", help="comma-separated source names it may post, or *")
    key_commands.add_parser("list", help="list crawlers")
    revoke = key_commands.add_parser("revoke", help="revoke a crawler's key")
    revoke.add_argument("name")
    demo = commands.add_parser("demo", help="write generated demo sightings as JSON lines (import format 'sightings')")
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--count", type=int, default=600)
    args = parser.parse_args(argv)
    settings = IngestSettings()

    if args.command == "serve":
        _serve(settings, args.host, args.port, relay=settings.run_relay and not args.no_relay)
    elif args.command == "relay":
        asyncio.run(_relay(settings))
    elif args.command == "migrate":
        migrate(settings)
    elif args.command == "keys":
        asyncio.run(_keys(settings, args))
    elif args.command == "demo":
        from ingest.demo import write_demo

        print(f"wrote {write_demo(args.out, args.count)} demo sightings to {args.out}")  # noqa: T201


SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migrate(settings: IngestSettings) -> None:
    """Upgrade the database to the newest migration (the prestart step)."""
    entrypoints.migrate(SERVICE_ROOT, settings)


def alembic_config(settings: IngestSettings) -> Config:
    """Alembic configuration pointing at this service's migrations and database."""
    return entrypoints.alembic_config(SERVICE_ROOT, settings)


def _serve(settings: IngestSettings, host: str | None, port: int | None, relay: bool) -> None:
    import uvicorn

    from ingest.api import create_app
    from ingest.bootstrap import bootstrap

    options = entrypoints.server_options(settings, host, port)
    if settings.workers > 1:
        # Worker processes build their own app from the environment (each with its own relay: the outbox's
        # SKIP LOCKED claims keep them from publishing a row twice).
        os.environ["INGEST_RUN_RELAY"] = "true" if relay else "false"
        uvicorn.run("ingest.main:app_from_environment", factory=True, workers=settings.workers, **options)
        return
    settings = settings.model_copy(update={"run_relay": relay})
    uvicorn.run(create_app(bootstrap(settings)), **options)


def app_from_environment() -> FastAPI:
    """The ASGI app as configured by INGEST_* variables (the factory worker processes call)."""
    from ingest.api import create_app
    from ingest.bootstrap import bootstrap

    return create_app(bootstrap(IngestSettings()))


async def _relay(settings: IngestSettings) -> None:
    import signal

    from ingest.bootstrap import bootstrap

    ingest = bootstrap(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, ingest.relay.stop)
    try:
        await ingest.relay.run()
    finally:
        await ingest.engine.dispose()


async def _keys(settings: IngestSettings, args: argparse.Namespace) -> None:
    from ingest.bootstrap import bootstrap
    from ingest.service import list_crawlers, register_crawler, revoke_crawler

    ingest = bootstrap(settings)
    try:
        if args.keys_command == "create":
            wanted = [s.strip() for s in args.sources.split(",") if s.strip()]
            try:
                key = await register_crawler(ingest.uow(), args.name, wanted)
            except ValueError as exc:
                sys.exit(str(exc))
            print(f"crawler {args.name!r} may post {', '.join(wanted)}; its key (shown once):\n{key}")  # noqa: T201
        elif args.keys_command == "list":
            for record in await list_crawlers(ingest.uow()):
                state = f"revoked {record.revoked_at:%Y-%m-%d}" if record.revoked_at else "active"
                sources = ",".join(sorted(record.crawler.sources))
                print(f"{record.crawler.name}\t{record.key_hint}\t{sources}\t{state}")  # noqa: T201
        elif not await revoke_crawler(ingest.uow(), args.name, datetime.now(UTC)):
            sys.exit(f"no active key for crawler {args.name!r}")
    finally:
        await ingest.engine.dispose()
