"""Opaque cursors for keyset pagination, and the 422 error for a parameter an API cannot use (every service)."""

from __future__ import annotations

import base64
from typing import Any

import orjson


def encode_cursor(values: list[Any]) -> str:
    """The cursor that resumes after a row with these sort values."""
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """The sort values a cursor carries (None without a cursor); a foreign cursor is a BadParameterError."""
    if cursor is None:
        return None
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise BadParameterError("cursor", "not a cursor this API returned") from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadParameterError("cursor", "not a cursor this API returned")
    return values


class BadParameterError(Exception):
    """A query parameter the API cannot use (answered 422)."""

    def __init__(self, name: str, message: str) -> None:
        """Name the parameter and what is wrong."""
        super().__init__(message)
        self.name, self.message = name, message
