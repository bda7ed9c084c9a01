"""Kafka's default partitioning (the Java client's murmur2 of the key), computed without per-byte Python work."""

from __future__ import annotations

import random
import struct

_SEED = 0x9747B28C
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """MurmurHash2 as org.apache.kafka.common.utils.Utils.murmur2 computes it (unsigned 32-bit)."""
    length = len(data)
    h = _SEED ^ length
    whole = length & ~3
    # The 4-byte little-endian words in one C call: aiokafka's version assembles each from bytes in Python.
    for word in struct.unpack_from(f"<{whole >> 2}I", data):
        k = (word * _M) & _MASK
        k ^= k >> 24
        h = ((h * _M) & _MASK) ^ ((k * _M) & _MASK)
    tail = length & 3
    if tail:
        if tail == 3:
            h ^= data[whole + 2] << 16
        if tail >= 2:
            h ^= data[whole + 1] << 8
        h = ((h ^ data[whole]) * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    return h ^ (h >> 15)


def partition_for(key: bytes | None, partitions: list[int]) -> int:
    """The partition Kafka's default partitioner gives a key, of the topic's partitions sorted by id."""
    if key is None:
        return random.choice(partitions)  # noqa: S311 - spreading unkeyed messages, not a secret
    return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]
