"""RFC 9457 problem details: the one shape every error response has."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from servicekit.db import database_unavailable
from servicekit.paging import BadParameterError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    """An application/problem+json response; `extra` adds members such as `errors` or `results`."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_unavailable_handler(app: FastAPI) -> None:
    """Answer 503 with Retry-After (not 500) while the database is unreachable; clients retry, nothing is half-done."""

    async def database_error(request: Request, exc: Exception) -> Response:
        if database_unavailable(exc):
            log.warning("database unavailable for %s %s: %s", request.method, request.url.path, exc)
            return problem(503, "Database unavailable", "try again shortly", {"Retry-After": "1"})
        log.error("database error for %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "Internal error", "the request failed; it was not applied")

    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(OSError, database_error)


def install_parameter_handlers(app: FastAPI) -> None:
    """Answer 422 problem+json, with one `errors` entry per field, for invalid parameters and foreign cursors."""

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid parameters", detail, errors=errors)

    async def bad_parameter(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BadParameterError)
        errors = [{"field": exc.name, "message": exc.message}]
        return problem(422, "Invalid parameters", f"{exc.name}: {exc.message}", errors=errors)

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(BadParameterError, bad_parameter)
