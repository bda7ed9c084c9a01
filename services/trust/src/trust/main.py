"""Trust's entry points: serve the API (with the consumer and the relay), the consumer alone, migrate, rebuild."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from alembic.config import Config

from servicekit import entrypoints
from trust.settings import TrustSettings

if TYPE_CHECKING:
    from trust.bootstrap import Trust


def cli(argv: list[str] | None = None) -> None:
    """`sightline-trust serve|consume|migrate|rebuild|recompute`."""
    parser = argparse.ArgumentParser(prog="sightline-trust", description="Sightline trust service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the public API (and the consumer and outbox relay)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--no-consumer", action="store_true", help="leave consuming to separate `consume` processes")
    commands.add_parser("consume", help="run only the consumer and the outbox relay (a replica)")
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    commands.add_parser(
        "rebuild",
        help="empty the database and rewind the consumer group to the start of paper.seen, work.attributed and "
        "researcher.changes (stop consumers first); the next consumers rebuild every snapshot by replay",
    )
    commands.add_parser(
        "recompute", help="rescore every researcher now under the current policy and learned source reputations"
    )
    args = parser.parse_args(argv)
    settings = TrustSettings()
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
    elif args.command == "recompute":
        asyncio.run(_recompute(settings))


SERVICE_ROOT = Path(__file__).resolve().parents[2]


def migrate(settings: TrustSettings) -> None:
    """Upgrade the database to the newest migration (the prestart step)."""
    entrypoints.migrate(SERVICE_ROOT, settings)


def alembic_config(settings: TrustSettings) -> Config:
    """Alembic configuration pointing at this service's migrations and database."""
    return entrypoints.alembic_config(SERVICE_ROOT, settings)


def consumed_topics(settings: TrustSettings) -> list[str]:
    """The topics trust's group consumes (what a rebuild rewinds)."""
    from contracts import topic_name
    from trust.bootstrap import CONSUMED

    return [topic_name(spec, settings.topic_prefix) for spec in CONSUMED]


async def _rebuild(settings: TrustSettings) -> None:
    await entrypoints.rebuild("trust", SERVICE_ROOT, settings, settings.consumer_group, consumed_topics(settings))


async def _recompute(settings: TrustSettings) -> None:
    from trust.bootstrap import bootstrap

    trust = bootstrap(settings.model_copy(update={"run_consumer": False}))
    async with trust.running():
        changed = await trust.recompute(only_if_policy_changed=False)
        for _ in range(3000):  # the relay drains what the recompute queued (at most ten minutes)
            if await _outbox_depth(trust) == 0:
                break
            await asyncio.sleep(0.2)
    print(f"recomputed every snapshot under policy {trust.policy.version}: {changed} changed")  # noqa: T201


async def _outbox_depth(trust: Trust) -> int:
    from servicekit.outbox import OutboxRepository
    from trust.db.tables import outbox

    async with trust.sessions() as session:
        return await OutboxRepository(session, outbox).depth()


def _serve(settings: TrustSettings, host: str | None, port: int | None) -> None:
    from trust.api import create_app
    from trust.bootstrap import bootstrap

    entrypoints.serve(create_app(bootstrap(settings)), settings, host, port)


async def _consume(settings: TrustSettings) -> None:
    from trust.bootstrap import bootstrap

    await entrypoints.run_until_signalled(bootstrap(settings).running())
