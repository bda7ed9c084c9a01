"""Profiles' entry points: serve the API (with the paper.seen consumer and the relay), the consumer alone, migrate."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from alembic.config import Config

from profiles.settings import ProfilesSettings
from servicekit import entrypoints


def cli(argv: list[str] | None = None) -> None:
    """`sightline-profiles serve|consume|migrate|rebuild`."""
    parser = argparse.ArgumentParser(prog="sightline-profiles", description="Sightline profiles service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the public API (and the paper.seen consumer and outbox relay)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--no-consumer", action="store_true", help="leave consuming to separate `consume` processes")
    commands.add_parser("consume", help="run only the paper.seen consumer and the outbox relay (a replica)")
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    commands.add_parser(
        "rebuild",
        help="empty the database and rewind the consumer group to the start of paper.seen (stop consumers first); "
        "the next consumers rebuild every work and researcher by replay",
    )
    args = parser.parse_args(argv)
    settings = ProfilesSettings()
    if args.command == "serve":
        if args.no_consumer:
            settings = settings.model_copy(update={"run_consumer": False})
        _serve(settings, args.host, args.port)
    elif args.command == "consume":
        asyncio.run(_consume(settings))
    elif args.command == "migrate":
        migrate(settings)
    elif args.command == "rebuild":
        asyncio.run(_rebuild(settings))


SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migrate(settings: ProfilesSettings) -> None:
    """Upgrade the database to the newest migration (the prestart step)."""
    entrypoints.migrate(SERVICE_ROOT, settings)


def alembic_config(settings: ProfilesSettings) -> Config:
    """Alembic configuration pointing at this service's migrations and database."""
    return entrypoints.alembic_config(SERVICE_ROOT, settings)


async def _rebuild(settings: ProfilesSettings) -> None:
    from contracts import PAPER_SEEN, TRUST_CHANGED, topic_name

    # trust.changed too: the emptied database forgets the trust snapshots.
    topics = [topic_name(spec, settings.topic_prefix) for spec in (PAPER_SEEN, TRUST_CHANGED)]
    await entrypoints.rebuild("profiles", SERVICE_ROOT, settings, settings.consumer_group, topics)


def _serve(settings: ProfilesSettings, host: str | None, port: int | None) -> None:
    from profiles.api import create_app
    from profiles.bootstrap import bootstrap

    entrypoints.serve(create_app(bootstrap(settings)), settings, host, port)


async def _consume(settings: ProfilesSettings) -> None:
    from profiles.bootstrap import bootstrap

    await entrypoints.run_until_signalled(bootstrap(settings).running())
