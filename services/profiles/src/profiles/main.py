"""Profiles' entry points: serve the API (with the paper.seen consumer and the relay), the consumer alone, migrate."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from alembic.config import Config

from profiles.settings import ProfilesSettings
from servicekit import migrations


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


def migrate(settings: ProfilesSettings) -> None:
    """Upgrade the database to the newest migration (the prestart step)."""
    from alembic import command

    command.upgrade(alembic_config(settings), "head")


async def _rebuild(settings: ProfilesSettings) -> None:
    from alembic import command

    from contracts import PAPER_SEEN, TRUST_CHANGED, topic_name
    from servicekit.progress import GroupActiveError, rewind_group

    # Rewind first: Kafka refuses while consumers are running, and then the database is left untouched. trust.changed
    # too: the emptied database forgets the trust snapshots.
    topic = topic_name(PAPER_SEEN, settings.topic_prefix)
    try:
        partitions = await rewind_group(settings.kafka_bootstrap_servers, settings.consumer_group, topic)
        trust = topic_name(TRUST_CHANGED, settings.topic_prefix)
        partitions += await rewind_group(settings.kafka_bootstrap_servers, settings.consumer_group, trust)
    except GroupActiveError as exc:
        hint = "bash deploy/local/services.sh stop, or stop sightline-profiles"
        raise SystemExit(f"rebuild refused: {exc} ({hint})") from exc
    config = alembic_config(settings)
    await asyncio.to_thread(command.downgrade, config, "base")
    await asyncio.to_thread(command.upgrade, config, "head")
    print(f"profiles emptied; group {settings.consumer_group!r} rewound on {partitions} partitions of {topic}")  # noqa: T201


def alembic_config(settings: ProfilesSettings) -> Config:
    """Alembic configuration pointing at this service's migrations and database."""
    return migrations.alembic_config(Path(__file__).resolve().parents[2], settings.database_url.get_secret_value())


def _serve(settings: ProfilesSettings, host: str | None, port: int | None) -> None:
    import uvicorn

    from profiles.api import create_app
    from profiles.bootstrap import bootstrap

    options: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": 30,
    }
    uvicorn.run(create_app(bootstrap(settings)), **options)


async def _consume(settings: ProfilesSettings) -> None:
    import signal

    from profiles.bootstrap import bootstrap

    profiles = bootstrap(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with profiles.running():
        await stop.wait()
