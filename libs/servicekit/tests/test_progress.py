"""ProgressProbe against real Kafka: a group's lag is what it has not committed yet."""

from __future__ import annotations

import os

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from servicekit.progress import ProgressProbe, rewind_group

pytestmark = pytest.mark.integration
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


async def test_lag_counts_records_the_group_has_not_committed(prefix: str) -> None:
    topic = f"{prefix}paper.seen"
    probe = ProgressProbe(BOOTSTRAP, "progress-group", topic)
    try:
        empty = await probe.measure()
        assert len(empty.partitions) == 12
        assert empty.lag == 0
        producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP)
        await producer.start()
        try:
            for n in range(5):
                await producer.send_and_wait(topic, b"{}", partition=n % 2)
        finally:
            await producer.stop()
        assert (await probe.measure()).lag == 5
        consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id="progress-group", enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign([TopicPartition(topic, 0)])
            await consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(3, "")})
        finally:
            await consumer.stop()
        progress = await probe.measure()
        assert progress.lag == 2
        assert {p.partition: p.committed for p in progress.partitions if p.committed is not None} == {0: 3}
        # Rewinding (what a rebuild does) puts every record back in front of the group.
        assert await rewind_group(BOOTSTRAP, "progress-group", topic) == 12
        rewound = await probe.measure()
        assert rewound.lag == 5
        assert all(p.committed == 0 for p in rewound.partitions)
    finally:
        await probe.close()
