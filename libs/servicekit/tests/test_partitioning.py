"""Partitioning agrees with Kafka's own murmur2 (aiokafka's port of the Java client) for every key shape."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner, murmur2
from hypothesis import given
from hypothesis import strategies as st

from servicekit import partitioning

# The Java client's own test vectors (UtilsTest.testMurmur2), signed as Java prints them.
JAVA_VECTORS = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


def test_murmur2_matches_the_java_client() -> None:
    assert {key: partitioning.murmur2(key) for key in JAVA_VECTORS} == {
        key: value % 2**32 for key, value in JAVA_VECTORS.items()
    }


@given(st.binary(max_size=200))
def test_murmur2_matches_the_reference_for_any_bytes(data: bytes) -> None:
    assert partitioning.murmur2(data) == murmur2(data)


@given(st.binary(min_size=1, max_size=80), st.integers(min_value=1, max_value=64))
def test_partition_matches_kafkas_default_partitioner(key: bytes, count: int) -> None:
    partitions = list(range(count))
    assert partitioning.partition_for(key, partitions) == DefaultPartitioner()(key, partitions, partitions)


def test_unkeyed_messages_go_to_some_partition() -> None:
    assert partitioning.partition_for(None, [3, 4]) in {3, 4}
