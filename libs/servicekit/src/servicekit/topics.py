"""Provision Kafka topics from the contracts: create missing ones, add partitions, align configs (idempotent)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from contracts import ALL_TOPICS, TopicSpec, topic_name
from servicekit.settings import ServiceSettings

log = logging.getLogger(__name__)


async def ensure_topics(
    bootstrap: str, prefix: str = "", replication: int = 1, specs: tuple[TopicSpec, ...] = ALL_TOPICS
) -> list[str]:
    """Make the cluster match the contract's topics; returns one line per change made."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="sightline-topics")
    await admin.start()
    try:
        return await _ensure(admin, prefix, replication, specs)
    finally:
        await admin.close()


async def _ensure(admin: AIOKafkaAdminClient, prefix: str, replication: int, specs: tuple[TopicSpec, ...]) -> list[str]:
    changes: list[str] = []
    existing = set(await admin.list_topics())
    wanted = {topic_name(spec, prefix): spec for spec in specs}
    missing = [name for name in wanted if name not in existing]
    if missing:
        await admin.create_topics(
            [NewTopic(n, wanted[n].partitions, replication, topic_configs=dict(wanted[n].config)) for n in missing]
        )
        changes += [f"created {n} ({wanted[n].partitions} partitions)" for n in missing]
    present = [name for name in wanted if name in existing]
    if present:
        for description in await admin.describe_topics(present):
            name, have = description["topic"], len(description["partitions"])
            if have < wanted[name].partitions:
                await admin.create_partitions({name: NewPartitions(wanted[name].partitions)})
                changes.append(f"{name}: partitions {have} -> {wanted[name].partitions}")
            elif have > wanted[name].partitions:
                log.warning("%s has %d partitions, more than the contract's %d", name, have, wanted[name].partitions)
        await _align_configs(admin, {n: wanted[n] for n in present}, changes)
    return changes


async def _align_configs(admin: AIOKafkaAdminClient, specs: dict[str, TopicSpec], changes: list[str]) -> None:
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in specs]
    responses = await admin.describe_configs(resources)
    current: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.resources:
            _error, _message, _type, name, entries = resource[:5]
            current[name] = {entry[0]: entry[1] for entry in entries}
    for name, spec in specs.items():
        drift = {k: v for k, v in spec.config.items() if current.get(name, {}).get(k) != v}
        if drift:
            await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=dict(spec.config))])
            changes.append(f"{name}: config {drift}")


def main() -> None:
    """CLI: `sightline-topics ensure` with KAFKA_BOOTSTRAP_SERVERS, SIGHTLINE_TOPIC_PREFIX, KAFKA_REPLICATION_FACTOR."""
    parser = argparse.ArgumentParser(prog="sightline-topics", description=__doc__)
    parser.add_argument("command", choices=["ensure", "list"])
    parser.add_argument("--prefix", default=None, help="topic name prefix (default: SIGHTLINE_TOPIC_PREFIX)")
    args = parser.parse_args()
    settings = ServiceSettings()
    prefix = settings.topic_prefix if args.prefix is None else args.prefix
    if args.command == "list":
        for spec in ALL_TOPICS:
            print(f"{topic_name(spec, prefix)}\t{spec.partitions}\t{dict(spec.config)}")  # noqa: T201 - CLI output
        return
    try:
        changes = asyncio.run(
            ensure_topics(settings.kafka_bootstrap_servers, prefix, settings.kafka_replication_factor)
        )
    except Exception as exc:  # reported as a one-line CLI error
        sys.exit(f"sightline-topics: cannot provision topics on {settings.kafka_bootstrap_servers}: {exc}")
    for line in changes or ["topics up to date"]:
        print(line)  # noqa: T201 - CLI output


async def delete_topics(bootstrap: str, prefix: str, specs: tuple[TopicSpec, ...] = ALL_TOPICS) -> None:
    """Delete the prefixed topics (test clean-up); refuses an empty prefix so real topics are never touched."""
    if not prefix:
        raise ValueError("refusing to delete un-prefixed topics")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="sightline-topics")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        doomed = [topic_name(spec, prefix) for spec in specs if topic_name(spec, prefix) in existing]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()
