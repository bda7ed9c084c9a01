"""Trust's entry points: serve the API (with the consumer and the relay), the consumer alone, migrate, rebuild."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic.config import Config

from servicekit import entrypoints
from trust.settings import TrustSettings

if TYPE_CHECKING:
    from trust.bootstrap import Trust


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


def _app(settings: TrustSettings) -> Any:
    from trust.api import create_app
    from trust.bootstrap import bootstrap

    return create_app(bootstrap(settings))


def _runtime(settings: TrustSettings) -> AbstractAsyncContextManager[object]:
    from trust.bootstrap import bootstrap

    return bootstrap(settings).running()


SERVICE = entrypoints.ConsumingService(
    name="trust",
    root=SERVICE_ROOT,
    settings=TrustSettings,
    app=_app,
    runtime=_runtime,
    group=lambda settings: settings.consumer_group,
    rebuilt_topics=consumed_topics,
    consumes="consumer",
    rebuild_help="empty the database and rewind the consumer group to the start of paper.seen, work.attributed "
    "and researcher.changes (stop consumers first); the next consumers rebuild every snapshot by replay",
)


def cli(argv: list[str] | None = None) -> None:
    """`sightline-trust serve|consume|migrate|rebuild|recompute`."""
    recompute = "rescore every researcher now under the current policy and learned source reputations"
    entrypoints.consuming_cli(
        SERVICE, argv, {"recompute": (recompute, lambda settings: asyncio.run(_recompute(settings)))}
    )
