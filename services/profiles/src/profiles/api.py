"""The public HTTP API of profiles: researchers, works, the research graph; health, readiness and progress."""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from pydantic import BaseModel, Field

from contracts.keys import fold
from profiles.bootstrap import Profiles
from profiles.db.queries import ReadModel
from profiles.db.repository import counts_query
from profiles.db.tables import outbox
from profiles.domain import CLOSE_COLLABORATOR_MIN_SHARED, PRECEDENCE
from servicekit.health import health_router, readiness_checks
from servicekit.outbox import OutboxRepository
from servicekit.problems import install_unavailable_handler, problem

ORCID = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
_ARXIV_VERSION = re.compile(r"v[0-9]+$")
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown id (application/problem+json)"}}
MOVED: dict[int | str, dict[str, Any]] = {
    301: {"description": "The id was merged into another: Location names the survivor"}
}


# ---------------------------------------------------------------- response models


class TopicCount(BaseModel):
    """A topic of a researcher and how many of their works have it."""

    topic_id: str
    name: str
    field: str | None
    works: int


class InstitutionCount(BaseModel):
    """An institution from the researcher's affiliations."""

    key: str
    name: str
    country: str | None
    kind: str | None
    works: int
    last_year: int | None


class Collaborator(BaseModel):
    """A close collaborator and the works they share."""

    researcher_id: str
    display_name: str
    orcid: str | None
    shared_works_count: int
    shared_work_ids: list[str]


class Trust(BaseModel):
    """The trust snapshot (null until the trust service publishes scores)."""

    score: float | None = None
    level: str | None = None
    computed_at: str | None = None


class Researcher(BaseModel):
    """A researcher profile."""

    id: str
    display_name: str
    name_variants: list[str]
    orcid: str | None
    works_count: int
    topics_count: int
    topics: list[TopicCount]
    close_collaborators_count: int
    close_collaborators: list[Collaborator]
    close_collaborator_rule: str
    institutions: list[InstitutionCount]
    followers_count: int = Field(description="0 until the notify service exists.")
    trust: Trust
    claimed: bool


class ResearcherSummary(BaseModel):
    """A search hit."""

    id: str
    display_name: str
    orcid: str | None
    works_count: int
    name_variants: list[str]


class ResearcherPage(BaseModel):
    """One page of researchers; pass `next_cursor` as `cursor` for the next one (null at the end)."""

    items: list[ResearcherSummary]
    next_cursor: str | None


class WorkSummary(BaseModel):
    """A work in a researcher's list."""

    id: str
    title: str | None
    published: str | None
    year: int | None
    venue: str | None
    kind: str | None
    topic_ids: list[str]
    author_count: int
    position: int
    confidence: float


class WorkPage(BaseModel):
    """One page of works, newest first."""

    items: list[WorkSummary]
    next_cursor: str | None


class CollaboratorList(BaseModel):
    """Close collaborators of a researcher."""

    researcher_id: str
    rule: str
    items: list[Collaborator]


class Authorship(BaseModel):
    """One author slot of a work: the name as written, the researcher, how sure, why, and who printed it."""

    position: int
    name: str
    researcher_id: str
    researcher_name: str | None
    orcid: str | None
    confidence: float
    reasons: list[dict[str, Any]]
    affiliations: list[str]
    institutions: list[dict[str, Any]]
    sources: dict[str, str] = Field(description="source -> the name as that source printed it")


class Work(BaseModel):
    """A canonical work with its provenance."""

    id: str
    title: str | None
    abstract: str | None
    kind: str | None
    venue: str | None
    published: str | None
    year: int | None
    keywords: list[str]
    urls: dict[str, str]
    identifiers: dict[str, list[str]]
    topics: list[dict[str, Any]]
    authorships: list[Authorship]
    provenance: dict[str, Any] = Field(description="fields: source of each field; sources: when each source saw it")
    field_precedence: dict[str, str]
    first_seen_at: str
    last_seen_at: str
    sightings: int


class GraphNode(BaseModel):
    """A node of the research graph."""

    id: str
    type: str = Field(description="researcher, work, topic or institution")
    label: str | None
    weight: float


class GraphEdge(BaseModel):
    """A typed, weighted edge."""

    source: str
    target: str
    type: str = Field(description="authored, coauthor, about, affiliated")
    weight: float


class Graph(BaseModel):
    """The neighbourhood of a researcher."""

    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]


# ---------------------------------------------------------------- cursors


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def _uncursor(cursor: str | None, size: int) -> list[Any] | None:
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


# ---------------------------------------------------------------- app


def create_app(profiles: Profiles) -> FastAPI:
    """The profiles ASGI application; the consumer and the relay run beside it unless disabled."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with profiles.running():
            yield

    app = FastAPI(
        title="Sightline profiles",
        version="0.1.0",
        summary="Researcher profiles and canonical works built from paper sightings.",
        lifespan=lifespan,
    )

    # A process that leaves relaying to others does not talk to Kafka: only its database matters.
    relay = profiles.relay
    app.include_router(
        health_router(
            readiness_checks(profiles.engine, (lambda: relay.producer) if profiles.settings.run_relay else None)
        )
    )
    install_unavailable_handler(app)

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
    _status_route(app, profiles)
    _researcher_routes(app, profiles)
    _graph_route(app, profiles)
    _work_routes(app, profiles)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


async def _researcher_or_redirect(
    read: ReadModel, researcher_id: str, suffix: str, request: Request
) -> Response | None:
    """None for a live researcher; else 404, or 301 to the survivor of a merged id."""
    exists, live = await read.resolve("researchers", researcher_id)
    if not exists or live is None:
        return problem(404, "Researcher not found", f"no researcher {researcher_id}")
    if live != researcher_id:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/v1/researchers/{live}{suffix}{query}", status_code=301)
    return None


def _status_route(app: FastAPI, profiles: Profiles) -> None:
    @app.get("/v1/status", tags=["operations"], summary="Consumer progress: paper.seen lag, outbox depth, counts")
    async def status() -> dict[str, Any]:
        progress = await profiles.progress.measure()
        async with profiles.sessions() as session:
            depth = await OutboxRepository(session, outbox).depth()
            works, researchers = (await session.execute(counts_query())).one()
        return {
            "consumer": {
                "group": progress.group,
                "topic": progress.topic,
                "lag": progress.lag,
                "partitions": [
                    {"partition": p.partition, "committed": p.committed, "end": p.end, "lag": p.lag}
                    for p in progress.partitions
                ],
            },
            "outbox_depth": depth,
            "caught_up": progress.lag == 0 and depth == 0,
            "works": works,
            "researchers": researchers,
        }


def _researcher_routes(app: FastAPI, profiles: Profiles) -> None:
    page_size = profiles.settings.page_size

    @app.get("/v1/researchers", tags=["researchers"], summary="Search researchers by name, ORCID or topic")
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
        after = _uncursor(cursor, 2)
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
                name_variants=_variants(r.names),
            )
            for r in rows[:size]
        ]
        more = len(rows) > size
        return ResearcherPage(items=items, next_cursor=_cursor([items[-1].works_count, items[-1].id]) if more else None)

    @app.get(
        "/v1/researchers/{researcher_id}",
        tags=["researchers"],
        summary="A researcher profile (a merged id answers 301 to the survivor)",
        responses={**MOVED, **NOT_FOUND},
        response_model=Researcher,
    )
    async def get_researcher(researcher_id: str, request: Request) -> Response:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            row = await read.researcher_page(researcher_id)
            if row is None:
                redirect = await _researcher_or_redirect(read, researcher_id, "", request)
                assert redirect is not None
                return redirect
        # Serialised straight from the one query's rows (the shape is `Researcher`, pinned by the API tests).
        return Response(orjson.dumps(_researcher_page(row)), media_type="application/json")

    @app.get(
        "/v1/researchers/{researcher_id}/works",
        tags=["researchers"],
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
        after = _uncursor(cursor, 2)
        if after is not None and not all(isinstance(v, str) for v in after):
            raise BadParameterError("cursor", "not a cursor this API returned")
        async with profiles.sessions() as session:
            read = ReadModel(session)
            redirect = await _researcher_or_redirect(read, researcher_id, "/works", request)
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
        return WorkPage(items=items, next_cursor=_cursor([last.sort_date, last.id]) if last is not None else None)

    @app.get(
        "/v1/researchers/{researcher_id}/collaborators",
        tags=["researchers"],
        summary="Close collaborators with the works they share",
        responses={**MOVED, **NOT_FOUND},
        response_model=CollaboratorList,
    )
    async def researcher_collaborators(researcher_id: str, request: Request) -> Response | CollaboratorList:
        async with profiles.sessions() as session:
            read = ReadModel(session)
            redirect = await _researcher_or_redirect(read, researcher_id, "/collaborators", request)
            if redirect is not None:
                return redirect
            rows = await read.collaborators(researcher_id)
        return CollaboratorList(researcher_id=researcher_id, rule=_RULE, items=[_collaborator(c) for c in rows])


def _graph_route(app: FastAPI, profiles: Profiles) -> None:
    @app.get(
        "/v1/researchers/{researcher_id}/graph",
        tags=["researchers"],
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
            redirect = await _researcher_or_redirect(read, researcher_id, "/graph", request)
            if redirect is not None:
                return redirect
            me = await read.researcher(researcher_id)
            assert me is not None
            works = await read.researcher_works(researcher_id, None, limit)
            coauthors = await read.work_coauthors([w.id for w in works], researcher_id)
            institutions = await read.researcher_institutions(researcher_id)
            links = await read.coauthor_links(sorted({c.researcher_id for c in coauthors})) if depth > 1 else []
        return _graph(me, works=works, coauthors=coauthors, institutions=institutions, links=links, depth=depth)


def _work_routes(app: FastAPI, profiles: Profiles) -> None:
    @app.get(
        "/v1/works/lookup",
        tags=["works"],
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
        identifier = _identifier(*next(iter(given.items())))
        async with profiles.sessions() as session:
            read = ReadModel(session)
            work_id = await read.work_for(identifier)
            if work_id is None:
                return problem(404, "Work not found", f"no work has {identifier}")
            _, live = await read.resolve("works", work_id)
            return await _work(read, live or work_id)

    @app.get(
        "/v1/works/{work_id}",
        tags=["works"],
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
            return await _work(read, work_id)


_RULE = f"co-authors with at least {CLOSE_COLLABORATOR_MIN_SHARED} shared works (works with over 100 authors excluded)"


def _variants(names: dict[str, int]) -> list[str]:
    return sorted(names, key=lambda n: (-names[n], n))


def _json_list(value: Any) -> list[Any]:
    return list(orjson.loads(value) if isinstance(value, str | bytes) else value)


def _researcher_page(row: Any) -> dict[str, Any]:
    """The `Researcher` document of a `ReadModel.researcher_page` row."""
    topics = [{"topic_id": t, "name": n, "field": f, "works": w} for t, n, f, w in _json_list(row.topics)]
    close = [
        {
            "researcher_id": i,
            "display_name": n,
            "orcid": o,
            "shared_works_count": len(works),
            "shared_work_ids": works,
        }
        for i, n, o, works in _json_list(row.collaborators)
    ]
    institutions = [
        {"key": k, "name": n, "country": c, "kind": kind, "works": w, "last_year": y}
        for k, n, c, kind, w, y in _json_list(row.institutions)
    ]
    return {
        "id": row.id,
        "display_name": row.display_name,
        "name_variants": _variants(row.names),
        "orcid": row.orcid,
        "works_count": row.works_count,
        "topics_count": len(topics),
        "topics": topics,
        "close_collaborators_count": len(close),
        "close_collaborators": close,
        "close_collaborator_rule": _RULE,
        "institutions": institutions,
        "followers_count": 0,
        "trust": {"score": None, "level": None, "computed_at": None},
        "claimed": row.claimed,
    }


def _collaborator(row: Any) -> Collaborator:
    return Collaborator(
        researcher_id=row.id,
        display_name=row.display_name,
        orcid=row.orcid,
        shared_works_count=len(row.works),
        shared_work_ids=list(row.works),
    )


def _identifier(scheme: str, value: str) -> str:
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


async def _work(read: ReadModel, work_id: str) -> Response | Work:
    row = await read.work(work_id)
    if row is None:
        return problem(404, "Work not found", f"no work {work_id}")
    slots = await read.authorships(work_id)
    return Work(
        id=row.id,
        title=row.title,
        abstract=row.abstract,
        kind=row.kind,
        venue=row.venue,
        published=row.published,
        year=row.year,
        keywords=list(row.keywords),
        urls=dict(row.urls),
        identifiers=dict(row.identifiers),
        topics=list(row.topics),
        authorships=[
            Authorship(
                position=a.position,
                name=a.name,
                researcher_id=a.researcher_id,
                researcher_name=a.display_name,
                orcid=a.orcid,
                confidence=a.confidence,
                reasons=list(a.reasons),
                affiliations=list(a.affiliations),
                institutions=list(a.institutions),
                sources=dict(a.sources),
            )
            for a in slots
        ],
        provenance=dict(row.provenance),
        field_precedence=dict(PRECEDENCE),
        first_seen_at=row.first_seen_at.isoformat(),
        last_seen_at=row.last_seen_at.isoformat(),
        sightings=row.sightings,
    )


def _graph(me: Any, *, works: Any, coauthors: Any, institutions: Any, links: Any, depth: int) -> Graph:
    nodes: dict[str, GraphNode] = {me.id: GraphNode(id=me.id, type="researcher", label=me.display_name, weight=1.0)}
    edges: list[GraphEdge] = []
    topic_counts: dict[str, int] = {}
    for w in works:
        nodes[w.id] = GraphNode(id=w.id, type="work", label=w.title, weight=1.0)
        edges.append(GraphEdge(source=me.id, target=w.id, type="authored", weight=float(w.confidence)))
        for topic in w.topic_ids:
            topic_counts[topic] = topic_counts.get(topic, 0) + 1
            edges.append(GraphEdge(source=w.id, target=f"topic:{topic}", type="about", weight=1.0))
    for topic, count in topic_counts.items():
        nodes[f"topic:{topic}"] = GraphNode(id=f"topic:{topic}", type="topic", label=topic, weight=float(count))
    shared: dict[str, int] = {}
    for c in coauthors:
        shared[c.researcher_id] = shared.get(c.researcher_id, 0) + 1
        nodes.setdefault(
            c.researcher_id, GraphNode(id=c.researcher_id, type="researcher", label=c.display_name, weight=0)
        )
        edges.append(GraphEdge(source=c.researcher_id, target=c.work_id, type="authored", weight=1.0))
    for coauthor, count in shared.items():
        nodes[coauthor] = nodes[coauthor].model_copy(update={"weight": float(count)})
        edges.append(GraphEdge(source=me.id, target=coauthor, type="coauthor", weight=float(count)))
    for i in institutions:
        node = f"institution:{i.key}"
        nodes[node] = GraphNode(id=node, type="institution", label=i.name, weight=float(i.works))
        edges.append(GraphEdge(source=me.id, target=node, type="affiliated", weight=float(i.works)))
    if depth > 1:
        for link in links:
            edges.append(GraphEdge(source=link.source, target=link.target, type="coauthor", weight=float(link.shared)))
    return Graph(center=me.id, depth=depth, nodes=list(nodes.values()), edges=edges)
