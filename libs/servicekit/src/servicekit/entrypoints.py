"""The steps every service's command line shares: migrate, serve the API, run until signalled, rebuild by replay."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from alembic.config import Config

from servicekit import migrations
from servicekit.settings import ServiceSettings


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
