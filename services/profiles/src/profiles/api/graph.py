"""The research-graph route: a researcher's neighbourhood of works, co-authors, topics and institutions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from profiles.api.presenters import MOVED, NOT_FOUND, graph
from profiles.api.researchers import researcher_or_redirect
from profiles.api.schemas import Graph
from profiles.bootstrap import Profiles
from profiles.db.queries import ReadModel


def graph_router(profiles: Profiles) -> APIRouter:
    """GET /v1/researchers/{id}/graph."""
    router = APIRouter(tags=["researchers"])

    @router.get(
        "/v1/researchers/{researcher_id}/graph",
        summary="The researcher's neighbourhood: works, co-authors, topics, institutions, typed weighted edges",
        responses={**MOVED, **NOT_FOUND},
        response_model=Graph,
    )
    async def researcher_graph(
        researcher_id: str,
        request: Request,
        depth: Annotated[int, Query(ge=1, le=2, description="2 adds the links among the co-authors")] = 1,
        limit: Annotated[int, Query(ge=1, le=500, description="At most this many works (newest)")] = 50,
    ) -> Response | Graph:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            redirect = await researcher_or_redirect(read, researcher_id, "/graph", request)
            if redirect is not None:
                return redirect
            me = await read.researcher(researcher_id)
            assert me is not None
            works = await read.researcher_works(researcher_id, None, limit)
            coauthors = await read.work_coauthors([w.id for w in works], researcher_id)
            institutions = await read.researcher_institutions(researcher_id)
            links = await read.coauthor_links(sorted({c.researcher_id for c in coauthors})) if depth > 1 else []
        return graph(me, works=works, coauthors=coauthors, institutions=institutions, links=links, depth=depth)

    return router
