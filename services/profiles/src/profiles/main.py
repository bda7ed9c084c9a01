"""Profiles' entry points: serve the API (with the paper.seen consumer and the relay), the consumer alone, migrate."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from alembic.config import Config

from contracts import PAPER_SEEN, TRUST_CHANGED, topic_name
from profiles.settings import ProfilesSettings
from servicekit import entrypoints

SERVICE_ROOT = Path(__file__).resolve().parents[2]


def _app(settings: ProfilesSettings) -> Any:
    from profiles.api import create_app
    from profiles.bootstrap import bootstrap

    return create_app(bootstrap(settings))


def _runtime(settings: ProfilesSettings) -> AbstractAsyncContextManager[object]:
    from profiles.bootstrap import bootstrap

    return bootstrap(settings).running()


def _rebuilt_topics(settings: ProfilesSettings) -> list[str]:
    # trust.changed too: the emptied database forgets the trust snapshots.
    return [topic_name(spec, settings.topic_prefix) for spec in (PAPER_SEEN, TRUST_CHANGED)]


SERVICE = entrypoints.ConsumingService(
    name="profiles",
    root=SERVICE_ROOT,
    settings=ProfilesSettings,
    app=_app,
    runtime=_runtime,
    group=lambda settings: settings.consumer_group,
    rebuilt_topics=_rebuilt_topics,
    consumes="paper.seen and trust.changed consumer",
    rebuild_help="empty the database and rewind the consumer group to the start of paper.seen (stop consumers "
    "first); the next consumers rebuild every work and researcher by replay",
)


def cli(argv: list[str] | None = None) -> None:
    """`sightline-profiles serve|consume|migrate|rebuild`."""
    entrypoints.consuming_cli(SERVICE, argv)


def migrate(settings: ProfilesSettings) -> None:
    """Upgrade the database to the newest migration (the prestart step)."""
    entrypoints.migrate(SERVICE_ROOT, settings)


def alembic_config(settings: ProfilesSettings) -> Config:
    """Alembic configuration pointing at this service's migrations and database."""
    return entrypoints.alembic_config(SERVICE_ROOT, settings)
