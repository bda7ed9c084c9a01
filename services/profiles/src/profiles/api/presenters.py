"""Read-model rows to API documents: the researcher page, collaborators, works with authorships, the graph."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from fastapi.responses import Response

from profiles.api.schemas import Authorship, Collaborator, Graph, GraphEdge, GraphNode, Work
from profiles.db.queries import ReadModel
from profiles.domain import CLOSE_COLLABORATOR_MIN_SHARED, PRECEDENCE
from profiles.topics import taxonomy
from servicekit.problems import problem

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown id (application/problem+json)"}}
MOVED: dict[int | str, dict[str, Any]] = {
    301: {"description": "The id was merged into another: Location names the survivor"}
}
CLOSE_COLLABORATOR_RULE = (
    f"co-authors with at least {CLOSE_COLLABORATOR_MIN_SHARED} shared works (works with over 100 authors excluded)"
)


def variants(names: dict[str, int]) -> list[str]:
    """Name variants, most used first."""
    return sorted(names, key=lambda n: (-names[n], n))


@lru_cache(maxsize=1)
def _topic_names() -> dict[str, str]:
    return {t.topic_id: t.name for t in taxonomy()}


def _json_list(value: Any) -> list[Any]:
    return list(orjson.loads(value) if isinstance(value, str | bytes) else value)


def researcher_document(row: Any) -> dict[str, Any]:
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
        "name_variants": variants(row.names),
        "orcid": row.orcid,
        "works_count": row.works_count,
        "topics_count": len(topics),
        "topics": topics,
        "close_collaborators_count": len(close),
        "close_collaborators": close,
        "close_collaborator_rule": CLOSE_COLLABORATOR_RULE,
        "institutions": institutions,
        "followers_count": 0,
        "trust": {
            "score": row.trust_score,
            "band": row.trust_band,
            "verification_level": row.trust_level,
            "computed_at": row.trust_computed_at.isoformat() if row.trust_computed_at else None,
        },
        "claimed": row.claimed,
    }


def collaborator(row: Any) -> Collaborator:
    """A close collaborator row as the API shows it."""
    return Collaborator(
        researcher_id=row.id,
        display_name=row.display_name,
        orcid=row.orcid,
        shared_works_count=len(row.works),
        shared_work_ids=list(row.works),
    )


async def work_document(read: ReadModel, work_id: str) -> Response | Work:
    """The work with its authorships (404 when the id is unknown)."""
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


def graph(me: Any, *, works: Any, coauthors: Any, institutions: Any, links: Any, depth: int) -> Graph:
    """The researcher's neighbourhood: works, topics, co-authors, institutions and typed weighted edges."""
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
        nodes[f"topic:{topic}"] = GraphNode(
            id=f"topic:{topic}", type="topic", label=_topic_names().get(topic, topic), weight=float(count)
        )
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
