"""The trust routes: a researcher's snapshot (301 for a merged id), its history, source reputations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from servicekit.paging import BadParameterError, decode_cursor, encode_cursor
from servicekit.problems import problem
from trust.api.schemas import HistoryItem, HistoryPage, SourceList, SourceOut, TrustOut
from trust.bootstrap import Trust
from trust.db.queries import ReadModel
from trust.domain import reputations

MOVED: dict[int | str, dict[str, Any]] = {301: {"description": "A merged researcher: Location names the survivor"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown researcher (problem+json)"}}


async def _redirect(read: ReadModel, researcher_id: str, suffix: str, request: Request) -> Response:
    survivor = await read.survivor(researcher_id)
    if survivor is None:
        return problem(404, "Researcher not found", f"trust has no researcher {researcher_id}")
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/v1/researchers/{survivor}/trust{suffix}{query}", status_code=301)


def trust_router(trust: Trust) -> APIRouter:
    """Snapshot, history and sources."""
    router = APIRouter(tags=["trust"])
    page_size = trust.settings.page_size
    policy = trust.policy

    @router.get(
        "/v1/researchers/{researcher_id}/trust",
        summary="A researcher's trust snapshot with every component, its evidence and the flags",
        responses={**MOVED, **NOT_FOUND},
        response_model=TrustOut,
    )
    async def get_trust(researcher_id: str, request: Request) -> Response | TrustOut:
        async with trust.sessions() as session:
            read = ReadModel(session)
            row = await read.snapshot(researcher_id)
            if row is None:
                return await _redirect(read, researcher_id, "", request)
        return TrustOut.model_validate(
            {
                **row,
                "verification": {
                    "level": row["verification_level"],
                    "rule": row["verification_rule"],
                    "evidence": row["verification_evidence"],
                },
            }
        )

    @router.get(
        "/v1/researchers/{researcher_id}/trust/history",
        summary="Every changed snapshot of a researcher, newest first (cursor pagination)",
        responses={**MOVED, **NOT_FOUND},
        response_model=HistoryPage,
    )
    async def get_history(
        researcher_id: str,
        request: Request,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int | None, Query(ge=1, le=200)] = None,
    ) -> Response | HistoryPage:
        size = limit or page_size
        after = decode_cursor(cursor, 1)
        if after is not None and not isinstance(after[0], int):
            raise BadParameterError("cursor", "not a cursor this API returned")
        async with trust.sessions() as session:
            read = ReadModel(session)
            if await read.snapshot(researcher_id) is None:
                return await _redirect(read, researcher_id, "/history", request)
            rows = await read.history(researcher_id, after[0] if after else None, size + 1)
        items = [HistoryItem.model_validate(r) for r in rows[:size]]
        more = len(rows) > size
        return HistoryPage(
            researcher_id=researcher_id,
            items=items,
            next_cursor=encode_cursor([items[-1].revision]) if more else None,
        )

    @router.get("/v1/sources", summary="Source reputations: configured priors, learned from corroboration")
    async def get_sources() -> SourceList:
        async with trust.sessions() as session:
            stats = await ReadModel(session).source_stats()
        items = []
        for source, value in reputations(stats, policy).items():
            seen = stats.get(source)
            works, corroborated = (seen.works, seen.corroborated) if seen else (0, 0)
            items.append(
                SourceOut(
                    source=source,
                    prior=policy.source_priors.get(source, policy.unknown_source_prior),
                    works=works,
                    corroborated_works=corroborated,
                    corroboration_rate=round(corroborated / works, 4) if works else None,
                    reputation=value,
                    reputable=value >= policy.reputable_from,
                    low_reputation=value < policy.low_reputation_below,
                )
            )
        return SourceList(policy_version=policy.version, items=items)

    return router
