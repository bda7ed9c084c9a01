"""Crawler API keys: generated with high entropy, stored only as SHA-256, shown once."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "slk_"


def new_key() -> str:
    """A fresh crawler key (256 bits of randomness)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> bytes:
    """The stored form of a key; a fast hash suffices because keys are random, not chosen passwords."""
    return hashlib.sha256(key.encode()).digest()


def key_hint(key: str) -> str:
    """The few leading characters operators see to tell keys apart."""
    return key[:10] + "…"
