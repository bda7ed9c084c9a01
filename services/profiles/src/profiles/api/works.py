"""The works routes: a canonical work by id (301 for a merged id) and lookup by DOI, arXiv id, PMID or OpenAlex id."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from profiles.api.presenters import MOVED, NOT_FOUND, work_document
from profiles.api.schemas import Work
from profiles.bootstrap import Profiles
from profiles.db.queries import ReadModel
from servicekit.paging import BadParameterError
from servicekit.problems import problem

_ARXIV_VERSION = re.compile(r"v[0-9]+$")


def works_router(profiles: Profiles) -> APIRouter:
    """GET /v1/works/lookup and /v1/works/{id}."""
    router = APIRouter(tags=["works"])

    @router.get(
        "/v1/works/lookup",
        summary="Find a work by an identifier (exactly one of doi, arxiv, pmid, openalex)",
        responses=NOT_FOUND,
        response_model=Work,
    )
    async def lookup_work(
        doi: Annotated[str | None, Query(max_length=500)] = None,
        arxiv: Annotated[str | None, Query(max_length=100)] = None,
        pmid: Annotated[str | None, Query(pattern=r"^[1-9][0-9]{0,9}$")] = None,
        openalex: Annotated[str | None, Query(pattern=r"^(https://openalex\.org/)?W[0-9]{1,12}$")] = None,
    ) -> Response | Work:
        given = {k: v for k, v in {"doi": doi, "arxiv": arxiv, "pmid": pmid, "openalex": openalex}.items() if v}
        if len(given) != 1:
            raise BadParameterError("query", "give exactly one of doi, arxiv, pmid, openalex")
        identifier = identifier_of(*next(iter(given.items())))
        async with profiles.sessions() as session:
            read = ReadModel(session)
            work_id = await read.work_for(identifier)
            if work_id is None:
                return problem(404, "Work not found", f"no work has {identifier}")
            _, live = await read.resolve("works", work_id)
            return await work_document(read, live or work_id)

    @router.get(
        "/v1/works/{work_id}",
        summary="A canonical work with its authorships and provenance (a merged id answers 301)",
        responses={**MOVED, **NOT_FOUND},
        response_model=Work,
    )
    async def get_work(work_id: str, request: Request) -> Response | Work:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            exists, live = await read.resolve("works", work_id)
            if not exists or live is None:
                return problem(404, "Work not found", f"no work {work_id}")
            if live != work_id:
                return RedirectResponse(f"/v1/works/{live}", status_code=301)
            return await work_document(read, work_id)

    return router


def identifier_of(scheme: str, value: str) -> str:
    """The stored identifier key of a looked-up value (DOI, arXiv id without version, PMID, OpenAlex id)."""
    value = value.strip()
    if scheme == "doi":
        value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.IGNORECASE).lower()
        if value.startswith("10.48550/arxiv."):
            return f"arxiv:{value.removeprefix('10.48550/arxiv.')}"
    elif scheme == "arxiv":
        value = _ARXIV_VERSION.sub("", re.sub(r"^(arxiv:|https?://arxiv\.org/abs/)", "", value, flags=re.IGNORECASE))
    elif scheme == "openalex":
        value = value.removeprefix("https://openalex.org/")
    return f"{scheme}:{value}"
