"""The steps every service's command line shares: migrate, serve the API, run until signalled, rebuild by replay."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from alembic.config import Config

from servicekit import migrations
from servicekit.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def alembic_config(service_root: Path, settings: ServiceSettings) -> Config:
    """Alembic configuration of the service folder (alembic.ini, migrations/) against the service's database."""
    return migrations.alembic_config(service_root, settings.database_url.get_secret_value())


def migrate(service_root: Path, settings: ServiceSettings) -> None:
    """Upgrade the service's database to the newest migration (the prestart step)."""
    from alembic import command

    command.upgrade(alembic_config(service_root, settings), "head")


def server_options(settings: ServiceSettings, host: str | None, port: int | None) -> dict[str, Any]:
    """uvicorn's options: the settings' address unless given, our own logging, a bounded graceful shutdown."""
    return {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": 30,
    }


def serve(app: Any, settings: ServiceSettings, host: str | None, port: int | None) -> None:
    """Serve the ASGI app until SIGTERM/SIGINT (uvicorn runs the app's lifespan: consumer and relay inside)."""
    import uvicorn

    uvicorn.run(app, **server_options(settings, host, port))


async def run_until_signalled(running: AbstractAsyncContextManager[object]) -> None:
    """Enter `running` (a consumer replica, a relay), wait for SIGTERM or SIGINT, then leave it (a clean stop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running:
        await stop.wait()


async def rebuild(
    service: str, service_root: Path, settings: ServiceSettings, group: str, topics: Sequence[str]
) -> None:
    """Rewind `group` to the start of `topics`, then empty the database (downgrade to base, upgrade to head)."""
    from alembic import command

    from servicekit.progress import GroupActiveError, rewind_group

    # Rewind first: Kafka refuses while consumers are running, and then the database is left untouched.
    partitions = 0
    try:
        for topic in topics:
            partitions += await rewind_group(settings.kafka_bootstrap_servers, group, topic)
    except GroupActiveError as exc:
        hint = f"bash deploy/local/services.sh stop, or stop sightline-{service}"
        raise SystemExit(f"rebuild refused: {exc} ({hint})") from exc
    config = alembic_config(service_root, settings)
    await asyncio.to_thread(command.downgrade, config, "base")
    await asyncio.to_thread(command.upgrade, config, "head")
    print(f"{service} emptied; group {group!r} rewound on {partitions} partitions of {', '.join(topics)}")  # noqa: T201


@dataclass(frozen=True)
class ConsumingService(Generic[S]):
    """What the commands every consuming service shares (serve, consume, migrate, rebuild) need of it."""

    name: str
    root: Path
    settings: Callable[[], S]
    app: Callable[[S], Any]
    runtime: Callable[[S], AbstractAsyncContextManager[object]]
    group: Callable[[S], str]
    rebuilt_topics: Callable[[S], Sequence[str]]
    consumes: str
    rebuild_help: str


def consuming_cli(
    service: ConsumingService[S],
    argv: list[str] | None = None,
    extra: Mapping[str, tuple[str, Callable[[S], None]]] | None = None,
) -> None:
    """`sightline-<name> serve|consume|migrate|rebuild` plus the service's own `extra` commands (name: help, run)."""
    extra = extra or {}
    parser = argparse.ArgumentParser(prog=f"sightline-{service.name}", description=f"Sightline {service.name} service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help=f"run the public API (and the {service.consumes} and relay)")
    serve_command.add_argument("--host", default=None)
    serve_command.add_argument("--port", type=int, default=None)
    serve_command.add_argument(
        "--no-consumer", action="store_true", help="leave consuming to separate `consume` processes"
    )
    commands.add_parser("consume", help=f"run only the {service.consumes} and the outbox relay (a replica)")
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    commands.add_parser("rebuild", help=service.rebuild_help)
    for name, (help_text, _) in extra.items():
        commands.add_parser(name, help=help_text)
    args = parser.parse_args(argv)
    settings = service.settings()
    if args.command == "serve":
        if args.no_consumer:
            settings = settings.model_copy(update={"run_consumer": False})
        serve(service.app(settings), settings, args.host, args.port)
    elif args.command == "consume":
        asyncio.run(run_until_signalled(service.runtime(settings)))
    elif args.command == "migrate":
        migrate(service.root, settings)
    elif args.command == "rebuild":
        topics = service.rebuilt_topics(settings)
        asyncio.run(rebuild(service.name, service.root, settings, service.group(settings), topics))
    else:
        extra[args.command][1](settings)
