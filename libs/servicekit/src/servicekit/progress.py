"""Consumer progress: how far a consumer group's committed offsets are behind the end of its topic (its lag)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import CommitFailedError
from aiokafka.structs import OffsetAndMetadata


@dataclass(frozen=True)
class PartitionProgress:
    """One partition: the group's committed offset (None before its first commit) and the end offset."""

    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        """Records not yet processed (and committed) by the group."""
        return self.end - (self.committed or 0)


@dataclass(frozen=True)
class GroupProgress:
    """A consumer group on one topic."""

    group: str
    topic: str
    partitions: tuple[PartitionProgress, ...]

    @property
    def lag(self) -> int:
        """Records of the topic the group has not committed yet."""
        return sum(p.lag for p in self.partitions)


class ProgressProbe:
    """Measures a group's lag with one long-lived admin client and one group-less consumer (created lazily)."""

    def __init__(self, bootstrap: str, group: str, topic: str) -> None:
        """Describe what to measure; nothing connects until `measure`."""
        self._bootstrap, self._group, self._topic = bootstrap, group, topic
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._lock = asyncio.Lock()

    async def measure(self) -> GroupProgress:
        """Committed and end offsets of every partition, read now."""
        async with self._lock:
            admin, consumer = await self._clients()
            partitions = sorted(consumer.partitions_for_topic(self._topic) or ())
            if not partitions:
                await consumer._client.force_metadata_update()
                partitions = sorted(consumer.partitions_for_topic(self._topic) or ())
            tps = [TopicPartition(self._topic, p) for p in partitions]
            ends = await consumer.end_offsets(tps) if tps else {}
            committed = await admin.list_consumer_group_offsets(self._group, partitions=tps) if tps else {}
        rows = []
        for tp in tps:
            meta = committed.get(tp)
            offset = meta.offset if meta is not None and meta.offset >= 0 else None
            rows.append(PartitionProgress(tp.partition, offset, ends[tp]))
        return GroupProgress(self._group, self._topic, tuple(rows))

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, client_id=f"{self._group}-progress")
            await admin.start()
            self._admin = admin
        if self._consumer is None:
            consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False)
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def close(self) -> None:
        """Close the clients (a later `measure` opens new ones)."""
        admin, consumer, self._admin, self._consumer = self._admin, self._consumer, None, None
        if consumer is not None:
            await consumer.stop()
        if admin is not None:
            await admin.close()


class GroupActiveError(RuntimeError):
    """The group still has live consumers, so its offsets cannot be moved."""


async def rewind_group(bootstrap: str, group: str, topic: str) -> int:
    """Commit the beginning of every partition for the group, so it consumes the topic again from the start.

    Kafka refuses the commit while the group has live members, so a running consumer is never rewound under its
    feet: stop the group's consumers first. Returns how many partitions were rewound.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        beginnings = await consumer.beginning_offsets(partitions)
        try:
            await consumer.commit({tp: OffsetAndMetadata(offset, "rewound") for tp, offset in beginnings.items()})
        except CommitFailedError as exc:
            raise GroupActiveError(f"consumer group {group!r} has running members: stop its consumers first") from exc
        return len(partitions)
    finally:
        await consumer.stop()
