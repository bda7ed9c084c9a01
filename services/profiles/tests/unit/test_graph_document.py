"""The research-graph document: typed nodes with readable labels, weighted edges."""

from __future__ import annotations

from types import SimpleNamespace

from profiles.api.presenters import graph
from profiles.topics import taxonomy


def test_topics_are_labelled_by_name_and_coauthors_weighted_by_shared_works() -> None:
    topic = taxonomy()[0]
    me = SimpleNamespace(id="r_me", display_name="Ana Lopez")
    works = [
        SimpleNamespace(id=f"w_{n}", title=f"Paper {n}", confidence=0.9, topic_ids=[topic.topic_id]) for n in range(2)
    ]
    coauthors = [SimpleNamespace(researcher_id="r_ben", display_name="Ben Ode", work_id=w.id) for w in works]
    document = graph(me, works=works, coauthors=coauthors, institutions=[], links=[], depth=1)
    nodes = {n.id: n for n in document.nodes}
    assert nodes[f"topic:{topic.topic_id}"].label == topic.name
    assert nodes[f"topic:{topic.topic_id}"].weight == 2.0
    assert nodes["r_ben"].weight == 2.0
    coauthor_edges = [e for e in document.edges if e.type == "coauthor"]
    assert [(e.source, e.target, e.weight) for e in coauthor_edges] == [("r_me", "r_ben", 2.0)]
