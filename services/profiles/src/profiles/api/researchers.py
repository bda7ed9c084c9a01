"""The researcher routes: search, the profile page (301 for a merged id), works, collaborators, the graph."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from contracts.keys import fold
from profiles.api.presenters import (
    CLOSE_COLLABORATOR_RULE,
    MOVED,
    NOT_FOUND,
    collaborator,
    researcher_document,
    variants,
)
from profiles.api.schemas import (
    CollaboratorList,
    Researcher,
    ResearcherPage,
    ResearcherSummary,
    WorkPage,
    WorkSummary,
)
from profiles.bootstrap import Profiles
from profiles.db.queries import ReadModel
from servicekit.paging import BadParameterError, decode_cursor, encode_cursor
from servicekit.problems import problem

ORCID = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"


async def researcher_or_redirect(read: ReadModel, researcher_id: str, suffix: str, request: Request) -> Response | None:
    """None for a live researcher; else 404, or 301 to the survivor of a merged id."""
    exists, live = await read.resolve("researchers", researcher_id)
    if not exists or live is None:
        return problem(404, "Researcher not found", f"no researcher {researcher_id}")
    if live != researcher_id:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/v1/researchers/{live}{suffix}{query}", status_code=301)
    return None


def researchers_router(profiles: Profiles) -> APIRouter:
    """Search, the profile page, works, collaborators and the graph of researchers."""
    router = APIRouter(tags=["researchers"])
    page_size = profiles.settings.page_size

    @router.get("/v1/researchers", summary="Search researchers by name, ORCID or topic")
    async def search_researchers(
        q: Annotated[str | None, Query(max_length=200, description="Name words (all must match)")] = None,
        orcid: Annotated[str | None, Query(pattern=ORCID)] = None,
        topic: Annotated[str | None, Query(min_length=1, max_length=100, description="A topic id")] = None,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
        limit: Annotated[int | None, Query(ge=1, le=200)] = None,
    ) -> ResearcherPage:
        tokens = fold(q or "").split()
        if q is not None and not tokens:
            raise BadParameterError("q", "the query has no letters or digits")
        size = limit or page_size
        after = decode_cursor(cursor, 2)
        if after is not None and not (isinstance(after[0], int) and isinstance(after[1], str)):
            raise BadParameterError("cursor", "not a cursor this API returned")
        async with profiles.sessions() as session:
            rows = await ReadModel(session).search(
                tokens, orcid, topic, (after[0], after[1]) if after else None, size + 1
            )
        items = [
            ResearcherSummary(
                id=r.id,
                display_name=r.display_name,
                orcid=r.orcid,
                works_count=r.works_count,
                name_variants=variants(r.names),
            )
            for r in rows[:size]
        ]
        more = len(rows) > size
        return ResearcherPage(
            items=items, next_cursor=encode_cursor([items[-1].works_count, items[-1].id]) if more else None
        )

    @router.get(
        "/v1/researchers/{researcher_id}",
        summary="A researcher profile (a merged id answers 301 to the survivor)",
        responses={**MOVED, **NOT_FOUND},
        response_model=Researcher,
    )
    async def get_researcher(researcher_id: str, request: Request) -> Response:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            row = await read.researcher_page(researcher_id)
            if row is None:
                redirect = await researcher_or_redirect(read, researcher_id, "", request)
                assert redirect is not None
                return redirect
        # Serialised straight from the one query's rows (the shape is `Researcher`, pinned by the API tests).
        return Response(orjson.dumps(researcher_document(row)), media_type="application/json")

    @router.get(
        "/v1/researchers/{researcher_id}/works",
        summary="A researcher's works, newest first (cursor pagination)",
        responses={**MOVED, **NOT_FOUND},
        response_model=WorkPage,
    )
    async def researcher_works(
        researcher_id: str,
        request: Request,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
        limit: Annotated[int | None, Query(ge=1, le=200)] = None,
    ) -> Response | WorkPage:
        size = limit or page_size
        after = decode_cursor(cursor, 2)
        if after is not None and not all(isinstance(v, str) for v in after):
            raise BadParameterError("cursor", "not a cursor this API returned")
        async with profiles.sessions() as session:
            read = ReadModel(session)
            redirect = await researcher_or_redirect(read, researcher_id, "/works", request)
            if redirect is not None:
                return redirect
            rows = await read.researcher_works(researcher_id, (after[0], after[1]) if after else None, size + 1)
        items = [
            WorkSummary(
                id=r.id,
                title=r.title,
                published=r.published,
                year=r.year,
                venue=r.venue,
                kind=r.kind,
                topic_ids=list(r.topic_ids),
                author_count=r.author_count,
                position=r.position,
                confidence=r.confidence,
            )
            for r in rows[:size]
        ]
        more = len(rows) > size
        last = rows[size - 1] if more else None
        return WorkPage(items=items, next_cursor=encode_cursor([last.sort_date, last.id]) if last is not None else None)

    @router.get(
        "/v1/researchers/{researcher_id}/collaborators",
        summary="Close collaborators with the works they share",
        responses={**MOVED, **NOT_FOUND},
        response_model=CollaboratorList,
    )
    async def researcher_collaborators(researcher_id: str, request: Request) -> Response | CollaboratorList:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            redirect = await researcher_or_redirect(read, researcher_id, "/collaborators", request)
            if redirect is not None:
                return redirect
            rows = await read.collaborators(researcher_id)
        return CollaboratorList(
            researcher_id=researcher_id, rule=CLOSE_COLLABORATOR_RULE, items=[collaborator(c) for c in rows]
        )

    return router
